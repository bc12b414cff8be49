// The harness page's script: @citolab/qti-components (a QTI 3.0 player) and a small API the tests drive.
// The tests convert quizgen's QTI 2.1 items with @citolab/qti-convert, load each here, answer it the way a
// candidate does (clicks and typing; the player's own response setter for drag-and-drop interactions),
// let the player run the item's response processing, and read SCORE and MAXSCORE from the player.
import "@citolab/qti-components";

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

async function load(xml) {
  const host = document.getElementById("host");
  host.innerHTML = "";
  const item = document.createElement("qti-item");
  const container = document.createElement("item-container");
  container.itemXML = xml; // before it is connected: connectedCallback parses it
  item.append(container);
  host.append(item);
  for (let tries = 0; tries < 1000; tries++) {
    const assessment = container.shadowRoot?.querySelector("qti-assessment-item");
    if (assessment && assessment.variables.length) return assessment;
    await settle();
  }
  throw new Error("the player did not render the item");
}

function assessmentItem() {
  return document.querySelector("item-container").shadowRoot.querySelector("qti-assessment-item");
}

function byText(root, selector, text) {
  const found = [...root.querySelectorAll(selector)].find((node) => node.textContent.trim() === text);
  if (!found) throw new Error(`no ${selector} reads '${text}'`);
  return found.getAttribute("identifier");
}

// Set a drag-and-drop interaction's response through its public API, as its own drop handler does.
function setResponse(interaction, value) {
  interaction.response = value;
  interaction.saveResponse(value);
}

function matchPairs(pairs) {
  const item = assessmentItem();
  const interaction = item.querySelector("qti-match-interaction");
  const [lefts, rights] = interaction.querySelectorAll("qti-simple-match-set");
  const value = pairs.map(([left, right]) => `${byText(lefts, "qti-simple-associable-choice", left)} ${byText(rights, "qti-simple-associable-choice", right)}`);
  setResponse(interaction, value);
  return value;
}

function orderItems(texts) {
  const interaction = assessmentItem().querySelector("qti-order-interaction");
  const value = texts.map((text) => byText(interaction, "qti-simple-choice", text));
  setResponse(interaction, value);
  return value;
}

function choiceId(text) {
  return byText(assessmentItem(), "qti-simple-choice", text);
}

// Type into each text entry (and essay box) in reading order, as a keyboard would: the player saves on change.
function typeTexts(texts) {
  const boxes = [...assessmentItem().querySelectorAll("qti-text-entry-interaction, qti-extended-text-interaction")];
  if (boxes.length !== texts.length) throw new Error(`${boxes.length} text boxes, ${texts.length} answers`);
  boxes.forEach((box, i) => {
    const input = box.shadowRoot.querySelector("input, textarea");
    input.value = texts[i];
    input.dispatchEvent(new Event("change", { bubbles: true, composed: true }));
  });
}

// One answer, given as the bank states it: {choose: [texts]}, {type: [texts]}, {pairs: [[left, right]]}, {order: [texts]}.
function answer(given) {
  if (given.choose) given.choose.forEach((text) => assessmentItem().querySelector(`qti-simple-choice[identifier="${choiceId(text)}"]`).click());
  if (given.type) typeTexts(given.type);
  if (given.pairs) matchPairs(given.pairs);
  if (given.order) orderItems(given.order);
}

async function loadAnswerScore(xml, given) {
  await load(xml);
  answer(given);
  await settle();
  return score();
}

function score() {
  const item = assessmentItem();
  item.processResponse();
  const value = (name) => item.variables.find((v) => v.identifier === name)?.value ?? null;
  // Shown beside the player (not part of it), so a screenshot says what the player scored.
  document.getElementById("score").textContent = `Player's outcome: SCORE ${value("SCORE")} of MAXSCORE ${value("MAXSCORE")}`;
  return { SCORE: value("SCORE"), MAXSCORE: value("MAXSCORE"), responses: item.variables.filter((v) => v.type === "response").map((v) => [v.identifier, v.value]) };
}

window.qtiHarness = { load, answer, loadAnswerScore, choiceId, matchPairs, orderItems, score };
