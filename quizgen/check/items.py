"""Warnings for item-writing flaws in choice questions, after Haladyna, Downing and Rodriguez (2002).

Each check names the question, the field at fault and what to do. They are
warnings (`--strict` makes them errors): a rule of thumb, tuned so that a
warning is worth a look, documented with its rules in docs/item-checks.md.
Bank-level checks run per bank (`report_item_flaws`), the near-duplicate
stem check over all banks (`content_item_warnings`), the key-letter balance
over a quiz's printed versions (`letter_balance_warnings`).
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from quizgen.check.sources import normalize
from quizgen.errors import WARNING, Issue
from quizgen.kinds import kind_of
from quizgen.kinds.base import Option
from quizgen.load.fields import open_report
from quizgen.model import OPTION_LETTERS, Bank, Question
from quizgen.render.catalogue import english_text


def options_of(question: Question) -> list[Option]:
    """The options of a choice question, as its kind declares them (none for other kinds)."""
    return kind_of(question).options(question)


def _named(option: Option, multiple: bool) -> str:
    if not option.correct:
        return f"option '{option.text}'"
    return f"the answer '{option.text}'" if not multiple else f"the right answer '{option.text}'"


# --- words -----------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
_STOP_WORDS_TEXT = """
about above after again against also among another because been before being below between both
could does doing down during each either every from further have having here hers herself himself
into itself just least less many more most much must neither none only other ours ourselves over
same several should some such than that their theirs them themselves then there these they this
those through under until upon very were what when where which while whom whose will with within
without would your yours yourself according following select apply true false wherein
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())  # function words, and the words of every instruction


@functools.lru_cache(maxsize=1 << 16)  # a prompt or option is read by several checks
def words(text: str) -> tuple[str, ...]:
    """The words of a text, case-folded, punctuation dropped (an apostrophe splits a word)."""
    return tuple(_WORD.findall(normalize(text).casefold()))


def stem(word: str) -> str:
    """A crude stem: plural -s/-es/-ies, -ing and -ed stripped, so 'consultations' meets 'consultation'."""
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: len(word) - len(suffix)] + replacement
    return word


@functools.lru_cache(maxsize=1 << 16)
def content_stems(text: str) -> frozenset[str]:
    """The stems of a text's content words: words of 4 letters or more, not stop words, not numbers."""
    return frozenset(stem(w) for w in words(text) if len(w) >= 4 and w not in STOP_WORDS and not w.isdigit())


# --- 1. options that contain or imply one another ------------------------------


def _contains(longer: list[str], shorter: list[str]) -> bool:
    """Is `shorter` a run of whole words inside `longer` (and not the same)?"""
    n = len(shorter)
    return 0 < n < len(longer) and any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_TIME_UNITS = {"month": 1 / 12, "year": 1, "decade": 10, "century": 100, "centurie": 100}
_PERCENT = {"percent", "per cent", "%"}
_LOWER = r"more than|over|at least|above|exceeding|upwards of"
_UPPER = r"less than|fewer than|under|below|at most|up to"
_NUMBER = r"(?:half an?|\d[\d,]*(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) + r")"
_RANGE = re.compile(
    rf"\b(?P<bound>{_LOWER}|{_UPPER})\s+(?P<number>{_NUMBER})\b"
    rf"(?:\s+(?P<scale>{'|'.join(_SCALES)}))?"
    r"(?:\s*(?P<unit>%|(?:per cent|percent|(?:month|year|decade|centur(?:y|ie))s?)\b))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Bound:
    """'more than 10 years' read as: lower bound 10 on the dimension 'time', the rest of the text ''."""

    lower: bool
    value: float
    dimension: str
    rest: str


def read_bound(text: str) -> Bound | None:
    """The range an option states ('more than half a century'), or None if it states no simple one."""
    folded = normalize(text).casefold()
    matches = list(_RANGE.finditer(folded))
    if len(matches) != 1:
        return None
    match = matches[0]
    value = _number_value(match["number"])
    if value is None or (match["number"] in ("a", "an") and not (match["scale"] or match["unit"])):
        return None  # 'under a treaty' states no range
    value *= _SCALES.get(match["scale"] or "", 1)
    unit = (match["unit"] or "").rstrip("s")
    if unit in _TIME_UNITS:
        value, dimension = value * _TIME_UNITS[unit], "time"
    elif unit in _PERCENT:
        dimension = "percent"
    elif unit:
        return None
    else:
        dimension = ""  # a count: the unit, if any, is in the rest and must match
    rest = " ".join(words(folded[: match.start()] + " " + folded[match.end() :]))
    return Bound(bool(re.match(_LOWER, match["bound"])), value, dimension, rest)


def _number_value(text: str) -> float | None:
    if text.startswith("half"):
        return 0.5
    if text[0].isdigit():
        return float(text.replace(",", ""))
    return float(_NUMBER_WORDS[text]) if text in _NUMBER_WORDS else None


def implies(first: Bound, second: Bound) -> bool:
    """Is `second` true whenever `first` is? ('more than 50 years' implies 'more than 10 years')."""
    if first.lower != second.lower or first.dimension != second.dimension or first.rest != second.rest:
        return False
    return first.value >= second.value if first.lower else first.value <= second.value


def overlapping_options(question: Question) -> Iterator[tuple[tuple, str]]:
    """(field, message) for an option contained in, or implied by, another option (once per option)."""
    options = options_of(question)
    multiple = sum(option.correct for option in options) > 1
    folded = [words(option.text) for option in options]
    bounds = [read_bound(option.text) for option in options]
    for i, inner in enumerate(options):
        # The right answer first: 'implied by the answer' is the flaw that matters most.
        outers = sorted((j for j in range(len(options)) if j != i), key=lambda j: not options[j].correct)
        for j in outers:
            outer = options[j]
            if multiple and inner.correct and outer.correct:
                continue  # two right answers of a multiple select may well overlap
            if _contains(folded[j], folded[i]):
                yield (
                    inner.field,
                    (
                        f"{_named(inner, multiple)} is contained in {_named(outer, multiple)} "
                        "(options must not overlap: reword one so each is right or wrong on its own)"
                    ),
                )
                break
            if bounds[i] and bounds[j] and bounds[i] != bounds[j] and implies(bounds[j], bounds[i]):
                yield (
                    inner.field,
                    (
                        f"{_named(inner, multiple)} is implied by {_named(outer, multiple)} "
                        "(options must be mutually exclusive)"
                    ),
                )
                break


# --- 2. a word shared by the stem and the key only (a clang cue) ----------------


def clang_cues(question: Question) -> Iterator[tuple[tuple, str]]:
    """(field, message) for a content word of the stem, or of every right answer, that only right answers share."""
    options = options_of(question)
    if not options:
        return
    wrong = set().union(*(content_stems(o.text) for o in options if not o.correct))
    stem_words = content_stems(question.prompt)
    keys = [o for o in options if o.correct]
    multiple = len(keys) > 1
    reported = set()
    for key in keys:
        cue = sorted((content_stems(key.text) & stem_words) - wrong - reported)
        if cue:
            having = [k for k in keys if cue[0] in content_stems(k.text)]
            reported.add(cue[0])
            names = " and ".join(_named(k, multiple) for k in having)
            verb = "share" if len(having) > 1 else "shares"
            yield (
                key.field,
                (
                    f"{names} {verb} '{_shown_word(cue[0], key.text)}' with the prompt and no wrong option does "
                    "(a clang cue: reword the answer, or give a distractor the word too)"
                ),
            )
    if multiple:
        shared = sorted(frozenset.intersection(*(content_stems(k.text) for k in keys)) - wrong - stem_words)
        if shared:
            yield (
                keys[0].field,
                (
                    f"every right answer has the word '{_shown_word(shared[0], keys[0].text)}' and no wrong option "
                    "does (reword the answers, or give a distractor the word too)"
                ),
            )


def _shown_word(stemmed: str, text: str) -> str:
    """The word as the text writes it, for the message."""
    return next((w for w in _WORD.findall(normalize(text)) if stem(w.casefold()) == stemmed), stemmed)


# --- 3. the key is conspicuously the longest option ----------------------------

LONGEST_RATIO = 1.5  # the key at least this many times the longest distractor's length ...
LONGEST_MARGIN = 15  # ... and at least this many characters longer


def longest_key(question: Question) -> Iterator[tuple[tuple, str]]:
    """(field, message) when the one key of a choice question is far longer than every distractor."""
    options = options_of(question)
    keys = [option for option in options if option.correct]
    if len(keys) != 1 or len(options) < 2:
        return
    key, longest = len(keys[0].text), max(len(option.text) for option in options if not option.correct)
    if key >= LONGEST_RATIO * longest and key >= longest + LONGEST_MARGIN:
        yield (
            ("answer",),
            (
                f"the answer is {key} characters long, the longest distractor {longest} "
                "(the longest option stands out as the key: shorten it or lengthen the distractors)"
            ),
        )


# --- 4. options that refer to the other options --------------------------------

_REFERS = re.compile(
    r"^(?:(?:all|none) of (?:the above|these|them|the (?:above|options|answers|choices)(?: above)?)"
    r"|both [a-e] and [a-e]|neither [a-e] nor [a-e]|[a-e] and [a-e])$"
)


def referring_options(question: Question) -> Iterator[tuple[tuple, str]]:
    """(field, message) for 'all of the above', 'none of the above', 'both A and B' and the like."""
    for option in options_of(question):
        if _REFERS.match(" ".join(words(option.text))):
            yield (
                option.field,
                (
                    f"option '{option.text}' refers to the other options (they are shuffled in every version, and "
                    "such an option is a weak one: write an option that stands on its own)"
                ),
            )


BANK_CHECKS = (overlapping_options, clang_cues, longest_key, referring_options)


def question_flaws(question: Question) -> Iterator[tuple[tuple, str]]:
    """(field under the question, message) for every item-writing flaw of one question."""
    for check in BANK_CHECKS:
        for field, message in check(question):
            yield field, f"question '{question.id}': {message}"


def report_item_flaws(bank: Bank, report) -> None:
    """Warn, in the bank's report, about every item-writing flaw of its questions."""
    for index, question in enumerate(bank.questions):
        for field, message in question_flaws(question):
            report.warn(("questions", index) + field, message)


# --- 5. the same stem with a different key, anywhere in the content -------------

SAME_STEM = 0.9  # difflib ratio over the prompts' words at or above which two stems count as the same


def key_of(question: Question) -> list[str] | None:
    """The spellings of a question's right answer, comparable across questions of a kind; None when
    the stem is not the whole question (matching items and ordering events decide the answer)."""
    kind = kind_of(question)
    if any(path != ("prompt",) for path, _ in kind.shown(question)):
        return None
    return [" ".join(words(answer)) for answer in kind.answers(question) or [kind.plain_answer(question, english_text)]]


def same_key(first: Question, second: Question, keys: list[str], others: list[str]) -> bool:
    """Do two questions of a kind, with these keys (`key_of`), have the same right answer (one spelling
    inside the other counts)?"""
    if sum(o.correct for o in options_of(first)) > 1:  # several right options: the same set, or not
        return set(keys) == set(others)
    return any(a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} " for a in keys for b in others)


def same_stems(banks: list[Bank]) -> Iterator[tuple[Bank, int, Question]]:
    """(bank, index, earlier question) for each question whose stem repeats an earlier one with another key.

    A question with the stem (numbers aside) and key of an earlier one shares its verdict:
    two such questions never differ in key, and comparing again could only find the pairs
    its twin was already reported with."""
    # Each stem's words and key, worked out once: every comparison reads them again.
    stems = [(bank, index, q, words(q.prompt), key_of(q)) for bank in banks for index, q in enumerate(bank.questions)]
    stems = [stem for stem in stems if stem[4] is not None]
    frequency = Counter(itertools.chain.from_iterable(set(stem[3]) for stem in stems))  # (counted in C)
    earlier_with: dict[str, list[int]] = {}  # word -> positions in `stems` of the earlier stems holding it
    verdicts: dict[tuple, Question | None] = {}  # (kind, stem, key) -> the earlier question it repeats, if any
    for position, (bank, index, question, stem_words, key) in enumerate(stems):
        plain_words = tuple(word for word in stem_words if not word.isdigit())
        signature = (question.kind, plain_words, tuple(sorted(key)))
        if signature not in verdicts:
            verdicts[signature] = _repeated(question, stem_words, key, stems, frequency, earlier_with)
            for word in set(stem_words):
                earlier_with.setdefault(word, []).append(position)
        if verdicts[signature] is not None:
            yield bank, index, verdicts[signature]


def _repeated(question, stem_words, key, stems, frequency, earlier_with) -> Question | None:
    """The first earlier question whose stem this one nearly repeats with a different key."""
    for candidate in _candidates(stem_words, frequency, earlier_with):
        _, _, earlier, earlier_words, earlier_key = stems[candidate]
        if (
            earlier.kind == question.kind
            and nearly_same(stem_words, earlier_words)
            and not same_key(question, earlier, key, earlier_key)
        ):
            return earlier
    return None


def _candidates(stem_words: list[str], frequency: Counter, earlier_with: dict[str, list[int]]) -> list[int]:
    """The earlier stems that could be nearly the same as this one, in order.

    Two stems at the SAME_STEM ratio share all but a tenth of their words, so a stem
    nearly the same as this one holds at least one of its len/5 + 1 rarest words:
    looking those up keeps the check near-linear instead of comparing every pair."""
    rarest = sorted(set(stem_words), key=lambda word: (frequency[word], word))[: len(stem_words) // 5 + 1]
    return sorted({position for word in rarest for position in earlier_with.get(word, ())})


def nearly_same(first: list[str], second: list[str]) -> bool:
    """Nearly the same words, and no content word swapped for another ('which city' is not 'which month')."""
    if first == second:
        return True
    if 2 * min(len(first), len(second)) < SAME_STEM * (len(first) + len(second)):
        return False  # too different in length for the ratio to reach the threshold
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    if matcher.quick_ratio() < SAME_STEM or matcher.ratio() < SAME_STEM:
        return False
    swapped = [first[i1:i2] + second[j1:j2] for op, i1, i2, j1, j2 in matcher.get_opcodes() if op == "replace"]
    return not any(content_stems(" ".join(words_swapped)) for words_swapped in swapped)


def content_item_warnings(banks: list[Bank]) -> list[Issue]:
    """Located warnings for questions that repeat another's stem with a different key."""
    reports = {}  # the positions are in the files: read again only those with a finding
    for bank, index, earlier in same_stems(banks):
        report = reports.get(bank.path) or reports.setdefault(bank.path, open_report(Path(bank.path)))
        question = bank.questions[index]
        report.warn(
            ("questions", index, "prompt"),
            f"question '{question.id}': the prompt (nearly) repeats that of '{earlier.uid}', whose answer "
            "differs (make the stems ask different things, or the answers agree)",
        )
    return [issue for report in reports.values() for issue in report.issues if issue.severity == WARNING]


# --- 6. the key letters of a quiz's versions -------------------------------------

MIN_KEYS = 20  # fewer multiple choice keys than this and no letter count means anything
P_VALUE = 0.01  # uniformity rejected below this p-value of the chi-square test


def letter_counts(versions) -> tuple[Counter, Counter]:
    """(observed, expected) counts of each key letter over the multiple choice questions of the versions."""
    observed: Counter = Counter()
    expected: Counter = Counter()
    for version in versions:
        for printed in version.questions:
            if printed.kind == "multiple_choice":
                observed[printed.answer] += 1
                for choice in printed.choices:
                    expected[choice.letter] += 1 / len(printed.choices)
    return observed, expected


def chi_square_p(observed: Counter, expected: Counter) -> float:
    """The p-value of Pearson's chi-square test of the observed counts against the expected ones."""
    statistic = sum((observed[letter] - e) ** 2 / e for letter, e in expected.items())
    return chi_square_survival(statistic, len(expected) - 1)


def chi_square_survival(x: float, df: int) -> float:
    """P(X >= x) for X chi-square with `df` degrees of freedom (closed forms: no scipy needed)."""
    if df <= 0:
        return 1.0
    half = x / 2
    if df % 2 == 0:  # Q(k, x/2) = e^(-x/2) * sum_{i<k} (x/2)^i / i!
        return math.exp(-half) * sum(half**i / math.factorial(i) for i in range(df // 2))
    # Odd df: Q(n + 1/2, x/2) = erfc(sqrt(x/2)) + e^(-x/2) * sum_{i=1..n} (x/2)^(i-1/2) / Gamma(i+1/2)
    tail = sum(half ** (i - 0.5) / math.gamma(i + 0.5) for i in range(1, df // 2 + 1))
    return math.erfc(math.sqrt(half)) + math.exp(-half) * tail


def letter_balance_warnings(quiz, versions) -> list[Issue]:
    """A warning on the quiz file when the key letters of its versions are far from evenly spread."""
    observed, expected = letter_counts(versions)
    keys = sum(observed.values())
    if keys < MIN_KEYS or len(expected) < 2:
        return []
    p = chi_square_p(observed, expected)
    if p >= P_VALUE:
        return []
    report = open_report(Path(quiz.path)) if quiz.path else None
    line, col = report.doc.where(("seed",)) if report and report.doc else (1, 1)
    counts = ", ".join(f"{letter} {observed[letter]}" for letter in OPTION_LETTERS if letter in expected)
    message = (
        f"quiz '{quiz.id}': the multiple choice keys of its {len(versions)} version(s) fall unevenly on the "
        f"letters ({counts} of {keys}; chi-square p = {p:.4f}): change the seed so students cannot guess by letter"
    )
    return [Issue(quiz.path, line, col, WARNING, message)]
