// FSRS-6, the Free Spaced Repetition Scheduler, for the practice page: a line-by-line port
// of py-fsrs 6.3.2 (fsrs/scheduler.py, MIT), its default parameters and learning steps,
// without fuzz (so a schedule is repeatable and can be checked against py-fsrs itself).
// Why not ts-fsrs: its steps are whole minutes, its elapsed days are calendar days in UTC
// and it reorders Hard/Good/Easy intervals, so it disagrees with py-fsrs on about one
// review in three (see docs/practice.md). A card is plain JSON, as py-fsrs's Card.to_dict:
// {state, step, stability, difficulty, due, last_review}, times as ISO 8601 strings in UTC.
(function () {
  "use strict";

  const VERSION = "py-fsrs 6.3.2";
  const DEFAULT_PARAMETERS = Object.freeze([
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835,
    0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
  ]);
  const State = Object.freeze({ Learning: 1, Review: 2, Relearning: 3 });
  const Rating = Object.freeze({ Again: 1, Hard: 2, Good: 3, Easy: 4 });
  const MINUTE = 60 * 1000;
  const DAY = 24 * 60 * MINUTE;
  const STABILITY_MIN = 0.001;
  const MIN_DIFFICULTY = 1.0;
  const MAX_DIFFICULTY = 10.0;

  // Python's round(): halves go to the even neighbour (JavaScript's Math.round goes up).
  function roundHalfEven(x) {
    const floor = Math.floor(x);
    const diff = x - floor;
    if (diff > 0.5) return floor + 1;
    if (diff < 0.5) return floor;
    return floor % 2 === 0 ? floor : floor + 1;
  }

  // timedelta.days: whole periods of 24 hours, rounded down (not calendar days).
  function wholeDays(fromMs, toMs) {
    return Math.floor((toMs - fromMs) / DAY);
  }

  function iso(ms) {
    return new Date(ms).toISOString();
  }

  function scheduler(options) {
    const o = options || {};
    const w = Object.freeze((o.parameters || DEFAULT_PARAMETERS).slice());
    if (w.length !== 21 || !w.every(Number.isFinite)) throw new Error("FSRS-6 needs 21 parameters");
    const desiredRetention = o.desiredRetention || 0.9;
    const learningSteps = Object.freeze((o.learningSteps || [1 * MINUTE, 10 * MINUTE]).slice());
    const relearningSteps = Object.freeze((o.relearningSteps || [10 * MINUTE]).slice());
    const maximumInterval = o.maximumInterval || 36500;
    const DECAY = -w[20];
    const FACTOR = Math.pow(0.9, 1 / DECAY) - 1;

    const clampDifficulty = (d) => Math.min(Math.max(d, MIN_DIFFICULTY), MAX_DIFFICULTY);
    const clampStability = (s) => Math.max(s, STABILITY_MIN);
    const initialStability = (rating) => clampStability(w[rating - 1]);

    function initialDifficulty(rating, clamp) {
      const d = w[4] - Math.pow(Math.E, w[5] * (rating - 1)) + 1;
      return clamp ? clampDifficulty(d) : d;
    }

    function nextInterval(stability) {
      const days = (stability / FACTOR) * (Math.pow(desiredRetention, 1 / DECAY) - 1);
      return Math.min(Math.max(roundHalfEven(days), 1), maximumInterval); // full days, at least one
    }

    function shortTermStability(stability, rating) {
      let increase = Math.pow(Math.E, w[17] * (rating - 3 + w[18])) * Math.pow(stability, -w[19]);
      if (rating !== Rating.Again) increase = Math.max(increase, 1.0);
      return clampStability(stability * increase);
    }

    function nextDifficulty(difficulty, rating) {
      const target = initialDifficulty(Rating.Easy, false);
      const delta = -(w[6] * (rating - 3));
      const damped = difficulty + ((10.0 - difficulty) * delta) / 9.0; // linear damping
      return clampDifficulty(w[7] * target + (1 - w[7]) * damped); // mean reversion
    }

    function forgetStability(difficulty, stability, r) {
      const longTerm =
        w[11] * Math.pow(difficulty, -w[12]) * (Math.pow(stability + 1, w[13]) - 1) * Math.pow(Math.E, (1 - r) * w[14]);
      const shortTerm = stability / Math.pow(Math.E, w[17] * w[18]);
      return Math.min(longTerm, shortTerm);
    }

    function recallStability(difficulty, stability, r, rating) {
      const hardPenalty = rating === Rating.Hard ? w[15] : 1;
      const easyBonus = rating === Rating.Easy ? w[16] : 1;
      return (
        stability *
        (1 +
          Math.pow(Math.E, w[8]) *
            (11 - difficulty) *
            Math.pow(stability, -w[9]) *
            (Math.pow(Math.E, (1 - r) * w[10]) - 1) *
            hardPenalty *
            easyBonus)
      );
    }

    function nextStability(difficulty, stability, r, rating) {
      const s = rating === Rating.Again ? forgetStability(difficulty, stability, r) : recallStability(difficulty, stability, r, rating);
      return clampStability(s);
    }

    // The chance of recalling the card at `nowMs`; 0 for a card never reviewed.
    function retrievability(card, nowMs) {
      if (card.last_review === null || card.stability === null) return 0;
      const elapsed = Math.max(0, wholeDays(Date.parse(card.last_review), nowMs));
      return Math.pow(1 + (FACTOR * elapsed) / card.stability, DECAY);
    }

    // Learning and Relearning share their step logic; only the steps and the state differ.
    function stepInterval(card, rating, steps) {
      if (steps.length === 0 || (card.step >= steps.length && rating !== Rating.Again)) return graduate(card);
      if (rating === Rating.Again) {
        card.step = 0;
        return steps[0];
      }
      if (rating === Rating.Hard) {
        if (card.step === 0 && steps.length === 1) return steps[0] * 1.5;
        if (card.step === 0) return (steps[0] + steps[1]) / 2.0;
        return steps[card.step];
      }
      if (rating === Rating.Good) {
        if (card.step + 1 === steps.length) return graduate(card);
        card.step += 1;
        return steps[card.step];
      }
      return graduate(card); // Easy
    }

    function graduate(card) {
      card.state = State.Review;
      card.step = null;
      return nextInterval(card.stability) * DAY;
    }

    function updateMemory(card, rating, nowMs, daysSince) {
      if (card.stability === null || card.difficulty === null) {
        card.stability = initialStability(rating);
        card.difficulty = initialDifficulty(rating, true);
        return;
      }
      const r = retrievability(card, nowMs);
      card.stability =
        daysSince !== null && daysSince < 1
          ? shortTermStability(card.stability, rating)
          : nextStability(card.difficulty, card.stability, r, rating);
      card.difficulty = nextDifficulty(card.difficulty, rating);
    }

    // The card after a review with `rating` at `nowMs` (a new object; the old one is kept).
    function review(old, rating, nowMs) {
      if (![1, 2, 3, 4].includes(rating)) throw new Error("unknown rating " + rating);
      const card = Object.assign({}, old);
      const daysSince = card.last_review ? wholeDays(Date.parse(card.last_review), nowMs) : null;
      updateMemory(card, rating, nowMs, daysSince);
      let interval;
      if (card.state === State.Learning) interval = stepInterval(card, rating, learningSteps);
      else if (card.state === State.Relearning) interval = stepInterval(card, rating, relearningSteps);
      else if (card.state === State.Review) interval = reviewInterval(card, rating);
      else throw new Error("unknown card state " + card.state);
      card.due = iso(nowMs + interval);
      card.last_review = iso(nowMs);
      return card;
    }

    function reviewInterval(card, rating) {
      if (rating !== Rating.Again || relearningSteps.length === 0) return nextInterval(card.stability) * DAY;
      card.state = State.Relearning;
      card.step = 0;
      return relearningSteps[0];
    }

    // A question never answered: Learning at step 0, due at once.
    function newCard(nowMs) {
      return { state: State.Learning, step: 0, stability: null, difficulty: null, due: iso(nowMs), last_review: null };
    }

    const settings = Object.freeze({
      parameters: w,
      desired_retention: desiredRetention,
      learning_steps: learningSteps.map((ms) => ms / 1000), // seconds, as py-fsrs's Scheduler.to_dict
      relearning_steps: relearningSteps.map((ms) => ms / 1000),
      maximum_interval: maximumInterval,
      enable_fuzzing: false,
    });
    return Object.freeze({ review, newCard, retrievability, settings });
  }

  window.QuizgenFSRS = Object.freeze({ VERSION, DEFAULT_PARAMETERS, State, Rating, scheduler });
})();
