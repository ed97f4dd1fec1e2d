// The live flow as a state machine: what each move leads to, without a DOM, a worker or a
// clock. flow.js draws the state and passes the reader's moves and the engine's messages in;
// tests/js/flow-model.test.mjs runs every transition under Node.
//
// Plain data in, plain data out. `tree` is the compiled tree the page carries; where an answer
// leads without the engine is its `routes` ({node: {next, options: {option: target}}}, null where
// other answers decide): nothing here evaluates a rule. Every move returns {state, history?, run?}:
// history is {push: step} | {replace: step} | {go: delta}; run is {from, ticket, first?}: ask the
// engine with the answers as they are, then pass its result to engineResult with that run.
//
// A classic script (no bundler, and the page's CSP allows no inline script): in the page it is
// window.TryggtFlowModel, under Node module.exports.
(function () {
"use strict";

function init(tree, { entryStep = null, linked = null } = {}) {
  const known = Number.isInteger(entryStep) && entryStep >= 0;
  // An entry with a counter above 0 was made by an earlier load of this page (a reload, or Back
  // after the quick exit): its answers are gone, so it shows the start, whatever the fragment.
  const node = (!known || entryStep === 0) && linked && tree.nodes[linked] ? linked : tree.start;
  const base = known ? entryStep : 0;
  const state = {
    current: node,
    trail: [node], // the steps from the first one to the current one, and on
    answers: {},
    drafts: {}, // ticks and ratings on a step that were not sent with Fortsätt
    note: null, // {node, kind: "wait" | "pick"}: beside the control the reader tapped
    pending: null, // a step whose answer waits for the engine
    editing: false, // a change from "Dina svar": the next answer goes straight on
    confirming: false, // Börja om asked, not yet confirmed
    engine: "loading", // "loading" | "ready" | "failed"
    result: null, // the engine's last result
    entries: { base, pos: base, nodes: { [base]: node } }, // history step -> node (this load's)
    awaiting: null, // a history step this page asked the browser to go to
    shown: 0, // counts the steps shown: a new one gets focus
    ticket: 0, // counts moves and answers: an engine result for an older ticket is dropped
  };
  return { state, history: { replace: base } };
}

const hasValue = (value) =>
  value !== undefined && value !== null && (typeof value !== "object" || Object.keys(value).length > 0);

// Something to lose: sent answers, or ticks not yet sent (on this step or another).
function hasAnswers(state, unsent) {
  return Object.keys(state.answers).length > 0 || Object.values(state.drafts).some(hasValue) || hasValue(unsent);
}

function keepDraft(state, unsent) {
  if (unsent === undefined) return state;
  return { ...state, drafts: { ...state.drafts, [state.current]: unsent } };
}

// What the step shows as ticked or rated: what was ticked and not sent, else what was sent.
function shownAnswer(state, nodeId) {
  return nodeId in state.drafts ? state.drafts[nodeId] : state.answers[nodeId];
}

function show(state, node, trail) {
  return {
    ...state, current: node, trail, note: null, pending: null, editing: false, confirming: false,
    shown: state.shown + 1, ticket: state.ticket + 1,
  };
}

function pushEntry(entries, node) {
  const pos = entries.pos + 1;
  const nodes = {};
  for (const [step, id] of Object.entries(entries.nodes)) if (Number(step) < pos) nodes[step] = id;
  nodes[pos] = node;
  return { base: entries.base, pos, nodes };
}

function forward(state, node, trail) {
  const entries = pushEntry(state.entries, node);
  return { state: show({ ...state, entries }, node, trail), history: { push: entries.pos } };
}

function trailThrough(state, from, to) {
  const i = state.trail.indexOf(from);
  return (i >= 0 ? state.trail.slice(0, i + 1) : [from]).concat(to);
}

// The trail a step shown again belongs to: the reader's, the engine's, or none before it.
function trailFor(state, node) {
  if (state.trail.includes(node)) return state.trail;
  if (state.result && state.result.path.includes(node)) return state.result.path;
  return [node];
}

function onEnginePath(state, node) {
  return state.engine === "ready" && !!state.result && state.result.path.includes(node);
}

// Where an answer leads whatever the other answers are, as the compiled tree says; null when
// other answers decide (then the engine, or the reader, does).
function staticNext(tree, answers, nodeId) {
  const route = (tree.routes || {})[nodeId];
  if (!route) return null;
  const to = tree.nodes[nodeId].kind === "choice" ? (route.options || {})[answers[nodeId]] : route.next;
  return to === undefined ? null : to;
}

// Where the engine sent these same answers when the build walked every path (the tree's
// `walked`, from engine/paths.py walked_routes): the answers on the trail up to `nodeId`, no
// more and no fewer. null when the build did not list them (a checklist, rating or form on the
// way, or a step reached by a link).
function walkedNext(tree, state, nodeId) {
  const entries = (tree.walked || {})[nodeId] || [];
  const i = state.trail.indexOf(nodeId);
  if (i < 0) return null;
  const steps = state.trail.slice(0, i + 1);
  const same = (after) => Object.keys(after).length === steps.length
    && steps.every((step) => step in after && after[step] === state.answers[step]);
  const found = entries.find((entry) => same(entry.after));
  return found ? found.to : null;
}

function answer(tree, state, nodeId, value) {
  return route(tree, sent({ ...state, ticket: state.ticket + 1 }, nodeId, value), nodeId);
}

function sent(state, nodeId, value) {
  const drafts = { ...state.drafts };
  delete drafts[nodeId];
  return { ...state, answers: { ...state.answers, [nodeId]: value }, drafts };
}

function route(tree, state, from) {
  // With the engine there, it is asked; should it not see the step, engineResult falls back.
  if (state.engine === "ready") {
    const asked = { ...state, note: null, pending: null, ticket: state.ticket + 1 };
    return { state: asked, run: { from, ticket: asked.ticket } };
  }
  return routeWithoutEngine(tree, state, from);
}

function routeWithoutEngine(tree, state, from) {
  const to = staticNext(tree, state.answers, from) || walkedNext(tree, state, from);
  if (to) return forward(state, to, trailThrough(state, from, to));
  if (state.engine === "loading" && state.trail[0] === tree.start) {
    return { state: { ...state, pending: from, note: { node: from, kind: "wait" } } };
  }
  // The engine cannot see this step from the answers (it was opened by a link, or reached by a
  // way the reader picked), or it is not coming: the reader picks the next step from the rules.
  return { state: { ...state, pending: null, note: { node: from, kind: "pick" } } };
}

// The worker has started: ask it once with the answers as they are, before it routes anything.
function engineStarted(tree, state) {
  if (state.engine !== "loading") return { state };
  return { state, run: { from: null, ticket: state.ticket, first: true } };
}

// The engine's answer to a run. An error ends the engine; a result for an older ticket is
// dropped (the reader moved or answered meanwhile), except the first, which is asked again.
function engineResult(tree, state, run, result) {
  if (state.engine === "failed") return { state };
  if (result.status === "error") return engineFailed(tree, state);
  if (run.first) {
    if (run.ticket !== state.ticket) return { state, run: { from: null, ticket: state.ticket, first: true } };
    return engineReady(tree, state, result);
  }
  if (run.ticket !== state.ticket) return { state };
  return routeByResult(tree, { ...state, result }, run.from, result);
}

function routeByResult(tree, state, from, result) {
  const i = result.path.indexOf(from);
  if (i < 0) return routeWithoutEngine(tree, state, from);
  // After Back, step forward one at a time; after a change from "Dina svar", go straight on.
  const to = !state.editing && i + 1 < result.path.length ? result.path[i + 1] : result.node;
  if (to === from) return { state };
  return forward(state, to, result.path);
}

// The engine's first result, for the answers as they are now: it takes over routing, and an
// answer that waited for it goes on.
function engineReady(tree, state, result) {
  const ready = { ...state, engine: "ready", result };
  if (state.pending !== null) return routeByResult(tree, ready, state.pending, result);
  const adopt = result.path.includes(state.current) && state.trail[0] === tree.start;
  return { state: adopt ? { ...ready, trail: result.path } : ready };
}

// The engine could not start, or stopped: the page becomes the static flow again; an answer
// that waited for it waits no more (the static page shows every step and its rules).
function engineFailed(tree, state) {
  return { state: { ...state, engine: "failed", pending: null, note: null, result: null, ticket: state.ticket + 1 } };
}

// Tillbaka: the step before on the trail. When the history entry before is that step, this is
// the browser's Back (no new entry); otherwise a new entry.
function back(tree, state, unsent) {
  const kept = keepDraft(state, unsent);
  const i = kept.trail.indexOf(kept.current);
  if (i <= 0) return { state: kept };
  const prev = kept.trail[i - 1];
  const { pos, nodes } = kept.entries;
  if (nodes[pos - 1] === prev) {
    const moved = show({ ...kept, entries: { ...kept.entries, pos: pos - 1 } }, prev, kept.trail);
    return { state: { ...moved, awaiting: pos - 1 }, history: { go: -1 } };
  }
  return forward(kept, prev, kept.trail);
}

// The browser's Back or Forward arrived at one of the flow's entries (popstate).
function traverse(tree, state, step, unsent) {
  if (state.awaiting !== null && step === state.awaiting) return { state: { ...state, awaiting: null } };
  const kept = keepDraft(state, unsent);
  const node = kept.entries.nodes[step] || tree.start;
  const moved = show({ ...kept, awaiting: null, entries: { ...kept.entries, pos: step } }, node, trailFor(kept, node));
  return { state: moved };
}

// The browser did not report the entry it was sent to in time: taps wait no longer.
function stopAwaiting(state) {
  return { state: { ...state, awaiting: null } };
}

// "Ändra" in "Dina svar".
function edit(tree, state, node, unsent) {
  const moved = forward(keepDraft(state, unsent), node, trailFor(state, node));
  return { ...moved, state: { ...moved.state, editing: true } };
}

// A rule link: the reader picks the next step, as on the static page. What is ticked on the
// step counts as its answer (a rating only when every item is rated).
function pick(tree, state, to, unsent) {
  const from = state.current;
  const node = tree.nodes[from];
  let next = state;
  const complete = (node.kind === "rating" && unsent && node.items.every((item) => item.id in unsent))
    || (node.kind === "form" && unsent && formAnswer(node, unsent).missing.length === 0);
  if (node.kind === "checklist" && Array.isArray(unsent)) next = sent(next, from, unsent);
  else if (complete && node.kind === "form") next = sent(next, from, formAnswer(node, unsent).value);
  else if (complete) next = sent(next, from, unsent);
  else if (node.kind === "info") next = sent(next, from, true);
  else next = keepDraft(next, unsent);
  return forward(next, to, trailThrough(next, from, to));
}

// A link inside the flow to one of its steps (the diagram's text form): a new entry.
function open(tree, state, node, unsent) {
  if (node === state.current) return { state };
  const kept = keepDraft(state, unsent);
  return forward(kept, node, trailFor(kept, node));
}

// The browser followed a link to a part of this page (a search result, say): it made a new
// entry with the new fragment; it becomes the flow's next entry, showing that step.
function openLinked(tree, state, node, unsent) {
  const kept = keepDraft(state, unsent);
  const entries = pushEntry(kept.entries, node);
  return { state: show({ ...kept, entries }, node, trailFor(kept, node)), history: { replace: entries.pos } };
}

// Börja om: asks first when there is something to lose. Then the answers, the unsent ticks and
// the steps behind the history entries are forgotten, and the browser goes back to the page's
// first entry (Back then leaves the flow; Forward shows the start).
function restart(tree, state, { confirmed = false, unsent } = {}) {
  if (!confirmed && hasAnswers(state, unsent)) return { state: { ...state, confirming: true } };
  const start = tree.start;
  const { base, pos } = state.entries;
  // Without answers the engine's path is the first step alone: no need to ask it.
  const result = state.engine === "ready" ? { status: "question", node: start, path: [start] } : null;
  const wiped = { ...state, answers: {}, drafts: {}, result, entries: { base, pos: base, nodes: { [base]: start } } };
  const moved = show(wiped, start, [start]);
  if (pos > base) return { state: { ...moved, awaiting: base }, history: { go: base - pos } };
  return { state: moved };
}

function cancelRestart(state) {
  return { state: { ...state, confirming: false } };
}

// The quick exit: nothing of the answers stays in memory.
function forget(state) {
  return { state: { ...state, answers: {}, drafts: {}, result: null, pending: null, note: null } };
}

// What the page shows for the current state.
function view(tree, state) {
  const node = tree.nodes[state.current];
  const isOutcome = node.kind === "outcome";
  const start = tree.start;
  const r = state.result;
  const direct = state.current !== start && state.trail.length === 1;
  return {
    node: state.current,
    isOutcome,
    showRules: !isOutcome && !onEnginePath(state, state.current),
    canBack: state.trail.indexOf(state.current) > 0,
    canRestart: state.current !== start,
    // Opened without the answers before it (a link, or an entry whose answers were changed).
    direct,
    // An outcome the engine placed the reader at: the indexes of the actions whose if: holds
    // (null: show them all, each with its condition in words).
    actions: isOutcome && state.engine === "ready" && r && r.status === "outcome" && r.node === state.current && !direct
      ? r.outcome.actions.map((a) => a.index) : null,
  };
}

// "Dina svar": one row per answer, a rating one row per item.
function summary(tree, state) {
  const rows = [];
  for (const id of state.trail) {
    if (!(id in state.answers)) continue;
    const node = tree.nodes[id];
    const value = state.answers[id];
    const row = { node: id, item: null, group: null, question: node.title };
    if (node.kind === "choice") {
      const option = node.options.find((o) => o.id === value);
      rows.push({ ...row, answer: [option ? option.label : ""] });
    } else if (node.kind === "checklist") {
      // none ticked: an empty answer, which the page says in its language
      rows.push({ ...row, answer: node.options.filter((o) => value.includes(o.id)).map((o) => o.label) });
    } else if (node.kind === "form") {
      // The labels of the fields filled, never what was written: the list may be read aloud.
      // `form`: how many fields the step has (the page words a one-field step differently).
      const labels = node.fields.filter((f) => f.id in value).map((f) => f.label || f.id);
      rows.push({ ...row, answer: labels, form: node.fields.length });
    } else if (node.kind === "rating") {
      const levels = (tree.scales || {})[node.scale] || [];
      for (const item of node.items) {
        const level = levels.find((l) => l.id === value[item.id]);
        if (level) rows.push({ node: id, item: item.id, group: node.title, question: item.label, answer: [level.label] });
      }
    }
  }
  return rows;
}

// ---- forms and the account they make ---------------------------------------------------------

const isFilled = (value) => value === true || value === false || (typeof value === "string" && value.trim() !== "");

// What a form step sends, from what is typed on it ({field: text | true | false}): the filled
// fields only, in the form's order, as typed; `missing`: the required fields not filled.
function formAnswer(node, typed) {
  const value = {};
  for (const field of node.fields) if (typed && isFilled(typed[field.id])) value[field.id] = typed[field.id];
  return { value, missing: node.fields.filter((f) => f.required && !(f.id in value)) };
}

// Typed text anywhere, sent or not: what the page warns about before it is closed.
function hasText(tree, state, unsent) {
  const typed = (id, value) => tree.nodes[id] && tree.nodes[id].kind === "form" && value
    && Object.values(value).some((v) => typeof v === "string" && v.trim() !== "");
  if (unsent !== undefined && typed(state.current, unsent)) return true;
  return [state.answers, state.drafts].some((all) => Object.entries(all).some(([id, v]) => typed(id, v)));
}

// The answers an account names on the reader's trail as they are now: a choice's or checklist's
// as sent; a form's as sent, and over it what is typed and not sent (the reader's latest
// words), without blanks.
function formAnswersSoFar(tree, state, unsent) {
  const drafts = unsent === undefined ? state.drafts : { ...state.drafts, [state.current]: unsent };
  const answers = {};
  for (const id of state.trail) {
    const node = tree.nodes[id];
    if (OPTION_KINDS.includes(node.kind) && id in state.answers) answers[id] = state.answers[id];
    if (node.kind !== "form") continue;
    const value = formAnswer(node, id in drafts ? drafts[id] : state.answers[id]).value;
    if (Object.keys(value).length) answers[id] = value;
  }
  return answers;
}

const OPTION_KINDS = ["choice", "checklist"];

// The labels of what was chosen: a choice's one label, a checklist's list in the options' order
// (null: nothing), as the engine's forms._chosen.
function chosen(node, answer) {
  const labels = new Map(node.options.map((o) => [o.id, o.label || o.id]));
  if (node.kind === "choice") return typeof answer === "string" && labels.has(answer) ? labels.get(answer) : null;
  const ticked = Array.isArray(answer) ? [...labels].filter(([id]) => answer.includes(id)).map(([, label]) => label) : [];
  return ticked.length ? ticked : null;
}

// An answer's value in the account: "STEP" for a choice's or checklist's, "STEP.FIELD" for a
// form's field (null: nothing chosen or filled), as the engine's forms._value.
function partValue(tree, field, answers) {
  const [step, fieldId] = field.split(".");
  if (fieldId === undefined) return chosen(tree.nodes[step], answers[step]);
  const value = (answers[step] || {})[fieldId];
  return isFilled(value) ? value : null;
}

// The account an outcome's template makes of the answers: the engine's forms.fill, in the
// browser, for a download before the outcome is reached (tests/js/test_account_parity.py holds
// the two to the same result). The template's parts come compiled by the engine with the page's
// tree (`accounts`); null when the outcome has none.
function assemble(tree, outcomeId, answers) {
  const account = (tree.accounts || {})[outcomeId];
  if (!account) return null;
  return {
    title: account.title,
    sections: account.sections.map((s) => ({
      heading: s.heading,
      parts: s.parts.map((p) => ("field" in p ? { ...p, value: partValue(tree, p.field, answers) } : { ...p })),
    })),
  };
}

// The outcome whose account a download takes before the outcome is reached: the first with a
// template (a flow that writes an account has one).
function accountOutcome(tree) {
  return Object.keys(tree.accounts || {})[0] || null;
}

// An answer as the account shows it; `words` = {yes, no, blank, and} in the site's language. A
// checklist's labels read as a list in a sentence ("A, B och C"), so that a template can put
// them in one.
function partText(part, words) {
  if (part.value === null || part.value === undefined) return words.blank;
  if (Array.isArray(part.value)) {
    const last = part.value[part.value.length - 1];
    return part.value.length === 1 ? last : `${part.value.slice(0, -1).join(", ")} ${words.and} ${last}`;
  }
  if (part.value === true) return words.yes;
  if (part.value === false) return words.no;
  return part.type === "datetime" ? part.value.replace("T", " ") : part.value;
}

const sectionText = (section, words) => section.parts.map((p) => ("field" in p ? partText(p, words) : p.text)).join("");

// The account as a plain text file; `words.written`, when given, says under the title when.
function accountText(account, words) {
  const lines = [account.title, "=".repeat(account.title.length), ...(words.written ? [words.written] : []), ""];
  for (const section of account.sections) lines.push(section.heading, "-".repeat(section.heading.length), sectionText(section, words), "");
  return lines.join("\n");
}

const escapeHTML = (text) => String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

// The account as a page of its own, to print from the reader's device: every text escaped,
// no script, no address outside the file.
function accountHTML(account, words, lang) {
  // Each answer isolated (<bdi>): a right-to-left mark in it turns no text around it.
  const html = (section) => section.parts.map((p) => ("field" in p
    ? `<bdi>${escapeHTML(partText(p, words))}</bdi>` : escapeHTML(p.text))).join("");
  const sections = account.sections.map((s) => `<h2>${escapeHTML(s.heading)}</h2>\n<p>${html(s)}</p>`).join("\n");
  return `<!DOCTYPE html>
<html lang="${escapeHTML(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHTML(account.title)}</title>
<style>
body { max-width: 40em; margin: 2em auto; padding: 0 1em; font: 12pt/1.5 system-ui, sans-serif; color: #000; }
h1 { font-size: 1.5em; } h2 { font-size: 1.1em; margin: 1.5em 0 0.3em; break-after: avoid; }
p { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
</style>
</head>
<body>
<h1>${escapeHTML(account.title)}</h1>
${words.written ? `<p>${escapeHTML(words.written)}</p>\n` : ""}${sections}
</body>
</html>
`;
}

const Model = {
  formAnswer, hasText, formAnswersSoFar, assemble, accountOutcome, partText, accountText, accountHTML,
  init, answer, engineStarted, engineResult, engineFailed, back, traverse, stopAwaiting, edit, pick,
  open, openLinked, restart, cancelRestart, forget, view, summary, staticNext, walkedNext, shownAnswer, hasAnswers,
};
if (typeof module === "object" && module.exports) module.exports = Model;
else self.TryggtFlowModel = Model;
})();
