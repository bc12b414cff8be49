// The practice page's behaviour. Every piece of bank text goes into the page through
// textContent or createTextNode, never innerHTML: a question that contains markup
// shows that markup literally. The page makes no network request (see its CSP).
(function () {
  "use strict";
  performance.mark("quizgen:script-start"); // with the first-question mark: how long our own work takes

  const DATA = JSON.parse(document.getElementById("quizgen-data").textContent);
  const QUESTIONS = DATA.questions;
  const BY_UID = new Map(QUESTIONS.map((q) => [q.uid, q]));
  // Pages opened from file:// share one origin, so the key names this page's question set.
  const STORE_PREFIX = "quizgen-practice:";
  const STORE_KEY = STORE_PREFIX + DATA.set;
  const DEFAULT_COUNT = 10;
  const STRINGS = DATA.strings; // the course language's texts, from its catalogue (practice.*, count.*)
  const FSRS = window.QuizgenFSRS; // templates/practice/fsrs.js, inlined before this script
  const SCHEDULER = FSRS.scheduler(); // py-fsrs's defaults: 0.9 retention, steps of 1 and 10 minutes
  const MINUTE = 60 * 1000;
  const HOUR = 60 * MINUTE;
  const DAY = 24 * HOUR;
  // The four ratings after an answer, and their names in the catalogue.
  const RATINGS = [
    { value: FSRS.Rating.Again, text: "practice.rate_again" },
    { value: FSRS.Rating.Hard, text: "practice.rate_hard" },
    { value: FSRS.Rating.Good, text: "practice.rate_good" },
    { value: FSRS.Rating.Easy, text: "practice.rate_easy" },
  ];
  const FILE_FORMAT = "quizgen-practice-progress";
  const FILE_VERSION = 1;
  const FILE_LIMIT = 5 * 1024 * 1024; // a progress file of a few thousand questions is well under this

  const $ = (id) => document.getElementById(id);
  const ui = {
    setup: $("setup"),
    form: $("setup-form"),
    article: $("filter-article"),
    tag: $("filter-tag"),
    kind: $("filter-kind"),
    count: $("filter-count"),
    shuffle: $("filter-shuffle"),
    available: $("available"),
    history: $("history"),
    reviewHistory: $("review-history"),
    reset: $("reset"),
    dueCounts: $("due-counts"),
    dueNext: $("due-next"),
    dueRound: $("due-round"),
    newRound: $("new-round"),
    exportButton: $("export"),
    importFile: $("import-file"),
    transfer: $("transfer-status"),
    question: $("question"),
    summary: $("summary"),
    position: $("position"),
    score: $("score"),
  };

  let progress = loadProgress();
  let firstShown = false;

  // ---- small helpers -------------------------------------------------------

  // Build an element; strings among the children become text nodes, never markup.
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "class") node.className = value;
      else if (key === "on") for (const [type, fn] of Object.entries(value)) node.addEventListener(type, fn);
      else if (value === true) node.setAttribute(key, "");
      else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function shuffled(items) {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  // Case, accents, punctuation and spacing do not make a typed answer wrong; but a decimal
  // point between digits and a leading minus are part of the answer ("10.7" is not "107").
  function normalize(text) {
    return String(text)
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .replace(/(\d)[.,](?=\d)/gu, "$1\u2024")
      .replace(/^\s*-(?=\d)/u, "\u2212")
      .replace(/[^\p{L}\p{N}\u2024\u2212]/gu, "");
  }

  // "10.7", "10,7", "1,200.5" and "10.7 billion" all read as numbers; "" and "ten" do not.
  function parseNumber(text) {
    let cleaned = String(text).trim().replace(/[\s\u00a0\u202f']/g, "");
    if (cleaned.includes(",") && cleaned.includes(".")) cleaned = cleaned.replace(/,/g, "");
    else cleaned = cleaned.replace(",", ".");
    const match = cleaned.match(/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?/i);
    return match ? Number(match[0]) : NaN;
  }

  // A text of the catalogue with its {name} placeholders filled in.
  function t(key, params) {
    if (!(key in STRINGS)) throw new Error("no text " + key + " in the page's catalogue");
    return STRINGS[key].replace(/\{(\w+)\}/g, (whole, name) => String(params[name]));
  }

  function plural(n, word) {
    return t("count." + word + (n === 1 ? ".one" : ".other"), { count: n });
  }

  // ---- progress in localStorage ----------------------------------------------

  // history: each question's last result; schedules: each answered question's FSRS card;
  // log: every rating given ({question, at, rating, right}); round: the round in course.
  function freshProgress() {
    return { history: {}, schedules: {}, log: [], round: null };
  }

  // Declarations, not arrow constants: loadProgress runs before this part of the script.
  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function isTime(value) {
    return typeof value === "string" && !Number.isNaN(Date.parse(value));
  }

  function isStep(value) {
    return Number.isInteger(value) && value >= 0;
  }

  // A card as fsrs.js makes them, after at least one review; anything else is refused.
  function validCard(card) {
    if (!isObject(card) || !isTime(card.due) || !isTime(card.last_review)) return false;
    if (!(Number.isFinite(card.stability) && card.stability > 0)) return false;
    if (!(Number.isFinite(card.difficulty) && card.difficulty >= 1 && card.difficulty <= 10)) return false;
    if (card.state === FSRS.State.Review) return card.step === null;
    return (card.state === FSRS.State.Learning || card.state === FSRS.State.Relearning) && isStep(card.step);
  }

  function validLogEntry(entry) {
    return isObject(entry) && typeof entry.question === "string" && isTime(entry.at) &&
      [1, 2, 3, 4].includes(entry.rating) && typeof entry.right === "boolean";
  }

  // Only this page's questions, and only well-formed entries: storage may hold anything.
  function pageProgress(stored) {
    const result = freshProgress();
    for (const [uid, right] of Object.entries(isObject(stored.history) ? stored.history : {})) {
      if (BY_UID.has(uid)) result.history[uid] = right === true;
    }
    for (const [uid, card] of Object.entries(isObject(stored.schedules) ? stored.schedules : {})) {
      if (BY_UID.has(uid) && validCard(card)) result.schedules[uid] = card;
    }
    result.log = (Array.isArray(stored.log) ? stored.log : []).filter((e) => validLogEntry(e) && BY_UID.has(e.question));
    return result;
  }

  function loadProgress() {
    let stored = null;
    try {
      stored = JSON.parse(window.localStorage.getItem(STORE_KEY) || "null");
    } catch (error) {
      stored = null; // storage disabled or corrupt: start afresh rather than fail
    }
    if (stored === null) return earlierProgress();
    if (!isObject(stored)) return freshProgress();
    const result = pageProgress(stored);
    const round = stored.round;
    if (round && Array.isArray(round.ids) && round.ids.every((uid) => BY_UID.has(uid))) {
      result.round = {
        ids: round.ids,
        index: Math.max(0, Math.min(Number(round.index) || 0, round.ids.length)),
        results: isObject(round.results) ? round.results : {},
        reviews: isObject(round.reviews) ? round.reviews : {},
        review: round.review === true,
        due: round.due === true,
      };
    }
    return result;
  }

  // A rebuild that adds or removes a question makes another question set, so another key: a page
  // with nothing stored yet takes its questions' progress from the other pages' stores (as an import
  // would: the later review of each question wins), so a new build keeps the student's schedules.
  function earlierProgress() {
    const result = freshProgress();
    try {
      for (let i = 0; i < window.localStorage.length; i += 1) {
        const key = window.localStorage.key(i);
        if (!key.startsWith(STORE_PREFIX) || key === STORE_KEY) continue;
        let stored = null;
        try {
          stored = JSON.parse(window.localStorage.getItem(key));
        } catch (error) {
          continue; // a corrupt store is skipped, not fatal
        }
        if (isObject(stored)) mergeInto(result, pageProgress(stored));
      }
    } catch (error) {
      // storage disabled: nothing to take
    }
    return result;
  }

  function saveProgress() {
    try {
      window.localStorage.setItem(STORE_KEY, JSON.stringify(progress));
    } catch (error) {
      // Storage may be full or disabled; practice still works, it is just not remembered.
    }
  }

  // ---- the schedule (FSRS) -------------------------------------------------------------

  // Due today means due before the student's next midnight, so a question that came due
  // yesterday evening or comes due this evening is in this morning's round.
  function endOfToday(now) {
    const end = new Date(now);
    end.setHours(24, 0, 0, 0);
    return end.getTime();
  }

  // The questions due today, the one due first first.
  function dueToday(now) {
    const end = endOfToday(now);
    return QUESTIONS.filter((q) => q.uid in progress.schedules && Date.parse(progress.schedules[q.uid].due) < end)
      .sort((a, b) => Date.parse(progress.schedules[a.uid].due) - Date.parse(progress.schedules[b.uid].due))
      .map((q) => q.uid);
  }

  function newQuestions() {
    return QUESTIONS.filter((q) => !(q.uid in progress.schedules)).map((q) => q.uid);
  }

  function nextDue(now) {
    const times = Object.values(progress.schedules).map((card) => Date.parse(card.due)).filter((t) => t >= endOfToday(now));
    return times.length ? Math.min(...times) : null;
  }

  // "10 minutes", "3 hours", "8 days": how long until a time, in the catalogue's words.
  function duration(ms) {
    if (ms < HOUR - MINUTE / 2) return plural(Math.max(1, Math.round(ms / MINUTE)), "minute");
    if (ms < DAY - HOUR / 2) return plural(Math.round(ms / HOUR), "hour");
    return plural(Math.round(ms / DAY), "day");
  }

  function describeToday() {
    const now = Date.now();
    const due = dueToday(now).length;
    const fresh = newQuestions().length;
    const later = Object.keys(progress.schedules).length - due;
    ui.dueCounts.textContent = t("practice.due_counts", { due: due, fresh: fresh, later: later });
    const next = due ? null : nextDue(now);
    ui.dueNext.hidden = due > 0;
    ui.dueNext.textContent = next === null ? t("practice.nothing_scheduled") : t("practice.nothing_due", { time: duration(next - now) });
    ui.dueRound.textContent = t("practice.due_round_start", { due: due });
    ui.dueRound.disabled = due === 0;
    const learn = Math.min(fresh, Math.max(1, parseInt(ui.count.value, 10) || DEFAULT_COUNT));
    ui.newRound.textContent = t("practice.new_round_start", { count: learn });
    ui.newRound.disabled = fresh === 0;
  }

  function startDueRound(moveFocus) {
    startRound(dueToday(Date.now()), false, moveFocus, true);
  }

  function startNewRound() {
    const fresh = newQuestions();
    const ordered = ui.shuffle.checked ? shuffled(fresh) : fresh;
    startRound(ordered.slice(0, Math.max(1, parseInt(ui.count.value, 10) || DEFAULT_COUNT)), false, true);
  }

  // The rating given for each answer: recorded at the time of the answer, from the question's
  // schedule before it, so changing one's mind replaces the review instead of adding another.
  function rate(uid, rating) {
    const review = progress.round.reviews[uid];
    const at = Date.parse(review.at);
    review.rating = rating;
    progress.schedules[uid] = SCHEDULER.review(review.before || SCHEDULER.newCard(at), rating, at);
    progress.log = progress.log.filter((e) => !(e.question === uid && e.at === review.at));
    progress.log.push({ question: uid, at: review.at, rating: rating, right: progress.round.results[uid] });
    saveProgress();
    describeToday();
  }

  // After an answer: Again, Hard, Good, Easy, each with when it would bring the question back;
  // the one the answer suggests (Good if right, Again if not) is already chosen.
  function ratingPanel(q, right) {
    const review = progress.round.reviews[q.uid];
    const at = Date.parse(review.at);
    const before = review.before || SCHEDULER.newCard(at);
    const status = el("p", { class: "hint next-due", id: "next-due", "aria-live": "polite" });
    const buttons = RATINGS.map((r) => el("button", { type: "button", class: "rating-button", "data-rating": r.value },
      el("span", { class: "rating-name" }, t(r.text)),
      el("span", { class: "rating-interval" }, duration(Date.parse(SCHEDULER.review(before, r.value, at).due) - at))));
    function show(rating) {
      buttons.forEach((b, i) => b.setAttribute("aria-pressed", String(RATINGS[i].value === rating)));
      status.textContent = t("practice.comes_back", { time: duration(Date.parse(progress.schedules[q.uid].due) - at) });
    }
    buttons.forEach((button, i) => button.addEventListener("click", () => {
      rate(q.uid, RATINGS[i].value);
      show(RATINGS[i].value);
    }));
    rate(q.uid, review.rating);
    show(review.rating);
    return el("div", { class: "rating", role: "group", "aria-labelledby": "rating-heading" },
      el("h3", { id: "rating-heading" }, t("practice.rate_question")),
      el("p", { class: "hint" }, t(right ? "practice.rate_hint_right" : "practice.rate_hint_wrong")),
      el("div", { class: "rating-buttons" }, buttons), status);
  }

  // ---- moving progress to another device ----------------------------------------------

  function progressFile(now) {
    return {
      format: FILE_FORMAT,
      version: FILE_VERSION,
      title: DATA.title,
      set: DATA.set,
      exported: new Date(now).toISOString(),
      questions: QUESTIONS.map((q) => q.uid),
      scheduler: Object.assign({ name: "FSRS-6", port_of: FSRS.VERSION }, SCHEDULER.settings),
      schedules: progress.schedules,
      history: progress.history,
      log: progress.log,
    };
  }

  function exportProgress() {
    const now = Date.now();
    const name = "quizgen-progress-" + DATA.set + "-" + new Date(now).toISOString().slice(0, 10) + ".json";
    const blob = new Blob([JSON.stringify(progressFile(now), null, 1) + "\n"], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: name, hidden: true });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60 * 1000);
    tellTransfer(t("practice.export_done", { file: name }), false);
  }

  function tellTransfer(message, isError) {
    ui.transfer.className = "transfer-status " + (isError ? "is-wrong" : "is-right");
    ui.transfer.setAttribute("role", isError ? "alert" : "status");
    ui.transfer.textContent = message;
  }

  // What a file holds, checked whole before anything is taken: {error} or {file}.
  function readProgressFile(text, name) {
    let file;
    try {
      file = JSON.parse(text);
    } catch (error) {
      return { error: t("practice.import_not_json", { file: name }) };
    }
    if (!isObject(file) || file.format !== FILE_FORMAT) return { error: t("practice.import_not_progress", { file: name }) };
    if (file.version !== FILE_VERSION) return { error: t("practice.import_version", { file: name, version: String(file.version) }) };
    const parts = [isObject(file.schedules), isObject(file.history), Array.isArray(file.log), Array.isArray(file.questions)];
    if (!parts.every(Boolean) || !file.questions.every((uid) => typeof uid === "string")) {
      return { error: t("practice.import_damaged", { file: name }) };
    }
    for (const [uid, card] of Object.entries(file.schedules)) {
      if (!validCard(card)) return { error: t("practice.import_bad_question", { file: name, question: uid }) };
    }
    const bad = file.log.find((entry) => !validLogEntry(entry));
    if (bad !== undefined) return { error: t("practice.import_damaged", { file: name }) };
    const known = Object.keys(file.schedules).concat(Object.keys(file.history)).filter((uid) => BY_UID.has(uid));
    if (!known.length) return { error: t("practice.import_other_page", { file: name }) };
    return { file: file };
  }

  // Merge: for each question, the schedule reviewed last wins, with its last result; the
  // logs are joined. So importing an old file never undoes newer practice on this device.
  function mergeProgress(file) {
    const taken = mergeInto(progress, pageProgress(file));
    saveProgress();
    return taken;
  }

  // `theirs` merged into `mine` (both as pageProgress makes them); how many schedules were taken.
  function mergeInto(mine, theirs) {
    let taken = 0;
    for (const [uid, card] of Object.entries(theirs.schedules)) {
      const held = mine.schedules[uid];
      if (!held || Date.parse(card.last_review) > Date.parse(held.last_review)) {
        mine.schedules[uid] = card;
        if (uid in theirs.history) mine.history[uid] = theirs.history[uid];
        taken += 1;
      }
    }
    for (const [uid, right] of Object.entries(theirs.history)) {
      if (!(uid in mine.history)) mine.history[uid] = right;
    }
    const seen = new Set(mine.log.map((e) => e.question + " " + e.at));
    mine.log = mine.log.concat(theirs.log.filter((e) => !seen.has(e.question + " " + e.at)))
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    return taken;
  }

  function importProgress() {
    const chosen = ui.importFile.files[0];
    ui.importFile.value = ""; // so choosing the same file again reads it again
    if (!chosen) return;
    if (chosen.size > FILE_LIMIT) return tellTransfer(t("practice.import_too_big", { file: chosen.name }), true);
    chosen.text().then((text) => {
      const read = readProgressFile(text, chosen.name);
      if (read.error) return tellTransfer(read.error, true);
      const onPage = Object.keys(read.file.schedules).filter((uid) => BY_UID.has(uid)).length;
      const elsewhere = read.file.questions.filter((uid) => !BY_UID.has(uid)).length;
      const taken = mergeProgress(read.file);
      const message = t("practice.import_done", { file: chosen.name, questions: plural(onPage, "question"), newer: taken });
      tellTransfer(elsewhere ? message + " " + t("practice.import_skipped", { questions: plural(elsewhere, "question") }) : message, false);
      updateStatus();
    });
  }

  // ---- choosing questions ----------------------------------------------------------

  function fillSelect(select, entries) {
    for (const [value, label] of entries) select.appendChild(el("option", { value: value }, label));
  }

  function setUpFilters() {
    fillSelect(ui.article, Object.entries(DATA.articles).map(([id, a]) => [id, a.title]));
    fillSelect(ui.tag, Object.keys(DATA.tags).map((tag) => [tag, tag]));
    fillSelect(ui.kind, Object.entries(DATA.kinds));
    ui.count.value = String(Math.min(DEFAULT_COUNT, QUESTIONS.length));
    for (const control of [ui.article, ui.tag, ui.kind]) control.addEventListener("change", describeAvailable);
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      startChosenRound(true);
    });
    ui.reviewHistory.addEventListener("click", () => {
      startRound(shuffled(missedInHistory()), true);
    });
    ui.reset.addEventListener("click", resetProgress);
    ui.dueRound.addEventListener("click", () => startDueRound(true));
    ui.newRound.addEventListener("click", startNewRound);
    ui.count.addEventListener("input", describeToday);
    ui.exportButton.addEventListener("click", exportProgress);
    ui.importFile.addEventListener("change", importProgress);
    describeAvailable();
  }

  function matchingQuestions() {
    return QUESTIONS.filter(
      (q) =>
        (!ui.article.value || q.articles.includes(ui.article.value)) &&
        (!ui.tag.value || q.tags.includes(ui.tag.value)) &&
        (!ui.kind.value || q.kind === ui.kind.value),
    );
  }

  function describeAvailable() {
    const n = matchingQuestions().length;
    ui.count.max = String(Math.max(1, n));
    ui.available.textContent = n ? t("practice.match", { questions: plural(n, "question") }) : t("practice.none_match");
  }

  function startChosenRound(moveFocus) {
    const pool = matchingQuestions();
    if (!pool.length) {
      ui.available.textContent = t("practice.none_match");
      return;
    }
    const count = Math.max(1, Math.min(parseInt(ui.count.value, 10) || DEFAULT_COUNT, pool.length));
    const ordered = ui.shuffle.checked ? shuffled(pool) : pool;
    startRound(ordered.slice(0, count).map((q) => q.uid), false, moveFocus);
  }

  function missedInHistory() {
    return QUESTIONS.filter((q) => progress.history[q.uid] === false).map((q) => q.uid);
  }

  function describeHistory() {
    const answered = QUESTIONS.filter((q) => q.uid in progress.history).length;
    const right = QUESTIONS.filter((q) => progress.history[q.uid] === true).length;
    const missed = answered - right;
    ui.history.textContent = answered
      ? t("practice.history", { answered: answered, total: QUESTIONS.length, right: right })
      : t("practice.history_none", { total: QUESTIONS.length });
    ui.reviewHistory.textContent = t("practice.review_history", { missed: missed });
    ui.reviewHistory.disabled = missed === 0;
  }

  function startRound(ids, review, moveFocus, due) {
    if (!ids.length) return;
    progress.round = { ids: ids, index: 0, results: {}, reviews: {}, review: review, due: due === true };
    saveProgress();
    ui.setup.open = false;
    showQuestion(moveFocus !== false);
  }

  function resetProgress() {
    // Stored empty, not removed: a page with nothing stored takes the progress of other builds.
    progress = freshProgress();
    saveProgress();
    startChosenRound(false);
    ui.setup.open = true;
    ui.available.textContent = t("practice.was_reset");
  }

  // ---- the running score -------------------------------------------------------------

  function roundScore() {
    const round = progress.round;
    const results = round ? round.ids.filter((uid) => uid in round.results).map((uid) => round.results[uid]) : [];
    return { answered: results.length, right: results.filter(Boolean).length };
  }

  function updateStatus() {
    const round = progress.round;
    const score = roundScore();
    const kind = round && round.review ? "practice.review_round" : round && round.due ? "practice.due_round" : "practice.round";
    ui.position.textContent = round ? t(kind, { questions: plural(round.ids.length, "question") }) : "";
    ui.score.textContent = t("practice.score", { right: score.right, answered: score.answered });
    describeHistory();
    describeToday();
  }

  // ---- one question --------------------------------------------------------------

  function showQuestion(moveFocus) {
    const round = progress.round;
    if (!round || round.index >= round.ids.length) {
      showSummary(moveFocus);
      return;
    }
    const q = BY_UID.get(round.ids[round.index]);
    const heading = el("h2", { id: "question-heading", tabindex: "-1" }, t("practice.question_of", { number: round.index + 1, total: round.ids.length }));
    const meta = el("p", { class: "meta" }, DATA.kinds[q.kind], " · ", q.articles.map((a) => DATA.articles[a].title).join("; "));
    // A reading set's excerpt, shown with each of its questions; text, never HTML.
    const excerpt = q.excerpt ? el("blockquote", { class: "excerpt", id: "excerpt" }, q.excerpt) : null;
    const prompt = el("p", { class: "prompt", id: "prompt" }, q.kind === "cloze" ? t("practice.fill_each_blank") : q.prompt);
    const area = el("div", { class: "answer" });
    const feedback = el("div", { id: "feedback", class: "feedback", role: "status", "aria-live": "polite" });
    ui.summary.hidden = true;
    ui.question.hidden = false;
    ui.question.dataset.kind = q.kind;
    ui.question.dataset.uid = q.uid;
    ui.question.replaceChildren(...[heading, meta, excerpt, prompt, area, feedback].filter(Boolean));
    const ctx = {
      q: q,
      area: area,
      say: (message) => feedback.replaceChildren(el("p", { class: "notice" }, message)),
      done: (right) => finish(q, right, feedback),
    };
    RENDERERS[q.kind](ctx);
    updateStatus();
    if (!firstShown) {
      firstShown = true;
      performance.mark("quizgen:first-question");
    }
    if (moveFocus) heading.focus();
  }

  function finish(q, right, feedback) {
    const round = progress.round;
    round.results[q.uid] = right;
    progress.history[q.uid] = right;
    const at = new Date(Date.now()).toISOString();
    round.reviews[q.uid] = { at: at, before: progress.schedules[q.uid] || null, rating: right ? FSRS.Rating.Good : FSRS.Rating.Again };
    const next = el("button", { type: "button", class: "primary next", on: { click: nextQuestion } },
      t(round.index + 1 < round.ids.length ? "practice.next" : "practice.see_score"));
    feedback.className = "feedback " + (right ? "is-right" : "is-wrong");
    // replaceChildren would print a null as "null": leave the absent parts out first.
    const parts = [
      el("p", { class: "verdict" }, verdict(q, right)),
      q.kind === "essay" ? null : CORRECT[q.kind](q), // an essay's key points are already on screen
      q.explanation ? el("p", { class: "explanation" }, q.explanation) : null,
      sourceBlock(q),
      ratingPanel(q, right), // saves the progress, with the suggested rating
      el("div", { class: "actions" }, next),
    ];
    feedback.replaceChildren(...parts.filter(Boolean));
    updateStatus();
    next.focus();
  }

  function verdict(q, right) {
    if (q.kind === "essay") return t(right ? "practice.essay_got" : "practice.essay_missed");
    return t(right ? "practice.right" : "practice.not_quite");
  }

  function nextQuestion() {
    progress.round.index += 1;
    saveProgress();
    showQuestion(true);
  }

  function sourceBlock(q) {
    const passages = q.source.map((passage) => {
      const article = DATA.articles[passage.article];
      return el("figure", { class: "passage" },
        el("blockquote", {}, passage.text),
        el("figcaption", {}, "— ", article.author ? article.author + ", " : "", el("cite", {}, article.title),
          article.date ? el("span", { class: "nowrap" }, " (" + article.date + ")") : null));
    });
    return el("div", { class: "source" }, el("h3", {}, t("practice.from_article")), passages);
  }

  // ---- answering, one renderer per kind ---------------------------------------------

  function checkButton(label) {
    return el("button", { type: "submit", class: "primary" }, label || t("practice.check"));
  }

  // A form so that Enter in a field checks the answer; it never submits anywhere.
  function answerForm(ctx, onCheck, ...children) {
    const form = el("form", { class: "answer-form", novalidate: true }, children);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!form.classList.contains("answered")) onCheck(form);
    });
    ctx.area.appendChild(form);
    return form;
  }

  function lock(form) {
    form.classList.add("answered");
    for (const control of form.querySelectorAll("input, select, textarea, button")) {
      if (control.tagName === "BUTTON") control.disabled = true;
      else if (control.tagName === "SELECT" || control.type === "checkbox") control.disabled = true;
      else control.readOnly = true;
    }
  }

  function badge(text) {
    return el("span", { class: "badge" }, text);
  }

  // Options answered by a single click (multiple choice, true/false).
  function choiceButtons(ctx, options, isRight) {
    const buttons = options.map((option) =>
      el("button", { type: "button", class: "option", "data-value": option.value }, option.label));
    const group = el("div", { class: "options", role: "group", "aria-labelledby": "prompt" }, buttons);
    buttons.forEach((button, i) => {
      button.addEventListener("click", () => {
        const chosen = options[i];
        buttons.forEach((b, j) => {
          b.disabled = true;
          if (isRight(options[j])) b.classList.add("right"), b.appendChild(badge(t("practice.correct_answer")));
          if (j === i) b.classList.add("chosen"), b.setAttribute("aria-pressed", "true");
          if (j === i && !isRight(chosen)) b.classList.add("wrong"), b.appendChild(badge(t("practice.your_answer")));
        });
        ctx.done(isRight(chosen));
      });
    });
    ctx.area.appendChild(group);
  }

  function renderMultipleChoice(ctx) {
    const options = shuffled(ctx.q.options).map((text) => ({ value: text, label: text }));
    choiceButtons(ctx, options, (option) => option.value === ctx.q.answer);
  }

  function renderTrueFalse(ctx) {
    const options = [{ value: true, label: t("answer.true") }, { value: false, label: t("answer.false") }];
    choiceButtons(ctx, options, (option) => option.value === ctx.q.answer);
  }

  function renderMultipleSelect(ctx) {
    const q = ctx.q;
    const boxes = [];
    const rows = shuffled(q.options).map((option, i) => {
      const box = el("input", { type: "checkbox", id: "option-" + i });
      box.dataset.value = option;
      boxes.push(box);
      return el("div", { class: "check-row" }, box, el("label", { for: "option-" + i }, option));
    });
    const fieldset = el("fieldset", {}, el("legend", {}, t("practice.tick_every")), rows);
    answerForm(ctx, (form) => {
      const chosen = boxes.filter((b) => b.checked).map((b) => b.dataset.value);
      if (!chosen.length) return ctx.say(t("practice.tick_one"));
      lock(form);
      for (const box of boxes) {
        const right = q.answers.includes(box.dataset.value);
        const row = box.parentNode;
        if (right) row.classList.add("right"), row.appendChild(badge(t("practice.correct_answer")));
        if (box.checked && !right) row.classList.add("wrong"), row.appendChild(badge(t("practice.your_answer_wrong")));
      }
      const exact = chosen.length === q.answers.length && chosen.every((c) => q.answers.includes(c));
      ctx.done(exact);
    }, fieldset, el("div", { class: "actions" }, checkButton()));
  }

  function textInput(id, label, extra) {
    const input = el("input", Object.assign({ type: "text", id: id, autocomplete: "off", autocapitalize: "off", spellcheck: "false" }, extra || {}));
    return { input: input, row: el("div", { class: "field" }, el("label", { for: id }, label), input) };
  }

  function renderShortAnswer(ctx) {
    const q = ctx.q;
    const { input, row } = textInput("typed-answer", t("practice.your_answer"));
    answerForm(ctx, (form) => {
      if (!input.value.trim()) return ctx.say(t("practice.type_answer"));
      lock(form);
      const accepted = [q.answer].concat(q.accept).map(normalize);
      const right = accepted.includes(normalize(input.value));
      input.classList.add(right ? "right" : "wrong");
      ctx.done(right);
    }, row, el("div", { class: "actions" }, checkButton()));
  }

  function renderNumeric(ctx) {
    const q = ctx.q;
    const label = q.unit ? t("practice.your_answer_in", { unit: q.unit }) : t("practice.your_answer");
    const { input, row } = textInput("typed-answer", label, { inputmode: "decimal" });
    answerForm(ctx, (form) => {
      const value = parseNumber(input.value);
      if (Number.isNaN(value)) return ctx.say(t("practice.type_number"));
      lock(form);
      // A little slack for binary floating point, so 0.1 + 0.2 style sums are not marked wrong.
      const slack = 1e-9 * Math.max(1, Math.abs(q.answer));
      const right = Math.abs(value - q.answer) <= q.tolerance + slack;
      input.classList.add(right ? "right" : "wrong");
      ctx.done(right);
    }, row, el("div", { class: "actions" }, checkButton()));
  }

  function renderCloze(ctx) {
    const blanks = [];
    const parts = ctx.q.segments.map((segment) => {
      if (!("blank" in segment)) return segment.text;
      const n = blanks.length + 1;
      const input = el("input", {
        type: "text", class: "blank", autocomplete: "off", autocapitalize: "off", spellcheck: "false",
        "aria-label": t("practice.blank", { number: n }), placeholder: segment.hint || null,
      });
      blanks.push({ input: input, answer: segment.answer });
      return input;
    });
    answerForm(ctx, (form) => {
      if (blanks.some((b) => !b.input.value.trim())) return ctx.say(t("practice.fill_every"));
      lock(form);
      let all = true;
      for (const blank of blanks) {
        const right = normalize(blank.input.value) === normalize(blank.answer);
        blank.input.classList.add(right ? "right" : "wrong");
        blank.input.after(el("span", { class: "mark " + (right ? "right" : "wrong") }, right ? "✓" : "✗"));
        if (!right) blank.input.setAttribute("aria-invalid", "true");
        all = all && right;
      }
      ctx.done(all);
    }, el("p", { class: "cloze-text" }, parts), el("div", { class: "actions" }, checkButton()));
  }

  function renderMatching(ctx) {
    const pairs = ctx.q.pairs;
    const rights = shuffled(pairs.map((p) => p.right));
    const selects = pairs.map((pair, i) => {
      const select = el("select", { id: "match-" + i }, el("option", { value: "" }, t("practice.choose")),
        rights.map((right) => el("option", { value: right }, right)));
      return select;
    });
    const rows = pairs.map((pair, i) =>
      el("div", { class: "match-row" }, el("label", { for: "match-" + i }, pair.left), selects[i]));
    answerForm(ctx, (form) => {
      if (selects.some((s) => !s.value)) return ctx.say(t("practice.match_every"));
      lock(form);
      let all = true;
      pairs.forEach((pair, i) => {
        const right = selects[i].value === pair.right;
        rows[i].classList.add(right ? "right" : "wrong");
        rows[i].appendChild(badge(t(right ? "practice.match_right" : "practice.match_wrong")));
        all = all && right;
      });
      ctx.done(all);
    }, el("div", { class: "matches" }, rows), el("div", { class: "actions" }, checkButton()));
  }

  function renderOrdering(ctx) {
    const items = ctx.q.items.map((item) => item.text);
    let order = shuffled(items);
    // A list that starts in the right order would give the answer away.
    if (order.every((text, i) => text === items[i])) order = order.slice(1).concat(order.slice(0, 1));
    const list = el("ol", { class: "order-list" });
    const announce = el("p", { class: "visually-hidden", "aria-live": "polite" });

    function move(index, step, which) {
      const target = index + step;
      [order[index], order[target]] = [order[target], order[index]];
      draw();
      announce.textContent = t("practice.moved", { item: order[target], number: target + 1, total: order.length });
      const buttons = list.children[target].querySelectorAll("button");
      const wanted = buttons[which];
      (wanted.disabled ? buttons[1 - which] : wanted).focus();
    }

    function draw() {
      list.replaceChildren(...order.map((text, i) => el("li", { class: "order-item" },
        el("span", { class: "order-text" }, text),
        el("span", { class: "order-buttons" },
          el("button", { type: "button", "aria-label": t("practice.move_up_label", { item: text }), disabled: i === 0, on: { click: () => move(i, -1, 0) } }, t("practice.up")),
          el("button", { type: "button", "aria-label": t("practice.move_down_label", { item: text }), disabled: i === order.length - 1, on: { click: () => move(i, 1, 1) } }, t("practice.down"))))));
    }

    draw();
    answerForm(ctx, (form) => {
      lock(form);
      const right = order.every((text, i) => text === items[i]);
      Array.from(list.children).forEach((li, i) => {
        const placed = order[i] === items[i];
        li.classList.add(placed ? "right" : "wrong");
        li.appendChild(badge(t(placed ? "practice.right_place" : "practice.wrong_place")));
      });
      ctx.done(right);
    }, el("p", { class: "hint" }, t("practice.earliest_first")), list, announce,
      el("div", { class: "actions" }, checkButton()));
  }

  function renderEssay(ctx) {
    const q = ctx.q;
    const text = el("textarea", { id: "essay-answer", rows: "6" });
    const assess = el("div", { class: "assess", hidden: true });
    answerForm(ctx, (form) => {
      lock(form);
      const got = el("button", { type: "button", class: "primary" }, t("practice.got_it"));
      const missed = el("button", { type: "button" }, t("practice.missed_it"));
      const choice = el("div", { class: "actions" }, got, missed);
      const decide = (right) => {
        choice.replaceWith(el("p", { class: "hint" }, t(right ? "practice.said_got" : "practice.said_missed")));
        ctx.done(right);
      };
      got.addEventListener("click", () => decide(true));
      missed.addEventListener("click", () => decide(false));
      assess.replaceChildren(
        el("h3", { id: "key-points-heading", tabindex: "-1" }, t("practice.model_points")),
        el("ul", { class: "key-points" }, q.key_points.map((point) => el("li", {}, point))),
        el("p", {}, t("practice.did_you")),
        choice);
      assess.hidden = false;
      assess.querySelector("h3").focus();
    }, el("div", { class: "field" }, el("label", { for: "essay-answer" }, t("practice.your_answer")), text),
      el("div", { class: "actions" }, checkButton(t("practice.show_points"))));
    ctx.area.appendChild(assess);
  }

  const RENDERERS = {
    multiple_choice: renderMultipleChoice,
    multiple_select: renderMultipleSelect,
    true_false: renderTrueFalse,
    short_answer: renderShortAnswer,
    numeric: renderNumeric,
    cloze: renderCloze,
    matching: renderMatching,
    ordering: renderOrdering,
    essay: renderEssay,
  };

  // ---- the correct answer, shown in feedback and on the review sheet ---------------

  function labelled(label, value) {
    return el("p", { class: "correct" }, el("strong", {}, t("practice.label", { label: label }) + " "), value);
  }

  function labelledList(label, items, ordered) {
    return el("div", { class: "correct" }, el("p", {}, el("strong", {}, t("practice.label", { label: label }))),
      el(ordered ? "ol" : "ul", {}, items.map((item) => el("li", {}, item))));
  }

  const CORRECT = {
    multiple_choice: (q) => labelled(t("practice.correct_answer"), q.answer),
    multiple_select: (q) => labelledList(t("practice.correct_answers"), q.answers, false),
    true_false: (q) => q.answer
      ? labelled(t("practice.correct_answer"), t("answer.true"))
      : el("div", { class: "correct" }, labelled(t("practice.correct_answer"), t("answer.false")),
        q.correction ? labelled(t("practice.in_fact"), q.correction) : null),
    short_answer: (q) => el("div", { class: "correct" }, labelled(t("practice.correct_answer"), q.answer),
      q.accept.length ? labelled(t("practice.also_accepted"), q.accept.join("; ")) : null),
    numeric: (q) => labelled(t("practice.correct_answer"),
      q.answer_text + (q.unit ? " " + q.unit : "") + (q.tolerance ? " " + t("practice.within", { tolerance: q.tolerance }) : "")),
    cloze: (q) => labelled(t("practice.full_text"), q.full_text),
    matching: (q) => labelledList(t("practice.correct_matches"), q.pairs.map((p) => p.left + " → " + p.right), false),
    ordering: (q) => labelledList(t("practice.correct_order"), q.items.map((item) => item.text + " (" + item.date + ")"), true),
    essay: (q) => labelledList(t("practice.key_points"), q.key_points, false),
  };

  // ---- the end of a round ------------------------------------------------------------

  function showSummary(moveFocus) {
    const round = progress.round;
    const score = roundScore();
    const missed = round ? round.ids.filter((uid) => round.results[uid] === false) : [];
    const heading = el("h2", { id: "summary-heading", tabindex: "-1" }, t("practice.round_finished"));
    const review = el("button", { type: "button", class: "primary", on: { click: () => startRound(missed, true) } },
      t("practice.review_missed", { missed: missed.length }));
    const again = el("button", { type: "button", on: { click: () => { ui.setup.open = true; ui.form.querySelector("select").focus(); } } },
      t("practice.new_round"));
    const print = el("button", { type: "button", on: { click: () => window.print() } }, t("practice.print"));
    const due = dueToday(Date.now()).length;
    const dueRound = el("button", { type: "button", class: missed.length ? null : "primary", on: { click: () => startDueRound(true) } },
      t("practice.due_round_start", { due: due }));
    ui.question.hidden = true;
    ui.question.replaceChildren();
    ui.summary.replaceChildren(
      heading,
      el("p", { class: "final-score" }, t("practice.final_score", { right: score.right, answered: score.answered })),
      el("div", { class: "actions" }, missed.length ? review : null, due ? dueRound : null, again, missed.length ? print : null),
      missed.length ? missedSheet(missed) : el("p", {}, t("practice.nothing_to_review")),
    );
    ui.summary.hidden = false;
    updateStatus();
    if (moveFocus) heading.focus();
  }

  function missedSheet(missed) {
    return el("div", { class: "missed" }, el("h3", {}, t("practice.missed_heading")),
      el("ol", {}, missed.map((uid) => {
        const q = BY_UID.get(uid);
        return el("li", { class: "missed-item" },
          el("p", { class: "prompt" }, q.kind === "cloze" ? q.full_text : q.prompt),
          CORRECT[q.kind](q), sourceBlock(q));
      })));
  }

  // ---- start -------------------------------------------------------------------------

  function resumeRound() {
    const round = progress.round;
    // A question answered before the reload counts; carry on with the next one.
    while (round.index < round.ids.length && round.ids[round.index] in round.results) round.index += 1;
  }

  // A round in course carries on; otherwise (none, finished, or opened and never answered)
  // the page opens on the questions due today, or, with none due, on a shuffled round as before.
  setUpFilters();
  if (progress.round) resumeRound();
  const round = progress.round;
  const inCourse = round && round.index < round.ids.length && Object.keys(round.results).length > 0;
  if (!inCourse && dueToday(Date.now()).length) {
    startDueRound(false);
  } else if (progress.round) {
    showQuestion(false);
  } else {
    startChosenRound(false);
  }
})();
