// The flow's model (the first part of theme/assets/javascripts/flow.js): what each move leads
// to, without a DOM or an engine. Run with `node --test tests/js/` (tests/test_js_units.py runs
// it under pytest).
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";

const require = createRequire(import.meta.url);
const Model = require("../../theme/assets/javascripts/flow.js");

// a: choice (to-b -> b, to-c -> c); b: checklist whose next step depends on its answer;
// c: rating -> d; d: info -> o3; o1, o2, o3: outcomes.
const tree = {
  format: 1,
  id: "t",
  start: "a",
  scales: { risk: [{ id: "lag", label: "LÅG" }, { id: "hog", label: "HÖG" }] },
  nodes: {
    a: { id: "a", kind: "choice", title: "Vad?", options: [
      { id: "to-b", label: "Till B", next: "b" }, { id: "to-c", label: "Till C", next: "c" }], next: [] },
    b: { id: "b", kind: "checklist", title: "Kryssa", options: [{ id: "p", label: "P" }, { id: "q", label: "Q" }],
      next: [{ if: '"p" in b', goto: "o1" }, { if: null, goto: "o2" }] },
    c: { id: "c", kind: "rating", title: "Bedöm", scale: "risk",
      items: [{ id: "i1", label: "Ett" }, { id: "i2", label: "Två" }], next: [{ if: null, goto: "d" }] },
    d: { id: "d", kind: "info", title: "Läs", next: [{ if: null, goto: "o3" }] },
    o1: { id: "o1", kind: "outcome", title: "Utfall 1" },
    o2: { id: "o2", kind: "outcome", title: "Utfall 2" },
    o3: { id: "o3", kind: "outcome", title: "Utfall 3" },
  },
};
const flow = { tree, settled: { a: { "to-b": "b", "to-c": "c" } } };

// The engine's answer for a path (only what the model reads of it).
const result = (path) => ({ status: tree.nodes[path.at(-1)].kind === "outcome" ? "outcome" : "question", node: path.at(-1), path });

const begin = (options) => Model.init(flow, options).state;

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
  const { state, history } = Model.init(flow);
  assert.deepEqual(history, { replace: 0 });
  assert.equal(state.current, "a");
  assert.deepEqual(state.entries, { base: 0, pos: 0, nodes: { 0: "a" } });
  const view = Model.view(flow, state);
  assert.equal(view.canBack, false);
  assert.equal(view.canRestart, false, "Börja om is hidden on the first step");
});

test("an entry left by an earlier load (a reload, Back after the quick exit) shows the start", () => {
  const { state, history } = Model.init(flow, { entryStep: 3, linked: "o1" });
  assert.equal(state.current, "a");
  assert.deepEqual(history, { replace: 3 });
  assert.deepEqual(state.answers, {});
  // Back from there reaches entries this load never made: the start again.
  const { state: back } = Model.traverse(flow, state, 2);
  assert.equal(back.current, "a");
});

test("a link into an outcome opens it with its answers unknown", () => {
  const state = begin({ entryStep: null, linked: "o1" });
  assert.equal(state.current, "o1");
  assert.deepEqual(state.answers, {});
  const view = Model.view(flow, state);
  assert.equal(view.direct, true);
  assert.equal(view.canBack, false);
  assert.equal(view.canRestart, true);
  // Börja från början: nothing to lose, so no question.
  const { state: started, history } = Model.restart(flow, state);
  assert.equal(started.current, "a");
  assert.equal(started.confirming, false);
  assert.equal(history, undefined, "on the page's first entry: no history move");
  assert.equal(started.entries.nodes[0], "a");
});

test("a link into a step whose next step depends on earlier answers: the reader picks a rule", () => {
  const state = begin({ linked: "b" });
  assert.equal(Model.view(flow, state).showRules, true);
  const [answered] = play(state, (s) => Model.answer(flow, s, "b", ["q"]));
  assert.equal(answered.state.current, "b");
  assert.deepEqual(answered.state.note, { node: "b", kind: "pick" }, "not a wait: the engine cannot see this step");
  const [, picked] = play(state, (s) => Model.answer(flow, s, "b", ["q"]), (s) => Model.pick(flow, s, "o2", ["q"]));
  assert.equal(picked.state.current, "o2");
  assert.deepEqual(picked.history, { push: 1 });
  assert.equal(Model.view(flow, picked.state).direct, false, "reached by answering, not opened directly");
});

test("each step moved to is one history entry holding only a counter", () => {
  const moves = play(begin(),
    (s) => Model.answer(flow, s, "a", "to-c"),
    (s) => Model.answer(flow, s, "c", { i1: "lag", i2: "hog" }),
    (s) => Model.answer(flow, s, "d", true));
  assert.deepEqual(moves.map((m) => m.history), [{ push: 1 }, { push: 2 }, { push: 3 }]);
  const last = moves.at(-1).state;
  assert.equal(last.current, "o3");
  assert.deepEqual(last.entries.nodes, { 0: "a", 1: "c", 2: "d", 3: "o3" });
  assert.deepEqual(last.trail, ["a", "c", "d", "o3"]);
});

test("Back and Forward over the entries move between the steps, answers kept", () => {
  const walked = play(begin(),
    (s) => Model.answer(flow, s, "a", "to-c"),
    (s) => Model.answer(flow, s, "c", { i1: "lag", i2: "hog" })).at(-1).state;
  const [back1, back0, fwd1, fwd2] = play(walked,
    (s) => Model.traverse(flow, s, 1),
    (s) => Model.traverse(flow, s, 0),
    (s) => Model.traverse(flow, s, 1),
    (s) => Model.traverse(flow, s, 2));
  assert.deepEqual([back1, back0, fwd1, fwd2].map((m) => m.state.current), ["c", "a", "c", "d"]);
  assert.ok([back1, back0, fwd1, fwd2].every((m) => m.history === undefined), "traversing makes no entry");
  assert.deepEqual(back0.state.answers, walked.answers);
  assert.equal(Model.shownAnswer(back1.state, "c").i2, "hog");
  // A new answer after Back drops the entries ahead, as the browser does.
  const [again] = play(back0.state, (s) => Model.answer(flow, s, "a", "to-b"));
  assert.deepEqual(again.history, { push: 1 });
  assert.deepEqual(again.state.entries.nodes, { 0: "a", 1: "b" });
});

test("Tillbaka is the browser's Back when the entry before is the step before; otherwise a new entry", () => {
  const walked = play(begin(), (s) => Model.answer(flow, s, "a", "to-c")).at(-1).state;
  const back = Model.back(flow, walked);
  assert.deepEqual(back.history, { go: -1 });
  assert.equal(back.state.current, "a", "shown at once");
  assert.equal(back.state.awaiting, 0);
  // The browser's popstate for that entry then changes nothing.
  const arrived = Model.traverse(flow, back.state, 0);
  assert.equal(arrived.state.shown, back.state.shown);
  assert.equal(arrived.state.awaiting, null);

  // After Ändra, the entry before is another step: Tillbaka makes an entry.
  const atOutcome = play(walked,
    (s) => Model.answer(flow, s, "c", { i1: "lag", i2: "lag" }),
    (s) => Model.answer(flow, s, "d", true)).at(-1).state;
  const edited = Model.edit(flow, atOutcome, "c");
  assert.deepEqual(edited.history, { push: 4 });
  assert.equal(edited.state.editing, true);
  const backFromEdit = Model.back(flow, edited.state, { i1: "lag", i2: "lag" });
  assert.deepEqual(backFromEdit.history, { push: 5 });
  assert.equal(backFromEdit.state.current, "a");
});

test("Tillbaka keeps what was ticked or rated on a step but not sent", () => {
  const atRating = play(begin(), (s) => Model.answer(flow, s, "a", "to-c")).at(-1).state;
  const back = Model.back(flow, atRating, { i1: "hog" });
  assert.deepEqual(Model.shownAnswer(back.state, "c"), { i1: "hog" });
  assert.equal("c" in back.state.answers, false, "not sent, so not an answer");
  const forwardAgain = Model.traverse(flow, { ...back.state, awaiting: null }, 1);
  assert.equal(forwardAgain.state.current, "c");
  assert.deepEqual(Model.shownAnswer(forwardAgain.state, "c"), { i1: "hog" });
  // Sent: the draft goes, the answer stays.
  const sent = Model.answer(flow, forwardAgain.state, "c", { i1: "hog", i2: "lag" });
  assert.deepEqual(Model.shownAnswer(sent.state, "c"), { i1: "hog", i2: "lag" });
  assert.equal("c" in sent.state.drafts, false);
  // An answer changed on the step and not sent is kept too, and the sent one still routes.
  const backAtC = Model.traverse(flow, sent.state, 1);
  assert.equal(backAtC.state.current, "c");
  const changedNotSent = Model.back(flow, backAtC.state, { i1: "lag", i2: "lag" });
  assert.equal(changedNotSent.state.current, "a");
  assert.deepEqual(Model.shownAnswer(changedNotSent.state, "c"), { i1: "lag", i2: "lag" });
  assert.deepEqual(changedNotSent.state.answers.c, { i1: "hog", i2: "lag" });
});

test("before the engine: a step that needs it waits beside the control and shows the rules", () => {
  const atB = play(begin(), (s) => Model.answer(flow, s, "a", "to-b")).at(-1).state;
  assert.equal(Model.view(flow, atB).showRules, true);
  const waiting = Model.answer(flow, atB, "b", ["p"]);
  assert.equal(waiting.state.current, "b");
  assert.equal(waiting.history, undefined);
  assert.equal(waiting.state.pending, "b");
  assert.deepEqual(waiting.state.note, { node: "b", kind: "wait" });
  // The engine arrives and takes over: the step after b on its path.
  const ready = Model.engineReady(flow, waiting.state, result(["a", "b", "o1"]));
  assert.equal(ready.state.current, "o1");
  assert.deepEqual(ready.history, { push: 2 });
  assert.equal(ready.state.engine, "ready");
  assert.equal(ready.state.note, null);
  assert.equal(Model.view(flow, ready.state).showRules, false);
});

test("before the engine: the reader may pick a rule instead of waiting", () => {
  const atB = play(begin(), (s) => Model.answer(flow, s, "a", "to-b")).at(-1).state;
  const waiting = Model.answer(flow, atB, "b", ["p"]);
  const picked = Model.pick(flow, waiting.state, "o1", ["p"]);
  assert.equal(picked.state.current, "o1");
  assert.equal(picked.state.pending, null);
  assert.deepEqual(picked.state.trail, ["a", "b", "o1"]);
  // The engine arriving later moves nobody.
  const ready = Model.engineReady(flow, picked.state, result(["a", "b", "o1"]));
  assert.equal(ready.history, undefined);
  assert.equal(ready.state.current, "o1");
});

test("a move away from a waiting step ends the wait", () => {
  const atB = play(begin(), (s) => Model.answer(flow, s, "a", "to-b")).at(-1).state;
  const waiting = Model.answer(flow, atB, "b", ["p"]).state;
  for (const leave of [(s) => Model.back(flow, s, ["p"]), (s) => Model.traverse(flow, s, 0, ["p"]),
    (s) => Model.edit(flow, s, "a", ["p"]), (s) => Model.restart(flow, s, { confirmed: true })]) {
    const left = leave(waiting).state;
    assert.equal(left.pending, null);
    assert.equal(left.note, null);
    const ready = Model.engineReady(flow, { ...left, awaiting: null }, result(["a", "b", "o1"]));
    assert.equal(ready.history, undefined, "the engine does not move the reader on from elsewhere");
    assert.equal(ready.state.current, left.current);
  }
});

test("with the engine: an answer asks it; a result for an older answer is dropped", () => {
  const atB = { ...play(begin(), (s) => Model.answer(flow, s, "a", "to-b")).at(-1).state, engine: "ready", result: result(["a", "b"]) };
  const asked = Model.answer(flow, atB, "b", ["q"]);
  assert.equal(asked.run.from, "b");
  assert.equal(asked.state.current, "b");
  const askedAgain = Model.answer(flow, asked.state, "b", ["p"]);
  const stale = Model.engineResult(flow, askedAgain.state, asked.run, result(["a", "b", "o2"]));
  assert.equal(stale.state.current, "b");
  const fresh = Model.engineResult(flow, askedAgain.state, askedAgain.run, result(["a", "b", "o1"]));
  assert.equal(fresh.state.current, "o1");
  assert.deepEqual(fresh.history, { push: 2 });
});

test("Ändra: the changed answer goes straight on to where the engine leads", () => {
  let state = play(begin(),
    (s) => Model.answer(flow, s, "a", "to-c"),
    (s) => Model.answer(flow, s, "c", { i1: "lag", i2: "lag" }),
    (s) => Model.answer(flow, s, "d", true)).at(-1).state;
  state = { ...state, engine: "ready", result: result(["a", "c", "d", "o3"]) };
  const edited = Model.edit(flow, state, "a");
  assert.equal(edited.state.current, "a");
  const asked = Model.answer(flow, edited.state, "a", "to-c");
  const done = Model.engineResult(flow, asked.state, asked.run, result(["a", "c", "d", "o3"]));
  assert.equal(done.state.current, "o3", "straight on, not one step");
  assert.equal(done.state.editing, false);
});

test("Börja om asks first when there is something to lose, then wipes and goes to the first entry", () => {
  const atOutcome = play(begin(),
    (s) => Model.answer(flow, s, "a", "to-c"),
    (s) => Model.answer(flow, s, "c", { i1: "lag", i2: "lag" }),
    (s) => Model.answer(flow, s, "d", true)).at(-1).state;
  const asked = Model.restart(flow, atOutcome);
  assert.equal(asked.state.confirming, true);
  assert.equal(asked.state.current, "o3");
  assert.equal(asked.history, undefined);
  assert.deepEqual(asked.state.answers, atOutcome.answers, "nothing wiped before the answer");
  const cancelled = Model.cancelRestart(asked.state);
  assert.equal(cancelled.state.confirming, false);
  assert.deepEqual(cancelled.state.answers, atOutcome.answers);

  const wiped = Model.restart(flow, asked.state, { confirmed: true });
  assert.deepEqual(wiped.history, { go: -3 });
  assert.equal(wiped.state.current, "a");
  assert.deepEqual(wiped.state.answers, {});
  assert.deepEqual(wiped.state.drafts, {});
  assert.deepEqual(wiped.state.trail, ["a"]);
  assert.equal(wiped.state.confirming, false);
  // Forward then reaches entries whose steps are forgotten: the start, nothing of the answers.
  const arrived = Model.traverse(flow, wiped.state, 0);
  const forward = Model.traverse(flow, arrived.state, 2);
  assert.equal(forward.state.current, "a");
  assert.deepEqual(Model.summary(flow, forward.state), []);

  // Only unsent ticks count as something to lose too.
  const atRating = play(begin(), (s) => Model.answer(flow, s, "a", "to-c")).at(-1).state;
  const noAnswersYet = { ...atRating, answers: {} };
  assert.equal(Model.restart(flow, noAnswersYet, { unsent: { i1: "lag" } }).state.confirming, true);
  assert.equal(Model.restart(flow, noAnswersYet, { unsent: {} }).state.confirming, false);
});

test("a link followed to a part of the page becomes the flow's next entry", () => {
  const atC = play(begin(), (s) => Model.answer(flow, s, "a", "to-c")).at(-1).state;
  const linked = Model.openLinked(flow, atC, "o2");
  assert.deepEqual(linked.history, { replace: 2 });
  assert.equal(linked.state.current, "o2");
  assert.equal(Model.view(flow, linked.state).direct, true);
  const back = Model.traverse(flow, linked.state, 1);
  assert.equal(back.state.current, "c");
});

test("Dina svar: one row per answer, one per rated item", () => {
  const state = play(begin(),
    (s) => Model.answer(flow, s, "a", "to-c"),
    (s) => Model.answer(flow, s, "c", { i1: "lag", i2: "hog" }),
    (s) => Model.answer(flow, s, "d", true)).at(-1).state;
  assert.deepEqual(Model.summary(flow, state), [
    { node: "a", item: null, group: null, question: "Vad?", answer: ["Till C"] },
    { node: "c", item: "i1", group: "Bedöm", question: "Ett", answer: ["LÅG"] },
    { node: "c", item: "i2", group: "Bedöm", question: "Två", answer: ["HÖG"] },
  ]);
  const checklist = play(begin(), (s) => Model.answer(flow, s, "a", "to-b"), (s) => Model.answer(flow, s, "b", [])).at(-1).state;
  assert.deepEqual(Model.summary(flow, checklist).at(-1).answer, []);  // the page says "nothing chosen" in its language
});

test("staticNext: the page's settled options and single unconditional rules; nothing else", () => {
  assert.equal(Model.staticNext(flow, { a: "to-b" }, "a"), "b");
  assert.equal(Model.staticNext({ tree, settled: {} }, { a: "to-c" }, "a"), "c", "the option's own next");
  assert.equal(Model.staticNext(flow, { b: ["p"] }, "b"), null);
  assert.equal(Model.staticNext(flow, {}, "d"), "o3");
});

test("with the engine: after Börja om it still routes; a step it cannot see falls back to the rules", () => {
  let state = play(begin(),
    (s) => Model.answer(flow, s, "a", "to-b")).at(-1).state;
  state = { ...state, engine: "ready", result: result(["a", "b"]) };
  const wiped = Model.restart(flow, state, { confirmed: true }).state;
  assert.equal(Model.view(flow, wiped).showRules, false, "the start is on the engine's path");
  const asked = Model.answer(flow, { ...wiped, awaiting: null }, "a", "to-b");
  assert.ok(asked.run, "the engine is asked");
  const atB = Model.engineResult(flow, asked.state, asked.run, result(["a", "b"])).state;
  assert.equal(atB.current, "b");
  assert.equal(Model.view(flow, atB).showRules, false);

  // Opened by a link: the engine's path does not reach it, so the reader picks.
  const linked = { ...begin({ linked: "b" }), engine: "ready", result: result(["a"]) };
  assert.equal(Model.view(flow, linked).showRules, true);
  const tried = Model.answer(flow, linked, "b", ["p"]);
  const fellBack = Model.engineResult(flow, tried.state, tried.run, result(["a"]));
  assert.equal(fellBack.state.current, "b");
  assert.deepEqual(fellBack.state.note, { node: "b", kind: "pick" });
});
