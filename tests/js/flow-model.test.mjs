// The flow's state machine (theme/assets/javascripts/flow-model.js): what each move leads to,
// without a DOM or an engine. Run with `node --test tests/js/` (tests/test_js_units.py runs it
// under pytest).
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";

const require = createRequire(import.meta.url);
const Model = require("../../theme/assets/javascripts/flow-model.js");

// a: choice (to-b -> b, to-c -> c, unsure -> depends on other answers); b: checklist whose next
// step depends on its answer; c: rating -> d; d: info -> o3; o1, o2, o3: outcomes. Where an
// answer leads without the engine is the compiled tree's "routes", as the build writes it; the
// rules are there for the engine only (the state machine never reads them).
const tree = {
  format: 1,
  id: "t",
  start: "a",
  scales: { risk: [{ id: "lag", label: "LÅG" }, { id: "hog", label: "HÖG" }] },
  nodes: {
    a: { id: "a", kind: "choice", title: "Vad?", options: [
      { id: "to-b", label: "Till B", next: "b" }, { id: "to-c", label: "Till C", next: "c" },
      { id: "unsure", label: "Vet inte" }], next: [{ if: "answered(c)", goto: "c" }, { if: null, goto: "b" }] },
    b: { id: "b", kind: "checklist", title: "Kryssa", options: [{ id: "p", label: "P" }, { id: "q", label: "Q" }],
      next: [{ if: '"p" in b', goto: "o1" }, { if: null, goto: "o2" }] },
    c: { id: "c", kind: "rating", title: "Bedöm", scale: "risk",
      items: [{ id: "i1", label: "Ett" }, { id: "i2", label: "Två" }], next: [{ if: null, goto: "d" }] },
    d: { id: "d", kind: "info", title: "Läs", next: [{ if: null, goto: "o3" }] },
    o1: { id: "o1", kind: "outcome", title: "Utfall 1", actions: [] },
    o2: { id: "o2", kind: "outcome", title: "Utfall 2", actions: [] },
    o3: { id: "o3", kind: "outcome", title: "Utfall 3", actions: [] },
  },
  routes: {
    a: { next: null, options: { "to-b": "b", "to-c": "c", unsure: null } },
    b: { next: null },
    c: { next: "d" },
    d: { next: "o3" },
  },
};
// The engine's answer for a path (only what the state machine reads of it); at an outcome, the
// indexes of the actions whose if: holds.
function result(path, actions = []) {
  const node = path.at(-1);
  if (tree.nodes[node].kind !== "outcome") return { status: "question", node, path };
  return { status: "outcome", node, path, outcome: { actions: actions.map((index) => ({ index })) } };
}

// The worker says it has started; the state machine asks it once with the answers as they are;
// `answer` is the engine's answer to that.
function engineReady(state, answer) {
  const started = Model.engineStarted(tree, state);
  assert.deepEqual(started.run, { from: null, ticket: state.ticket, first: true });
  assert.equal(started.state.engine, "loading", "routing stays static until the engine has answered");
  return Model.engineResult(tree, started.state, started.run, answer);
}

const begin = (options) => Model.init(tree, options).state;

// A sequence of moves, each (state) => move; returns every move's result, the last state last.
function play(state, ...moves) {
  const seen = [];
  for (const move of moves) {
    const done = move(state);
    seen.push(done);
    state = done.state;
  }
  return seen;
}

test("the page's first entry gets the counter 0; the flow starts at its first step", () => {
  const { state, history } = Model.init(tree);
  assert.deepEqual(history, { replace: 0 });
  assert.equal(state.current, "a");
  assert.deepEqual(state.entries, { base: 0, pos: 0, nodes: { 0: "a" } });
  const view = Model.view(tree, state);
  assert.equal(view.canBack, false);
  assert.equal(view.canRestart, false, "Börja om is hidden on the first step");
});

test("an entry left by an earlier load (a reload, Back after the quick exit) shows the start", () => {
  const { state, history } = Model.init(tree, { entryStep: 3, linked: "o1" });
  assert.equal(state.current, "a");
  assert.deepEqual(history, { replace: 3 });
  assert.deepEqual(state.answers, {});
  // Back from there reaches entries this load never made: the start again.
  const { state: back } = Model.traverse(tree, state, 2);
  assert.equal(back.current, "a");
});

test("a link into an outcome opens it with its answers unknown", () => {
  const state = begin({ entryStep: null, linked: "o1" });
  assert.equal(state.current, "o1");
  assert.deepEqual(state.answers, {});
  const view = Model.view(tree, state);
  assert.equal(view.direct, true);
  assert.equal(view.canBack, false);
  assert.equal(view.canRestart, true);
  // Börja från början: nothing to lose, so no question.
  const { state: started, history } = Model.restart(tree, state);
  assert.equal(started.current, "a");
  assert.equal(started.confirming, false);
  assert.equal(history, undefined, "on the page's first entry: no history move");
  assert.equal(started.entries.nodes[0], "a");
});

test("a link into a step whose next step depends on earlier answers: the reader picks a rule", () => {
  const state = begin({ linked: "b" });
  assert.equal(Model.view(tree, state).showRules, true);
  const [answered] = play(state, (s) => Model.answer(tree, s, "b", ["q"]));
  assert.equal(answered.state.current, "b");
  assert.deepEqual(answered.state.note, { node: "b", kind: "pick" }, "not a wait: the engine cannot see this step");
  const [, picked] = play(state, (s) => Model.answer(tree, s, "b", ["q"]), (s) => Model.pick(tree, s, "o2", ["q"]));
  assert.equal(picked.state.current, "o2");
  assert.deepEqual(picked.history, { push: 1 });
  assert.equal(Model.view(tree, picked.state).direct, false, "reached by answering, not opened directly");
});

test("each step moved to is one history entry holding only a counter", () => {
  const moves = play(begin(),
    (s) => Model.answer(tree, s, "a", "to-c"),
    (s) => Model.answer(tree, s, "c", { i1: "lag", i2: "hog" }),
    (s) => Model.answer(tree, s, "d", true));
  assert.deepEqual(moves.map((m) => m.history), [{ push: 1 }, { push: 2 }, { push: 3 }]);
  const last = moves.at(-1).state;
  assert.equal(last.current, "o3");
  assert.deepEqual(last.entries.nodes, { 0: "a", 1: "c", 2: "d", 3: "o3" });
  assert.deepEqual(last.trail, ["a", "c", "d", "o3"]);
});

test("Back and Forward over the entries move between the steps, answers kept", () => {
  const walked = play(begin(),
    (s) => Model.answer(tree, s, "a", "to-c"),
    (s) => Model.answer(tree, s, "c", { i1: "lag", i2: "hog" })).at(-1).state;
  const [back1, back0, fwd1, fwd2] = play(walked,
    (s) => Model.traverse(tree, s, 1),
    (s) => Model.traverse(tree, s, 0),
    (s) => Model.traverse(tree, s, 1),
    (s) => Model.traverse(tree, s, 2));
  assert.deepEqual([back1, back0, fwd1, fwd2].map((m) => m.state.current), ["c", "a", "c", "d"]);
  assert.ok([back1, back0, fwd1, fwd2].every((m) => m.history === undefined), "traversing makes no entry");
  assert.deepEqual(back0.state.answers, walked.answers);
  assert.equal(Model.shownAnswer(back1.state, "c").i2, "hog");
  // A new answer after Back drops the entries ahead, as the browser does.
  const [again] = play(back0.state, (s) => Model.answer(tree, s, "a", "to-b"));
  assert.deepEqual(again.history, { push: 1 });
  assert.deepEqual(again.state.entries.nodes, { 0: "a", 1: "b" });
});

test("Tillbaka is the browser's Back when the entry before is the step before; otherwise a new entry", () => {
  const walked = play(begin(), (s) => Model.answer(tree, s, "a", "to-c")).at(-1).state;
  const back = Model.back(tree, walked);
  assert.deepEqual(back.history, { go: -1 });
  assert.equal(back.state.current, "a", "shown at once");
  assert.equal(back.state.awaiting, 0);
  // The browser's popstate for that entry then changes nothing.
  const arrived = Model.traverse(tree, back.state, 0);
  assert.equal(arrived.state.shown, back.state.shown);
  assert.equal(arrived.state.awaiting, null);

  // After Ändra, the entry before is another step: Tillbaka makes an entry.
  const atOutcome = play(walked,
    (s) => Model.answer(tree, s, "c", { i1: "lag", i2: "lag" }),
    (s) => Model.answer(tree, s, "d", true)).at(-1).state;
  const edited = Model.edit(tree, atOutcome, "c");
  assert.deepEqual(edited.history, { push: 4 });
  assert.equal(edited.state.editing, true);
  const backFromEdit = Model.back(tree, edited.state, { i1: "lag", i2: "lag" });
  assert.deepEqual(backFromEdit.history, { push: 5 });
  assert.equal(backFromEdit.state.current, "a");
});

test("Tillbaka keeps what was ticked or rated on a step but not sent", () => {
  const atRating = play(begin(), (s) => Model.answer(tree, s, "a", "to-c")).at(-1).state;
  const back = Model.back(tree, atRating, { i1: "hog" });
  assert.deepEqual(Model.shownAnswer(back.state, "c"), { i1: "hog" });
  assert.equal("c" in back.state.answers, false, "not sent, so not an answer");
  const forwardAgain = Model.traverse(tree, { ...back.state, awaiting: null }, 1);
  assert.equal(forwardAgain.state.current, "c");
  assert.deepEqual(Model.shownAnswer(forwardAgain.state, "c"), { i1: "hog" });
  // Sent: the draft goes, the answer stays.
  const sent = Model.answer(tree, forwardAgain.state, "c", { i1: "hog", i2: "lag" });
  assert.deepEqual(Model.shownAnswer(sent.state, "c"), { i1: "hog", i2: "lag" });
  assert.equal("c" in sent.state.drafts, false);
  // An answer changed on the step and not sent is kept too, and the sent one still routes.
  const backAtC = Model.traverse(tree, sent.state, 1);
  assert.equal(backAtC.state.current, "c");
  const changedNotSent = Model.back(tree, backAtC.state, { i1: "lag", i2: "lag" });
  assert.equal(changedNotSent.state.current, "a");
  assert.deepEqual(Model.shownAnswer(changedNotSent.state, "c"), { i1: "lag", i2: "lag" });
  assert.deepEqual(changedNotSent.state.answers.c, { i1: "hog", i2: "lag" });
});

test("before the engine: a step that needs it waits beside the control and shows the rules", () => {
  const atB = play(begin(), (s) => Model.answer(tree, s, "a", "to-b")).at(-1).state;
  assert.equal(Model.view(tree, atB).showRules, true);
  const waiting = Model.answer(tree, atB, "b", ["p"]);
  assert.equal(waiting.state.current, "b");
  assert.equal(waiting.history, undefined);
  assert.equal(waiting.state.pending, "b");
  assert.deepEqual(waiting.state.note, { node: "b", kind: "wait" });
  // The engine arrives and takes over: the step after b on its path.
  const ready = engineReady(waiting.state, result(["a", "b", "o1"]));
  assert.equal(ready.state.current, "o1");
  assert.deepEqual(ready.history, { push: 2 });
  assert.equal(ready.state.engine, "ready");
  assert.equal(ready.state.note, null);
  assert.equal(Model.view(tree, ready.state).showRules, false);
});

test("before the engine: the reader may pick a rule instead of waiting", () => {
  const atB = play(begin(), (s) => Model.answer(tree, s, "a", "to-b")).at(-1).state;
  const waiting = Model.answer(tree, atB, "b", ["p"]);
  const picked = Model.pick(tree, waiting.state, "o1", ["p"]);
  assert.equal(picked.state.current, "o1");
  assert.equal(picked.state.pending, null);
  assert.deepEqual(picked.state.trail, ["a", "b", "o1"]);
  // The engine arriving later moves nobody.
  const ready = engineReady(picked.state, result(["a", "b", "o1"]));
  assert.equal(ready.history, undefined);
  assert.equal(ready.state.current, "o1");
});

test("a move away from a waiting step ends the wait", () => {
  const atB = play(begin(), (s) => Model.answer(tree, s, "a", "to-b")).at(-1).state;
  const waiting = Model.answer(tree, atB, "b", ["p"]).state;
  for (const leave of [(s) => Model.back(tree, s, ["p"]), (s) => Model.traverse(tree, s, 0, ["p"]),
    (s) => Model.edit(tree, s, "a", ["p"]), (s) => Model.restart(tree, s, { confirmed: true })]) {
    const left = leave(waiting).state;
    assert.equal(left.pending, null);
    assert.equal(left.note, null);
    const ready = engineReady({ ...left, awaiting: null }, result(["a", "b", "o1"]));
    assert.equal(ready.history, undefined, "the engine does not move the reader on from elsewhere");
    assert.equal(ready.state.current, left.current);
  }
});

test("with the engine: an answer asks it; a result for an older answer is dropped", () => {
  const atB = { ...play(begin(), (s) => Model.answer(tree, s, "a", "to-b")).at(-1).state, engine: "ready", result: result(["a", "b"]) };
  const asked = Model.answer(tree, atB, "b", ["q"]);
  assert.equal(asked.run.from, "b");
  assert.equal(asked.state.current, "b");
  const askedAgain = Model.answer(tree, asked.state, "b", ["p"]);
  const stale = Model.engineResult(tree, askedAgain.state, asked.run, result(["a", "b", "o2"]));
  assert.equal(stale.state.current, "b");
  const fresh = Model.engineResult(tree, askedAgain.state, askedAgain.run, result(["a", "b", "o1"]));
  assert.equal(fresh.state.current, "o1");
  assert.deepEqual(fresh.history, { push: 2 });
});

test("Ändra: the changed answer goes straight on to where the engine leads", () => {
  let state = play(begin(),
    (s) => Model.answer(tree, s, "a", "to-c"),
    (s) => Model.answer(tree, s, "c", { i1: "lag", i2: "lag" }),
    (s) => Model.answer(tree, s, "d", true)).at(-1).state;
  state = { ...state, engine: "ready", result: result(["a", "c", "d", "o3"]) };
  const edited = Model.edit(tree, state, "a");
  assert.equal(edited.state.current, "a");
  const asked = Model.answer(tree, edited.state, "a", "to-c");
  const done = Model.engineResult(tree, asked.state, asked.run, result(["a", "c", "d", "o3"]));
  assert.equal(done.state.current, "o3", "straight on, not one step");
  assert.equal(done.state.editing, false);
});

test("Börja om asks first when there is something to lose, then wipes and goes to the first entry", () => {
  const atOutcome = play(begin(),
    (s) => Model.answer(tree, s, "a", "to-c"),
    (s) => Model.answer(tree, s, "c", { i1: "lag", i2: "lag" }),
    (s) => Model.answer(tree, s, "d", true)).at(-1).state;
  const asked = Model.restart(tree, atOutcome);
  assert.equal(asked.state.confirming, true);
  assert.equal(asked.state.current, "o3");
  assert.equal(asked.history, undefined);
  assert.deepEqual(asked.state.answers, atOutcome.answers, "nothing wiped before the answer");
  const cancelled = Model.cancelRestart(asked.state);
  assert.equal(cancelled.state.confirming, false);
  assert.deepEqual(cancelled.state.answers, atOutcome.answers);

  const wiped = Model.restart(tree, asked.state, { confirmed: true });
  assert.deepEqual(wiped.history, { go: -3 });
  assert.equal(wiped.state.current, "a");
  assert.deepEqual(wiped.state.answers, {});
  assert.deepEqual(wiped.state.drafts, {});
  assert.deepEqual(wiped.state.trail, ["a"]);
  assert.equal(wiped.state.confirming, false);
  // Forward then reaches entries whose steps are forgotten: the start, nothing of the answers.
  const arrived = Model.traverse(tree, wiped.state, 0);
  const forward = Model.traverse(tree, arrived.state, 2);
  assert.equal(forward.state.current, "a");
  assert.deepEqual(Model.summary(tree, forward.state), []);

  // Only unsent ticks count as something to lose too.
  const atRating = play(begin(), (s) => Model.answer(tree, s, "a", "to-c")).at(-1).state;
  const noAnswersYet = { ...atRating, answers: {} };
  assert.equal(Model.restart(tree, noAnswersYet, { unsent: { i1: "lag" } }).state.confirming, true);
  assert.equal(Model.restart(tree, noAnswersYet, { unsent: {} }).state.confirming, false);
});

test("a link followed to a part of the page becomes the flow's next entry", () => {
  const atC = play(begin(), (s) => Model.answer(tree, s, "a", "to-c")).at(-1).state;
  const linked = Model.openLinked(tree, atC, "o2");
  assert.deepEqual(linked.history, { replace: 2 });
  assert.equal(linked.state.current, "o2");
  assert.equal(Model.view(tree, linked.state).direct, true);
  const back = Model.traverse(tree, linked.state, 1);
  assert.equal(back.state.current, "c");
});

test("Dina svar: one row per answer, one per rated item", () => {
  const state = play(begin(),
    (s) => Model.answer(tree, s, "a", "to-c"),
    (s) => Model.answer(tree, s, "c", { i1: "lag", i2: "hog" }),
    (s) => Model.answer(tree, s, "d", true)).at(-1).state;
  assert.deepEqual(Model.summary(tree, state), [
    { node: "a", item: null, group: null, question: "Vad?", answer: ["Till C"] },
    { node: "c", item: "i1", group: "Bedöm", question: "Ett", answer: ["LÅG"] },
    { node: "c", item: "i2", group: "Bedöm", question: "Två", answer: ["HÖG"] },
  ]);
  const checklist = play(begin(), (s) => Model.answer(tree, s, "a", "to-b"), (s) => Model.answer(tree, s, "b", [])).at(-1).state;
  assert.deepEqual(Model.summary(tree, checklist).at(-1).answer, []);  // the page says "nothing chosen" in its language
});

test("staticNext reads the compiled tree's routes: an option's target, a step's next, null where answers decide", () => {
  assert.equal(Model.staticNext(tree, { a: "to-b" }, "a"), "b");
  assert.equal(Model.staticNext(tree, { a: "unsure" }, "a"), null, "null: the engine decides");
  assert.equal(Model.staticNext(tree, { b: ["p"] }, "b"), null);
  assert.equal(Model.staticNext(tree, {}, "d"), "o3");
  // Nothing is derived from the options' own next or the rules: a tree without routes routes nothing.
  const { routes, ...bare } = tree;
  assert.equal(Model.staticNext(bare, { a: "to-b" }, "a"), null);
  assert.equal(Model.staticNext(bare, {}, "d"), null);
  // A route the build changed is followed as it is, whatever the rules say.
  const moved = { ...tree, routes: { ...routes, d: { next: "o1" }, a: { next: null, options: { ...routes.a.options, "to-b": "o2" } } } };
  assert.equal(Model.staticNext(moved, {}, "d"), "o1");
  assert.equal(Model.staticNext(moved, { a: "to-b" }, "a"), "o2");
});

test("with the engine: after Börja om it still routes; a step it cannot see falls back to the rules", () => {
  let state = play(begin(),
    (s) => Model.answer(tree, s, "a", "to-b")).at(-1).state;
  state = { ...state, engine: "ready", result: result(["a", "b"]) };
  const wiped = Model.restart(tree, state, { confirmed: true }).state;
  assert.equal(Model.view(tree, wiped).showRules, false, "the start is on the engine's path");
  const asked = Model.answer(tree, { ...wiped, awaiting: null }, "a", "to-b");
  assert.ok(asked.run, "the engine is asked");
  const atB = Model.engineResult(tree, asked.state, asked.run, result(["a", "b"])).state;
  assert.equal(atB.current, "b");
  assert.equal(Model.view(tree, atB).showRules, false);

  // Opened by a link: the engine's path does not reach it, so the reader picks.
  const linked = { ...begin({ linked: "b" }), engine: "ready", result: result(["a"]) };
  assert.equal(Model.view(tree, linked).showRules, true);
  const tried = Model.answer(tree, linked, "b", ["p"]);
  const fellBack = Model.engineResult(tree, tried.state, tried.run, result(["a"]));
  assert.equal(fellBack.state.current, "b");
  assert.deepEqual(fellBack.state.note, { node: "b", kind: "pick" });
});

// ---- the engine's arrival, failure and stale answers, against the reader's moves meanwhile ----

const atStartWaiting = () => {
  const moved = Model.answer(tree, begin(), "a", "unsure");
  assert.equal(moved.state.pending, "a");
  return moved.state;
};

test("an option whose target depends on other answers waits while the engine loads", () => {
  const waiting = Model.answer(tree, begin(), "a", "unsure");
  assert.equal(waiting.history, undefined);
  assert.equal(waiting.run, undefined, "nothing to ask yet");
  assert.deepEqual(waiting.state.note, { node: "a", kind: "wait" });
  assert.equal(waiting.state.current, "a");
  // Another answer on the same step that the tree routes goes on at once, and the wait ends.
  const other = Model.answer(tree, waiting.state, "a", "to-c");
  assert.equal(other.state.current, "c");
  assert.equal(other.state.pending, null);
  assert.equal(engineReady(other.state, result(["a", "c"])).state.current, "c");
});

test("pending move, then the engine: it goes where the engine leads, one history entry", () => {
  const ready = engineReady(atStartWaiting(), result(["a", "b"]));
  assert.equal(ready.state.current, "b");
  assert.deepEqual(ready.history, { push: 1 });
  assert.deepEqual(ready.state.trail, ["a", "b"]);
  assert.equal(ready.state.engine, "ready");
  assert.equal(ready.state.pending, null);
  assert.equal(ready.state.note, null);
});

test("the engine's first answer is stale when the reader moved meanwhile: it is asked again", () => {
  const waiting = atStartWaiting();
  const started = Model.engineStarted(tree, waiting);
  // While the engine works on the answers as they were, the reader answers otherwise.
  const moved = Model.answer(tree, started.state, "a", "to-c").state;
  const stale = Model.engineResult(tree, moved, started.run, result(["a", "b"]));
  assert.equal(stale.state.current, "c", "not moved by the old answers");
  assert.equal(stale.state.engine, "loading");
  assert.deepEqual(stale.run, { from: null, ticket: moved.ticket, first: true }, "asked again");
  const fresh = Model.engineResult(tree, stale.state, stale.run, result(["a", "c"]));
  assert.equal(fresh.state.engine, "ready");
  assert.equal(fresh.history, undefined);
  assert.equal(fresh.state.current, "c");
  assert.deepEqual(fresh.state.trail, ["a", "c"], "the engine's path is the trail");
});

test("with the engine: a result that comes after the reader went back is dropped", () => {
  const ready = engineReady(begin(), result(["a"])).state;
  const asked = Model.answer(tree, ready, "a", "to-c");
  const atC = Model.engineResult(tree, asked.state, asked.run, result(["a", "c"])).state;
  const askedAtC = Model.answer(tree, atC, "c", { i1: "lag", i2: "lag" });
  const wentBack = Model.back(tree, askedAtC.state).state;
  const late = Model.engineResult(tree, wentBack, askedAtC.run, result(["a", "c", "d"]));
  assert.equal(late.state.current, "a");
  assert.equal(late.history, undefined);
});

test("Tillbaka while the engine loads: the trail's step before, answers kept; the engine moves nobody", () => {
  const atC = Model.answer(tree, begin(), "a", "to-c").state;
  const back = Model.back(tree, atC, { i1: "hog" });
  assert.equal(back.state.current, "a");
  assert.equal(back.state.engine, "loading");
  assert.equal(back.state.answers.a, "to-c");
  const ready = engineReady({ ...back.state, awaiting: null }, result(["a", "c"]));
  assert.equal(ready.state.current, "a");
  assert.equal(ready.history, undefined);
  assert.deepEqual(Model.shownAnswer(ready.state, "c"), { i1: "hog" });
});

test("Ändra while the engine loads: routed by the tree at once, or straight on once the engine is there", () => {
  const atO3 = play(begin(),
    (s) => Model.answer(tree, s, "a", "to-c"),
    (s) => Model.answer(tree, s, "c", { i1: "lag", i2: "lag" }),
    (s) => Model.answer(tree, s, "d", true)).at(-1).state;
  const edited = Model.edit(tree, atO3, "a");
  assert.equal(edited.state.editing, true);
  assert.equal(edited.state.current, "a");
  // An answer the tree routes: on at once, the trail cut after it.
  const toB = Model.answer(tree, edited.state, "a", "to-b");
  assert.equal(toB.state.current, "b");
  assert.deepEqual(toB.state.trail, ["a", "b"]);
  // One that waits: the engine, when it comes, takes it straight to where it leads.
  const waits = Model.answer(tree, edited.state, "a", "unsure");
  assert.equal(waits.state.pending, "a");
  const ready = engineReady(waits.state, result(["a", "c", "d", "o3"]));
  assert.equal(ready.state.current, "o3", "straight on after a change, not one step");
  assert.equal(ready.state.editing, false);
});

test("Börja om while the engine loads: the wait and the answers go; the engine arriving moves nobody", () => {
  const waiting = Model.answer(tree, Model.answer(tree, begin(), "a", "to-b").state, "b", ["p"]).state;
  const wiped = Model.restart(tree, waiting, { confirmed: true });
  assert.equal(wiped.state.current, "a");
  assert.equal(wiped.state.pending, null);
  assert.deepEqual(wiped.state.answers, {});
  assert.equal(wiped.state.result, null);
  assert.equal(wiped.state.engine, "loading");
  const ready = engineReady({ ...wiped.state, awaiting: null }, result(["a"]));
  assert.equal(ready.state.current, "a");
  assert.equal(ready.history, undefined);
  assert.equal(ready.state.engine, "ready");
});

test("the engine fails with a move waiting: the wait ends, the answers stay, later answers are ignored", () => {
  const waiting = atStartWaiting();
  const failed = Model.engineFailed(tree, waiting);
  assert.equal(failed.state.engine, "failed");
  assert.equal(failed.state.pending, null);
  assert.equal(failed.state.note, null);
  assert.equal(failed.state.current, "a");
  assert.deepEqual(failed.state.answers, { a: "unsure" });
  assert.equal(failed.history, undefined);
  // A worker message that comes after changes nothing.
  const late = Model.engineResult(tree, failed.state, { from: null, ticket: failed.state.ticket, first: true }, result(["a", "b"]));
  assert.equal(late.state, failed.state);
  assert.equal(Model.engineStarted(tree, failed.state).run, undefined);
});

test("an error from the engine is a failure, at its start or later", () => {
  const started = Model.engineStarted(tree, begin());
  assert.equal(Model.engineResult(tree, started.state, started.run, { status: "error" }).state.engine, "failed");
  const ready = engineReady(begin(), result(["a"])).state;
  const asked = Model.answer(tree, ready, "a", "to-b");
  assert.equal(Model.engineResult(tree, asked.state, asked.run, { status: "error" }).state.engine, "failed");
});

test("the browser not reporting an entry in time: taps wait no longer", () => {
  const atC = Model.answer(tree, begin(), "a", "to-c").state;
  const back = Model.back(tree, atC).state;
  assert.equal(back.awaiting, 0);
  assert.equal(Model.stopAwaiting(back).state.awaiting, null);
});

test("the quick exit forgets the answers, the unsent ticks and the wait", () => {
  const waiting = Model.answer(tree, Model.answer(tree, begin(), "a", "to-b").state, "b", ["p"]).state;
  const forgotten = Model.forget({ ...waiting, drafts: { c: { i1: "lag" } } }).state;
  assert.deepEqual([forgotten.answers, forgotten.drafts, forgotten.pending, forgotten.note, forgotten.result], [{}, {}, null, null, null]);
  assert.equal(Model.hasAnswers(forgotten), false);
});

test("an outcome the engine placed the reader at shows only the actions that apply; otherwise all", () => {
  const atC = Model.answer(tree, begin(), "a", "to-c").state;
  const toD = Model.answer(tree, atC, "c", { i1: "lag", i2: "hog" }).state;
  const loading = Model.answer(tree, toD, "d", true).state;
  assert.equal(loading.current, "o3");
  assert.equal(Model.view(tree, loading).actions, null, "the tree alone: every action, with its condition");
  const ready = engineReady(loading, result(["a", "c", "d", "o3"], [0, 2])).state;
  assert.deepEqual(Model.view(tree, ready).actions, [0, 2]);
  const linked = { ...engineReady(begin({ linked: "o3" }), result(["a"])).state };
  assert.equal(Model.view(tree, linked).actions, null, "opened by a link: the answers are unknown");
});

test("a link inside the flow to one of its steps (the diagram's text form): a new entry, nothing lost", () => {
  const atC = Model.answer(tree, begin(), "a", "to-c").state;
  const same = Model.open(tree, atC, "c", { i1: "lag" });
  assert.equal(same.state, atC, "the step already shown: nothing happens");
  const opened = Model.open(tree, atC, "d", { i1: "lag" });
  assert.deepEqual(opened.history, { push: 2 });
  assert.equal(opened.state.current, "d");
  assert.deepEqual(opened.state.trail, ["d"], "not on the reader's way: its answers are unknown");
  assert.equal(Model.view(tree, opened.state).direct, true);
  assert.deepEqual(Model.shownAnswer(opened.state, "c"), { i1: "lag" }, "the unsent rating is kept");
  const onTrail = Model.open(tree, atC, "a");
  assert.deepEqual(onTrail.state.trail, ["a", "c"], "a step on the reader's way keeps the way");
  assert.equal(Model.view(tree, onTrail.state).canBack, false);
});

test("before the engine: a step the build walked moves at once to where the engine sent the same answers", () => {
  // The build's engine sent a=unsure to b (answered(c) false); the page moves there without waiting.
  const walked = { ...tree, walked: { a: [{ after: { a: "unsure" }, to: "b" }] } };
  const moved = Model.answer(walked, Model.init(walked).state, "a", "unsure");
  assert.equal(moved.state.current, "b");
  assert.equal(moved.state.note, null);
  assert.equal(moved.run, undefined, "no engine asked");
  assert.deepEqual(moved.history, { push: 1 });
  // Answers the build did not list (another path to the step) are not guessed: the step waits.
  const other = { ...tree, walked: { a: [{ after: { a: "to-b", x: "y" }, to: "b" }] } };
  assert.deepEqual(Model.answer(other, Model.init(other).state, "a", "unsure").state.note, { node: "a", kind: "wait" });
  // A step opened by a link has no trail from the start: no entry can match it.
  const linked = Model.init(walked, { entryStep: 0, linked: "b" }).state;
  assert.equal(Model.walkedNext(walked, { ...linked, answers: { b: ["p"] } }, "b"), null);
});
