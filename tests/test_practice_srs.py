"""Spaced repetition on the practice page, in Chromium with a controlled clock, against py-fsrs.

The page schedules each question with its own FSRS-6 (templates/practice/fsrs.js). The
reference is the `fsrs` package: the same parameters (its defaults, without fuzz), the same
ratings at the same times must give the same cards, so the same due dates and the same
questions due each day. The clock is Playwright's: `set_fixed_time` before each answer, so
the time of each review is known to the millisecond.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from test_practice_browser import (  # the page's drivers and fixtures, shared
    DESKTOP,
    PHONE,
    SEEDED_RANDOM,
    Recorder,
    answer,
    browser,  # noqa: F401 (a fixture)
    current,
    sample,  # noqa: F401 (a fixture)
)

from quizgen.render.practice import question_set_id, render_practice

pytestmark = pytest.mark.browser

# A zone far from UTC, so "due today" (before the student's midnight) is not UTC's day.
ZONE_NAME = "Asia/Shanghai"
ZONE = ZoneInfo(ZONE_NAME)
START = datetime(2026, 3, 2, 8, 30, tzinfo=ZONE)
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


# ---- the reference ----------------------------------------------------------------------


class Reference:
    """py-fsrs with the page's settings, fed the same ratings at the same times."""

    def __init__(self):
        from fsrs import Scheduler

        self.scheduler = Scheduler(enable_fuzzing=False)  # its defaults otherwise, as the page's
        self.cards = {}

    def review(self, uid: str, rating: int, when: datetime) -> None:
        from fsrs import Card, Rating

        card = self.cards.get(uid) or Card(card_id=len(self.cards) + 1, due=when.astimezone(UTC))
        self.cards[uid], _ = self.scheduler.review_card(card, Rating(rating), when.astimezone(UTC))

    def due_today(self, now: datetime) -> set[str]:
        midnight = datetime.combine(now.astimezone(ZONE).date() + timedelta(days=1), time(0), ZONE)
        return {uid for uid, card in self.cards.items() if card.due < midnight}


def due_difference(page_card: dict, card) -> float:
    """Seconds between the page's due time and the reference's; the rest of the card must agree."""
    assert page_card["state"] == int(card.state)
    assert page_card["step"] == card.step
    assert page_card["stability"] == pytest.approx(card.stability, rel=1e-9)
    assert page_card["difficulty"] == pytest.approx(card.difficulty, rel=1e-9)
    assert datetime.fromisoformat(page_card["last_review"]) == card.last_review
    return abs((datetime.fromisoformat(page_card["due"]) - card.due).total_seconds())


# ---- driving the page ---------------------------------------------------------------------


def open_at(browser, url: str, when: datetime, viewport=DESKTOP):  # noqa: F811 (the fixture)
    """A fresh context (empty localStorage) in ZONE, its clock fixed at `when`."""
    context = browser.new_context(viewport=viewport, timezone_id=ZONE_NAME, accept_downloads=True)
    context.set_default_timeout(5000)
    context.add_init_script(SEEDED_RANDOM)
    page = context.new_page()
    page.recorder = Recorder(page)
    page.clock.set_fixed_time(when)
    page.goto(url)
    page.wait_for_selector("#question-heading, #summary-heading")
    return context, page


def reopen_at(page, when: datetime) -> None:
    page.clock.set_fixed_time(when)
    page.reload()
    page.wait_for_selector("#question-heading, #summary-heading")


def stored(page, content) -> dict:
    key = "quizgen-practice:" + question_set_id(content.questions)
    return page.evaluate("key => JSON.parse(localStorage.getItem(key))", key)


def answer_and_rate(page, content, when: datetime, right: bool, rating: int) -> str:
    """Answer the question on screen at `when`, keep or change the suggested rating, go on."""
    page.clock.set_fixed_time(when)
    q = current(page, content)
    answer(page, q, right)
    suggested = GOOD if right else AGAIN
    assert page.get_attribute(f'#feedback [data-rating="{suggested}"]', "aria-pressed") == "true"
    if rating != suggested:
        page.click(f'#feedback [data-rating="{rating}"]')
        assert page.get_attribute(f'#feedback [data-rating="{rating}"]', "aria-pressed") == "true"
    page.locator("#feedback button.next").click()
    return q.uid


def counts_text(content, ref: Reference, now: datetime) -> str:
    due = len(ref.due_today(now))
    fresh = len(content.questions) - len(ref.cards)
    return f"Due today: {due} · New: {fresh} · Later: {len(ref.cards) - due}"


def plan(rnd: random.Random) -> tuple[bool, int]:
    """A student's answer and rating: mostly right, the suggested rating half of the time."""
    right = rnd.random() < 0.7
    rating = (GOOD if right else AGAIN) if rnd.random() < 0.5 else rnd.choice((AGAIN, HARD, GOOD, EASY))
    return right, rating


# ---- the scheduler itself, against py-fsrs ----------------------------------------------------


# Seconds between two reviews (of any of the cards), and how often each comes up: from a
# learning step to a year away, across the 24-hour boundary of "elapsed days".
GAPS = [20, 5 * 60, 3600, 7 * 3600, 86340, 86400, 3 * 86400, 17 * 86400, 120 * 86400, 400 * 86400]
WEIGHTS = [20, 20, 10, 10, 5, 10, 10, 5, 2, 1]
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def test_the_page_scheduler_gives_py_fsrs_cards_for_random_reviews(browser, sample):  # noqa: F811
    from fsrs import Card, Rating, Scheduler

    rnd = random.Random(7)
    now = int(START.timestamp() * 1000)
    events = []
    for _ in range(2000):
        now += (rnd.choices(GAPS, WEIGHTS)[0] + rnd.randrange(600)) * 1000 + rnd.randrange(1000)
        events.append((rnd.randrange(12), now, rnd.choice((AGAIN, HARD, GOOD, GOOD, EASY))))
    context, page = open_at(browser, sample[1], START)
    got = page.evaluate(
        """events => {
            const scheduler = QuizgenFSRS.scheduler(), cards = {};
            return events.map(([id, at, rating]) => (cards[id] = scheduler.review(cards[id] || scheduler.newCard(at), rating, at)));
        }""",
        events,
    )
    context.close()
    scheduler, cards, differences = Scheduler(enable_fuzzing=False), {}, []
    for (card_id, at, rating), page_card in zip(events, got, strict=True):
        when = EPOCH + timedelta(milliseconds=at)  # exact: a float of seconds would lose the millisecond
        card = cards.get(card_id) or Card(card_id=card_id + 1, due=when)
        cards[card_id], _ = scheduler.review_card(card, Rating(rating), when)
        differences.append(due_difference(page_card, cards[card_id]))
    print(f"\nscheduler: {len(events)} reviews of 12 cards compared; max due difference {max(differences)} s")
    assert max(differences) == 0


# ---- a month of practice through the page -------------------------------------------------------


def practise_due_round(page, content, ref, when, rnd, differences) -> int:
    """Open the page at `when`: the due set and counts must be the reference's; answer the round."""
    reopen_at(page, when)
    expected = ref.due_today(when)
    assert page.inner_text("#due-counts") == counts_text(content, ref, when)
    if not expected:
        assert page.is_disabled("#due-round")
        return 0
    ids = stored(page, content)["round"]["ids"]
    assert page.inner_text("#position").startswith("Due round of ")
    assert set(ids) == expected, when
    assert [ref.cards[uid].due for uid in ids] == sorted(ref.cards[uid].due for uid in ids)  # due first first
    for i in range(len(ids)):
        at = when + timedelta(seconds=45 * (i + 1), milliseconds=rnd.randrange(1000))
        right, rating = plan(rnd)
        uid = answer_and_rate(page, content, at, right, rating)
        ref.review(uid, rating, at)
        differences.append(due_difference(stored(page, content)["schedules"][uid], ref.cards[uid]))
    return len(ids)


def test_a_month_of_due_rounds_follows_py_fsrs(browser, sample):  # noqa: F811
    content, url = sample
    rnd, ref, differences = random.Random(3), Reference(), []
    context, page = open_at(browser, url, START)
    # Day one: every question is new; the page opens on a round of all nine.
    assert page.inner_text("#due-counts") == "Due today: 0 · New: 9 · Later: 0"
    for i in range(len(content.questions)):
        at = START + timedelta(minutes=i)
        right, rating = plan(rnd)
        ref.review(answer_and_rate(page, content, at, right, rating), rating, at)
    rounds = due_sets = 0
    for day in range(31):
        if day and rnd.random() < 0.15:
            continue  # a day off: what was due stays due
        morning = START + timedelta(days=day, minutes=rnd.randrange(90))
        # A morning round, a second look once the learning steps are due, and one in the evening.
        for when in (morning, morning + timedelta(minutes=25), morning.replace(hour=21)):
            rounds += practise_due_round(page, content, ref, when, rnd, differences) > 0
            due_sets += 1
    ratings = [e["rating"] for e in stored(page, content)["log"]]
    print(
        f"\nmonth: {len(differences) + len(content.questions)} reviews, {due_sets} due sets compared "
        f"({rounds} rounds), ratings {[ratings.count(r) for r in (1, 2, 3, 4)]}; max due difference {max(differences)} s"
    )
    assert max(differences) == 0
    assert all(ratings.count(r) >= 5 for r in (AGAIN, HARD, GOOD, EASY))
    assert len(ratings) == len(differences) + len(content.questions)
    assert page.recorder.errors == []
    context.close()


# ---- rating one answer ----------------------------------------------------------------------------


def test_a_rating_shows_each_next_interval_and_can_be_changed(browser, sample):  # noqa: F811
    content, url = sample
    context, page = open_at(browser, url, START)
    q = current(page, content)
    answer(page, q, right=True)
    labels = page.locator("#feedback .rating-button").all_inner_texts()
    # A new question: Again 1 minute, Hard the mean of the two steps (5.5, shown as 6), Good the
    # second step, Easy graduates at once to its first stability (8.2956 days, rounded to 8).
    assert [label.split("\n") for label in labels] == [
        ["Again", "1 minute"],
        ["Hard", "6 minutes"],
        ["Good", "10 minutes"],
        ["Easy", "8 days"],
    ]
    assert page.inner_text("#next-due") == "This question comes back in 10 minutes."
    page.click('#feedback [data-rating="4"]')
    assert page.inner_text("#next-due") == "This question comes back in 8 days."
    assert page.get_attribute('#feedback [data-rating="3"]', "aria-pressed") == "false"
    ref = Reference()
    ref.review(q.uid, EASY, START)
    progress = stored(page, content)
    assert due_difference(progress["schedules"][q.uid], ref.cards[q.uid]) == 0
    # The change replaced the review: one log entry, with the rating chosen last.
    assert progress["log"] == [{"question": q.uid, "at": "2026-03-02T00:30:00.000Z", "rating": 4, "right": True}]
    assert page.inner_text("#due-counts") == "Due today: 0 · New: 8 · Later: 1"
    context.close()


def test_a_wrong_answer_suggests_again_and_comes_back_the_same_day(browser, sample):  # noqa: F811
    content, url = sample
    context, page = open_at(browser, url, START)
    answer(page, current(page, content), right=False)
    assert page.get_attribute('#feedback [data-rating="1"]', "aria-pressed") == "true"
    assert page.inner_text("#feedback .rating .hint") == (
        "Again is chosen from your answer; choose another if it fits better."
    )
    assert page.inner_text("#due-counts") == "Due today: 1 · New: 8 · Later: 0"
    page.locator("#feedback button.next").click()
    assert page.inner_text("#due-round") == "Practise the ones due today (1)"
    context.close()


# ---- moving progress between devices ---------------------------------------------------------------


def answer_three(page, content) -> list[str]:
    uids = []
    for i, (right, rating) in enumerate([(True, GOOD), (False, AGAIN), (True, EASY)]):
        uids.append(answer_and_rate(page, content, START + timedelta(minutes=i), right, rating))
    return uids


def export(page, tmp_path: Path) -> Path:
    page.locator("#setup summary").click()
    with page.expect_download() as download:
        page.click("#export")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return path


def test_exported_progress_restores_the_schedules_in_a_fresh_browser(browser, sample, tmp_path):  # noqa: F811
    content, url = sample
    context, page = open_at(browser, url, START)
    uids = answer_three(page, content)
    path = export(page, tmp_path)
    assert path.name == f"quizgen-progress-{question_set_id(content.questions)}-2026-03-02.json"
    assert page.inner_text("#transfer-status") == f"Saved {path.name}."
    before = stored(page, content)
    context.close()

    saved = json.loads(path.read_text(encoding="utf-8"))
    assert (saved["format"], saved["version"]) == ("quizgen-practice-progress", 1)
    assert saved["set"] == question_set_id(content.questions) and saved["exported"] == "2026-03-02T00:32:00.000Z"
    assert saved["questions"] == [q.uid for q in content.questions]
    assert saved["schedules"] == before["schedules"] and sorted(saved["schedules"]) == sorted(uids)
    assert saved["history"] == before["history"] and saved["log"] == before["log"]
    assert saved["scheduler"]["enable_fuzzing"] is False and len(saved["scheduler"]["parameters"]) == 21

    later = START + timedelta(hours=1)
    context, page = open_at(browser, url, later)  # another device: nothing stored
    assert page.inner_text("#due-counts") == "Due today: 0 · New: 9 · Later: 0"
    page.locator("#setup summary").click()
    page.set_input_files("#import-file", path)
    page.wait_for_selector("#transfer-status:not(:empty)")
    assert page.inner_text("#transfer-status") == (
        f"Loaded {path.name}: progress on 3 questions; 3 newer than this browser's and taken."
    )
    assert page.get_attribute("#transfer-status", "role") == "status"
    restored = stored(page, content)
    assert restored["schedules"] == before["schedules"]
    assert restored["history"] == before["history"] and restored["log"] == before["log"]
    # Good and Again are due again today (after 10 minutes and 1 minute); Easy in 8 days.
    assert page.inner_text("#due-counts") == "Due today: 2 · New: 6 · Later: 1"
    reopen_at(page, START + timedelta(days=1))
    assert page.inner_text("#due-counts") == "Due today: 2 · New: 6 · Later: 1"
    assert set(stored(page, content)["round"]["ids"]) == set(uids[:2])
    assert page.recorder.errors == []
    context.close()


def test_an_import_keeps_the_newer_review_of_each_question(browser, sample, tmp_path):  # noqa: F811
    content, url = sample
    context, page = open_at(browser, url, START)
    first, *_ = answer_three(page, content)
    path = export(page, tmp_path)
    old = stored(page, content)["schedules"]
    # On this device the first question is practised again, later than the file's review.
    reopen_at(page, START + timedelta(days=1))
    assert page.inner_text("#question-heading") == "Question 4 of 9"  # the round in course carries on
    page.click("#due-round")
    while current(page, content).uid != first:
        answer_and_rate(page, content, START + timedelta(days=1), True, GOOD)
    answer_and_rate(page, content, START + timedelta(days=1, minutes=5), True, EASY)
    newer = stored(page, content)["schedules"][first]
    page.locator("#setup summary").click()
    page.set_input_files("#import-file", path)
    page.wait_for_selector("#transfer-status:not(:empty)")
    assert page.inner_text("#transfer-status").endswith(
        "progress on 3 questions; 0 newer than this browser's and taken."
    )
    schedules = stored(page, content)["schedules"]
    assert schedules[first] == newer != old[first]
    context.close()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def good_file(content) -> dict:
    uid = content.questions[0].uid
    card = {
        "state": 2,
        "step": None,
        "stability": 8.2956,
        "difficulty": 1.0,
        "due": "2026-03-10T00:30:00.000Z",
        "last_review": "2026-03-02T00:30:00.000Z",
    }
    return {
        "format": "quizgen-practice-progress",
        "version": 1,
        "questions": [q.uid for q in content.questions],
        "schedules": {uid: card},
        "history": {uid: True},
        "log": [{"question": uid, "at": "2026-03-02T00:30:00.000Z", "rating": 4, "right": True}],
    }


def spoiled(content, change) -> str:
    data = good_file(content)
    change(data)
    return json.dumps(data)


BAD_FILES = {
    "notes.json": (lambda c: "my notes, not JSON", "it is not a progress file (not JSON)."),
    "other.json": (lambda c: '{"cards": []}', "it is not a progress file of a practice page."),
    "future.json": (
        lambda c: spoiled(c, lambda d: d.update(version=2)),
        "it is a progress file of version 2, and this page reads version 1.",
    ),
    "no-log.json": (lambda c: spoiled(c, lambda d: d.pop("log")), "it is damaged."),
    "bad-card.json": (
        lambda c: spoiled(c, lambda d: d["schedules"][c.questions[0].uid].update(stability="high")),
        "the schedule of question {uid} is damaged.",
    ),
    "bad-date.json": (
        lambda c: spoiled(c, lambda d: d["schedules"][c.questions[0].uid].update(due="next Tuesday")),
        "the schedule of question {uid} is damaged.",
    ),
    "elsewhere.json": (
        lambda c: spoiled(c, lambda d: d.update(schedules={"x/y": d["schedules"][c.questions[0].uid]}, history={})),
        "it holds no progress on this page's questions.",
    ),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_progress_file_is_refused_with_a_visible_message(browser, sample, tmp_path, name):  # noqa: F811
    content, url = sample
    make, reason = BAD_FILES[name]
    context, page = open_at(browser, url, START)
    answer_and_rate(page, content, START, True, GOOD)
    before = stored(page, content)
    page.locator("#setup summary").click()
    page.set_input_files("#import-file", write(tmp_path, name, make(content)))
    page.wait_for_selector("#transfer-status:not(:empty)")
    status = page.locator("#transfer-status")
    assert status.inner_text() == f"{name} was not loaded: " + reason.format(uid=content.questions[0].uid)
    assert status.get_attribute("role") == "alert" and status.is_visible()
    assert stored(page, content) == before  # nothing taken from a refused file
    context.close()


def test_the_good_file_of_those_tests_loads(browser, sample, tmp_path):  # noqa: F811
    """The control for the refusals above: unspoiled, their file is taken."""
    content, url = sample
    context, page = open_at(browser, url, START)
    page.locator("#setup summary").click()
    page.set_input_files("#import-file", write(tmp_path, "good.json", json.dumps(good_file(content))))
    page.wait_for_selector("#transfer-status:not(:empty)")
    assert page.inner_text("#transfer-status") == (
        "Loaded good.json: progress on 1 question; 1 newer than this browser's and taken."
    )
    assert stored(page, content)["schedules"] == good_file(content)["schedules"]
    context.close()


def test_reset_clears_the_schedules_too(browser, sample):  # noqa: F811
    content, url = sample
    context, page = open_at(browser, url, START, PHONE)
    answer_three(page, content)
    assert page.inner_text("#due-counts") == "Due today: 2 · New: 6 · Later: 1"
    page.locator("#setup summary").click()
    page.click("#reset")
    assert page.inner_text("#due-counts") == "Due today: 0 · New: 9 · Later: 0"
    reopen_at(page, START + timedelta(days=9))  # when all three would have been due
    assert stored(page, content)["schedules"] == {}
    assert page.inner_text("#due-counts") == "Due today: 0 · New: 9 · Later: 0"
    assert page.inner_text("#position") == "Round of 9 questions"
    context.close()


# A rebuild that removes (or adds) a question gives the page another question set, so another store:
# the student's schedules of the questions still on the page come along, the removed one's stays behind.
def test_a_rebuild_without_one_question_keeps_the_schedules_of_the_others(browser, sample, tmp_path):  # noqa: F811
    content, _ = sample
    path = tmp_path / "all.html"
    path.write_text(render_practice(content.questions, content, title="Sample"), encoding="utf-8")
    context, page = open_at(browser, path.as_uri(), START)
    uids = answer_three(page, content)
    before = stored(page, content)
    kept = [q for q in content.questions if q.uid != uids[0]]
    path.write_text(render_practice(kept, content, title="Sample"), encoding="utf-8")
    reopen_at(page, START + timedelta(hours=1))
    key = "quizgen-practice:" + question_set_id(kept)
    after = page.evaluate("key => JSON.parse(localStorage.getItem(key))", key)
    assert after["schedules"] == {uid: before["schedules"][uid] for uid in uids[1:]}
    assert after["history"] == {uid: before["history"][uid] for uid in uids[1:]}
    assert after["log"] == [e for e in before["log"] if e["question"] != uids[0]]
    assert page.inner_text("#due-counts") == "Due today: 1 · New: 6 · Later: 1"
    context.close()


# Storage may hold anything: a round whose results are not a mapping ('in' on a number throws) used
# to stop the page before its first question.
@pytest.mark.parametrize("results", [5, "abc", True, [1]])
def test_a_stored_round_with_damaged_results_still_opens(browser, sample, results):  # noqa: F811
    content, url = sample
    context, page = open_at(browser, url, START)
    key = "quizgen-practice:" + question_set_id(content.questions)
    ids = [q.uid for q in content.questions[:3]]
    round_ = {"ids": ids, "index": 0, "results": results, "reviews": {}}
    page.evaluate("([key, value]) => localStorage.setItem(key, JSON.stringify(value))", [key, {"round": round_}])
    reopen_at(page, START)
    assert page.recorder.errors == []
    assert page.inner_text("#question-heading") == "Question 1 of 3"
    assert current(page, content).uid == ids[0]
    context.close()


NO_STORAGE = """Object.defineProperty(window, "localStorage", {
    get() { throw new DOMException("The operation is insecure.", "SecurityError"); } });"""
FULL_STORAGE = """Storage.prototype.setItem = function () {
    throw new DOMException("The quota has been exceeded.", "QuotaExceededError"); };"""


# Storage blocked (site data off) or full: the page still runs every round, it just forgets.
@pytest.mark.parametrize("script", [NO_STORAGE, FULL_STORAGE], ids=["disabled", "full"])
def test_practice_works_with_storage_disabled_or_full(browser, sample, tmp_path, script):  # noqa: F811
    content, url = sample
    context = browser.new_context(viewport=DESKTOP, timezone_id=ZONE_NAME, accept_downloads=True)
    context.set_default_timeout(5000)
    context.add_init_script(SEEDED_RANDOM)
    context.add_init_script(script)
    page = context.new_page()
    page.recorder = Recorder(page)
    page.clock.set_fixed_time(START)
    page.goto(url)
    page.wait_for_selector("#question-heading")
    answer_three(page, content)
    assert page.inner_text("#due-counts") == "Due today: 2 · New: 6 · Later: 1"
    path = export(page, tmp_path)  # the progress can still be carried to a device that keeps it
    assert len(json.loads(path.read_text(encoding="utf-8"))["schedules"]) == 3
    page.click("#reset")
    assert page.inner_text("#due-counts") == "Due today: 0 · New: 9 · Later: 0"
    assert page.recorder.errors == []
    context.close()
