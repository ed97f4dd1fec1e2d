// A flow page, one step at a time. The page is the static flow (every step a section, options
// as links); this script shows one step at once and keeps the answers in memory only. The
// engine (Python, in Pyodide, in a module worker) loads in the background and takes over
// routing when ready. Until then a choice whose option names its next step goes there at once;
// a step whose next step depends on earlier answers shows the static page's rules as links, so
// the reader always has something to tap, and an answer there waits for the engine with a note
// beside the tapped control. If the engine cannot run, the static flow comes back with one plain
// sentence saying why.
//
// History: each step the reader moves to gets one history entry, with the same address and a
// state that holds only a step counter ({step: n}); the steps behind the counters are in this
// page's memory, so Back and Forward move between steps and nothing of the answers is in the
// address, the fragment or the history. An entry this page does not know (after a reload, or
// Back after the quick exit) shows the flow's start.
//
// Privacy: no storage, no cookies, no change of the address while answering; nothing is sent.
//
// A classic script, not a module: from file:// a module script is refused, and this script must
// still run there to say why the flow is not interactive. The first part (the model) has no DOM:
// under Node it is exported on its own (tests/js/flow-model.test.mjs).
(function () {
"use strict";

// ---- the model: what each move leads to ------------------------------------------------------
//
// Plain data in, plain data out. `flow` is {tree, settled}: the compiled tree and, per choice
// node, the step each option leads to when the page names it outright (settled[node][option]).
// Every move returns {state, history?, run?}: history is {push: step} | {replace: step} |
// {go: delta}; run is {from, ticket}: ask the engine, then pass its result to engineResult.
const Model = (function () {
  function init(flow, { entryStep = null, linked = null } = {}) {
    const start = flow.tree.start;
    const known = Number.isInteger(entryStep) && entryStep >= 0;
    // An entry with a counter above 0 was made by an earlier load of this page (a reload, or Back
    // after the quick exit): its answers are gone, so it shows the start, whatever the fragment.
    const node = (!known || entryStep === 0) && linked && flow.tree.nodes[linked] ? linked : start;
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
      engine: "loading",
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

  // The step an answer leads to when the page names it outright (no rule to evaluate), or null.
  function staticNext(flow, answers, nodeId) {
    const node = flow.tree.nodes[nodeId];
    if (node.kind === "choice") {
      const settled = (flow.settled[nodeId] || {})[answers[nodeId]];
      if (settled) return settled;
      const option = node.options.find((o) => o.id === answers[nodeId]);
      if (option && option.next) return option.next;
    }
    const rules = node.next || [];
    return rules.length === 1 && !rules[0].if ? rules[0].goto : null;
  }

  function answer(flow, state, nodeId, value) {
    const drafts = { ...state.drafts };
    delete drafts[nodeId];
    return route(flow, { ...state, answers: { ...state.answers, [nodeId]: value }, drafts, ticket: state.ticket + 1 }, nodeId);
  }

  function route(flow, state, from) {
    // With the engine there, it is asked; should it not see the step, engineResult falls back.
    if (state.engine === "ready") {
      const asked = { ...state, note: null, pending: null, ticket: state.ticket + 1 };
      return { state: asked, run: { from, ticket: asked.ticket } };
    }
    return routeWithoutEngine(flow, state, from);
  }

  function routeWithoutEngine(flow, state, from) {
    const to = staticNext(flow, state.answers, from);
    if (to) return forward(state, to, trailThrough(state, from, to));
    if (state.engine === "loading" && state.trail[0] === flow.tree.start) {
      return { state: { ...state, pending: from, note: { node: from, kind: "wait" } } };
    }
    // The engine cannot see this step from the answers (it was opened by a link, or reached by a
    // way the reader picked): the reader picks the next step from the step's rules.
    return { state: { ...state, pending: null, note: { node: from, kind: "pick" } } };
  }

  function engineResult(flow, state, run, result) {
    if (run.ticket !== state.ticket) return { state }; // the reader moved or answered again meanwhile
    const withResult = { ...state, result };
    const i = result.path.indexOf(run.from);
    if (i < 0) return routeWithoutEngine(flow, withResult, run.from);
    // After Back, step forward one at a time; after a change from "Dina svar", go straight on.
    const to = !state.editing && i + 1 < result.path.length ? result.path[i + 1] : result.node;
    if (to === run.from) return { state: withResult };
    return forward(withResult, to, result.path);
  }

  // The engine has started; `result` is its answer for the answers as they are now.
  function engineReady(flow, state, result) {
    const ready = { ...state, engine: "ready", result };
    if (state.pending !== null) return engineResult(flow, ready, { from: state.pending, ticket: ready.ticket }, result);
    const adopt = result.path.includes(state.current) && state.trail[0] === flow.tree.start;
    return { state: adopt ? { ...ready, trail: result.path } : ready };
  }

  // Tillbaka: the step before on the trail. When the history entry before is that step, this is
  // the browser's Back (no new entry); otherwise a new entry.
  function back(flow, state, unsent) {
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
  function traverse(flow, state, step, unsent) {
    if (state.awaiting !== null && step === state.awaiting) return { state: { ...state, awaiting: null } };
    const kept = keepDraft(state, unsent);
    const node = kept.entries.nodes[step] || flow.tree.start;
    const moved = show({ ...kept, awaiting: null, entries: { ...kept.entries, pos: step } }, node, trailFor(kept, node));
    return { state: moved };
  }

  // "Ändra" in "Dina svar".
  function edit(flow, state, node, unsent) {
    const moved = forward(keepDraft(state, unsent), node, trailFor(state, node));
    return { ...moved, state: { ...moved.state, editing: true } };
  }

  // A rule link: the reader picks the next step, as on the static page. What is ticked on the
  // step counts as its answer (a rating only when every item is rated).
  function pick(flow, state, to, unsent) {
    const from = state.current;
    const node = flow.tree.nodes[from];
    let next = state;
    const complete = node.kind === "rating" && unsent && node.items.every((item) => item.id in unsent);
    if (node.kind === "checklist" && Array.isArray(unsent)) next = sent(next, from, unsent);
    else if (complete) next = sent(next, from, unsent);
    else if (node.kind === "info") next = sent(next, from, true);
    else next = keepDraft(next, unsent);
    return forward(next, to, trailThrough(next, from, to));
  }

  function sent(state, nodeId, value) {
    const drafts = { ...state.drafts };
    delete drafts[nodeId];
    return { ...state, answers: { ...state.answers, [nodeId]: value }, drafts };
  }

  // A link inside the flow to one of its steps (the diagram's text form): a new entry.
  function open(flow, state, node, unsent) {
    if (node === state.current) return { state };
    const kept = keepDraft(state, unsent);
    return forward(kept, node, trailFor(kept, node));
  }

  // The browser followed a link to a part of this page (a search result, say): it made a new
  // entry with the new fragment; it becomes the flow's next entry, showing that step.
  function openLinked(flow, state, node, unsent) {
    const kept = keepDraft(state, unsent);
    const entries = pushEntry(kept.entries, node);
    return { state: show({ ...kept, entries }, node, trailFor(kept, node)), history: { replace: entries.pos } };
  }

  // Börja om: asks first when there is something to lose. Then the answers, the unsent ticks and
  // the steps behind the history entries are forgotten, and the browser goes back to the page's
  // first entry (Back then leaves the flow; Forward shows the start).
  function restart(flow, state, { confirmed = false, unsent } = {}) {
    if (!confirmed && hasAnswers(state, unsent)) return { state: { ...state, confirming: true } };
    const start = flow.tree.start;
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

  // What the page shows for the current state.
  function view(flow, state) {
    const node = flow.tree.nodes[state.current];
    const isOutcome = node.kind === "outcome";
    const start = flow.tree.start;
    return {
      node: state.current,
      isOutcome,
      showRules: !isOutcome && !onEnginePath(state, state.current),
      canBack: state.trail.indexOf(state.current) > 0,
      canRestart: state.current !== start,
      // Opened without the answers before it (a link, or an entry whose answers were changed).
      direct: state.current !== start && state.trail.length === 1,
    };
  }

  // "Dina svar": one row per answer, a rating one row per item.
  function summary(flow, state) {
    const rows = [];
    for (const id of state.trail) {
      if (!(id in state.answers)) continue;
      const node = flow.tree.nodes[id];
      const value = state.answers[id];
      if (node.kind === "choice") {
        const option = node.options.find((o) => o.id === value);
        rows.push({ node: id, item: null, group: null, question: node.title, answer: [option ? option.label : ""] });
      } else if (node.kind === "checklist") {
        const labels = node.options.filter((o) => value.includes(o.id)).map((o) => o.label);
        rows.push({ node: id, item: null, group: null, question: node.title, answer: labels });  // none ticked: the page says so in its language
      } else if (node.kind === "rating") {
        const levels = (flow.tree.scales || {})[node.scale] || [];
        for (const item of node.items) {
          const level = levels.find((l) => l.id === value[item.id]);
          if (level) rows.push({ node: id, item: item.id, group: node.title, question: item.label, answer: [level.label] });
        }
      }
    }
    return rows;
  }

  return {
    init, answer, engineResult, engineReady, back, traverse, edit, pick, open, openLinked, restart,
    cancelRestart, view, summary, staticNext, shownAnswer, hasAnswers,
  };
})();

if (typeof document === "undefined") {
  if (typeof module === "object" && module.exports) module.exports = Model;
  return;
}

// ---- the page ---------------------------------------------------------------------------------

const SCRIPT_URL = document.currentScript.src;
const ENGINE_TIME_LIMIT_MS = 60000;
const AWAIT_POPSTATE_MS = 1000;
// The reader's words come from the site's language file (generator/languages/), which the theme
// puts on flow pages as a JSON block: nothing a reader reads is written here.
const TEXT = JSON.parse((document.getElementById("tryggt-ui") || {}).textContent || "{}");
function t(key, values = {}) {
  const text = key in TEXT ? TEXT[key] : key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
}
const SENTENCES = {
  loading: t("flow_loading"),
  waiting: t("flow_waiting"),
  pick: t("flow_pick"),
  file: t("flow_file"),
  unsupported: t("flow_unsupported"),
  failed: t("flow_failed"),
};
const PHONE_QUERY = "(max-width: 44.9375em)"; // Material's breakpoint for the drawer

const root = document.querySelector(".flow[data-flow]");
if (root) startFlow(root);

function startFlow(root) {
  foldDiagram(root);
  // The browser keeps the state of form controls with each history entry and puts it back when
  // the entry is visited again (after the quick exit too): not for the flow's answers.
  for (const input of root.querySelectorAll("input")) input.setAttribute("autocomplete", "off");
  const treeData = root.querySelector("script.flow-tree");
  if (!treeData) return;
  const treeJSON = treeData.textContent;
  const tree = JSON.parse(treeJSON);
  const status = element("p", { class: "flow-engine-status", role: "status" });
  const acuteBox = root.querySelector(".flow-acute");
  if (acuteBox) acuteBox.after(status);
  else root.prepend(status);

  const why = unavailableReason();
  if (why) {
    root.dataset.engine = "unavailable";
    status.textContent = SENTENCES[why];
    return;
  }

  const flow = { tree, settled: settledOptions() };
  const pageTitle = document.title;
  const ui = buildLiveUI();
  let live = true;
  let worker = null;
  let nextRunId = 0;
  const waitingRuns = new Map();
  let state;
  let awaitTimer = null;
  let deferred = null; // a tap made while the browser was still going to an entry

  {
    const entry = history.state && Number.isInteger(history.state.step) ? history.state.step : null;
    const linked = nodeFromHash(location.hash);
    const begun = Model.init(flow, { entryStep: entry, linked });
    state = { ...begun.state, shown: -1 }; // so the first render shows the step
    history.scrollRestoration = "manual"; // the flow puts each step in view itself
    for (const input of root.querySelectorAll("input")) input.checked = false; // no answers yet
    root.classList.add("flow-live");
    root.dataset.engine = "loading";
    setStatus(SENTENCES.loading, true);
    const linkedStep = begun.state.current !== tree.start;
    apply(begun, { focus: linkedStep });
    if (linkedStep && document.readyState !== "complete") {
      // The browser's own move to the fragment, at the end of loading, takes the focus away from
      // the heading (the fragment names the section, which cannot take focus): give it back.
      const shown = state.shown;
      window.addEventListener("load", () => setTimeout(() => {
        if (state.shown === shown && (document.activeElement === document.body || !document.activeElement)) {
          focusHeading(sectionFor(state.current));
        }
      }, 0), { once: true });
    }
  }
  performance.mark("tryggt-flow-interactive");
  startEngine();

  // ---- applying a move ---------------------------------------------------------------------

  function apply(move, { focus = true, focusItem = null } = {}) {
    const before = state;
    state = move.state;
    const h = move.history;
    if (h && "push" in h) history.pushState({ step: h.push }, "");
    else if (h && "replace" in h) history.replaceState({ step: h.replace }, "");
    else if (h && "go" in h) {
      history.go(h.go);
      clearTimeout(awaitTimer);
      const awaited = state.awaiting;
      awaitTimer = setTimeout(() => {
        if (state.awaiting === awaited) apply({ state: { ...state, awaiting: null } });
      }, AWAIT_POPSTATE_MS);
    }
    render(before, { focus, focusItem });
    if (move.run) ask(move.run);
    if (state.awaiting === null && deferred) {
      const act = deferred;
      deferred = null;
      act();
    }
  }

  async function ask(asked) {
    const result = await run(state.answers);
    if (!live) return;
    if (result.status === "error") return giveUp("failed");
    apply(Model.engineResult(flow, state, asked, result));
  }

  // ---- the engine ------------------------------------------------------------------------

  // The worker flow-boot.js started from the head, or a new one (after a refused snapshot).
  function startEngine(useSnapshot = true) {
    const siteRoot = new URL("../../", SCRIPT_URL);
    const url = (path) => (path ? new URL(path, siteRoot).href : null);
    const booted = window.tryggtFlowWorker;
    window.tryggtFlowWorker = null;
    let early = [];
    if (booted && useSnapshot) {
      worker = booted.worker;
      early = booted.early;
      useSnapshot = booted.snapshot;
    } else {
      try {
        worker = new Worker(new URL("flow-worker.js", SCRIPT_URL), { type: "module" });
      } catch (error) {
        giveUp("failed");
        return;
      }
      worker.postMessage({
        type: "init",
        pyodide: url(root.dataset.pyodide),
        engine: url(root.dataset.engineZip),
        stdlib: url(root.dataset.stdlib),
        snapshot: useSnapshot ? url(root.dataset.snapshot) : null,
      });
    }
    const timer = setTimeout(() => giveUp("failed"), ENGINE_TIME_LIMIT_MS);
    worker.onerror = (event) => {
      event.preventDefault();
      clearTimeout(timer);
      giveUp("failed");
    };
    worker.onmessage = (event) => {
      const message = event.data;
      if (message.type === "ready") {
        clearTimeout(timer);
        engineReady(message.timings);
      } else if (message.type === "failed") {
        clearTimeout(timer);
        if (message.snapshotRefused && useSnapshot) {
          // The snapshot did not fit this browser's Pyodide: start the ordinary way instead.
          worker.terminate();
          startEngine(false);
        } else {
          giveUp("failed");
        }
      } else if (message.type === "result" && waitingRuns.has(message.id)) {
        waitingRuns.get(message.id)(JSON.parse(message.result));
        waitingRuns.delete(message.id);
      }
    };
    for (const event of early) (event.type === "error" ? worker.onerror : worker.onmessage)(event);
  }

  function run(answers) {
    const id = nextRunId++;
    return new Promise((resolve) => {
      waitingRuns.set(id, resolve);
      worker.postMessage({ type: "run", id, tree: treeJSON, answers: JSON.stringify(answers) });
    });
  }

  async function engineReady(timings) {
    let result;
    let ticket;
    do {
      if (!live) return;
      ticket = state.ticket;
      result = await run(state.answers);
    } while (live && ticket !== state.ticket); // answered meanwhile: ask again with those answers
    if (!live) return;
    if (result.status === "error") return giveUp("failed");
    root.dataset.engine = "ready";
    performance.mark("tryggt-flow-engine-ready", { detail: timings });
    setStatus("", false);
    apply(Model.engineReady(flow, state, result));
  }

  function giveUp(reason) {
    if (!live) return;
    live = false;
    if (worker) worker.terminate();
    root.dataset.engine = "unavailable";
    root.classList.remove("flow-live");
    for (const added of root.querySelectorAll(".flow-live-only")) added.remove();
    for (const section of sections()) {
      section.hidden = false;
      section.classList.remove("flow-shows-rules");
    }
    document.title = pageTitle;
    setStatus(SENTENCES[reason], false);
    if (Model.hasAnswers(state)) sectionFor(state.current).scrollIntoView();
  }

  // ---- what the reader does ------------------------------------------------------------------

  root.addEventListener("click", (event) => {
    if (!live) return;
    const act = actionFor(event);
    if (!act) return;
    // While the browser is still going to an entry this page asked for (Tillbaka, Börja om), a
    // tap waits for it, so that the move lands on the right entry.
    if (state.awaiting !== null) deferred = act;
    else act();
  });

  function actionFor(event) {
    const link = event.target.closest("a[href^='#']");
    if (link && root.contains(link)) {
      // In-flow links would put the step in the address bar and the history: never while live.
      event.preventDefault();
      if (link.matches(".flow-error-link")) {
        focusRatingItem(link.dataset.node, link.dataset.item);
        return null;
      }
      if (link.matches(".flow-option")) {
        const nodeId = link.closest("[data-node]").dataset.node;
        return () => apply(Model.answer(flow, state, nodeId, link.dataset.option));
      }
      if (link.matches(".flow-rule, .flow-next")) return () => apply(Model.pick(flow, state, link.dataset.goto, unsent()));
      const node = nodeFromHash(link.getAttribute("href"));
      return node ? () => apply(Model.open(flow, state, node, unsent())) : null;
    }
    const button = event.target.closest("button[data-action]");
    if (!button || !root.contains(button)) return null;
    const action = button.dataset.action;
    if (action === "print") {
      window.print();
      return null;
    }
    if (action === "next") return submitStep;
    if (action === "back") return () => apply(Model.back(flow, state, unsent()));
    if (action === "restart") return () => apply(Model.restart(flow, state, { unsent: unsent() }));
    if (action === "restart-confirm") return () => apply(Model.restart(flow, state, { confirmed: true }));
    if (action === "restart-cancel") return () => apply(Model.cancelRestart(state));
    if (action === "edit") {
      const item = button.dataset.item || null;
      return () => apply(Model.edit(flow, state, button.dataset.node, unsent()), { focusItem: item });
    }
    return null;
  }

  ui.confirm.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.confirming) {
      event.preventDefault();
      apply(Model.cancelRestart(state));
    }
  });

  window.addEventListener("popstate", (event) => {
    if (!live) return;
    const step = event.state && Number.isInteger(event.state.step) ? event.state.step : null;
    if (step !== null) apply(Model.traverse(flow, state, step, unsent()));
    // No counter: the browser followed a link to a part of the page; "hashchange" takes it.
  });

  window.addEventListener("hashchange", () => {
    if (!live || (history.state && Number.isInteger(history.state.step))) return;
    const node = nodeFromHash(location.hash);
    if (node) apply(Model.openLinked(flow, state, node, unsent()));
  });

  // Back to this page from another one: should the browser bring it back from its back/forward
  // cache, with the answers in memory, load it afresh instead (the entry then shows the start).
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) location.reload();
  });

  document.addEventListener("tryggt:quick-exit", () => {
    state = { ...state, answers: {}, drafts: {}, result: null };
    for (const input of root.querySelectorAll("input")) input.checked = false;
    if (worker) worker.terminate();
    live = false;
  });

  function submitStep() {
    const node = tree.nodes[state.current];
    const section = sectionFor(state.current);
    if (node.kind === "checklist") {
      apply(Model.answer(flow, state, node.id, readStep(section, node)));
    } else if (node.kind === "rating") {
      const rating = readStep(section, node);
      const missing = node.items.filter((item) => !(item.id in rating));
      if (missing.length) return showErrors(section, node, missing);
      clearErrors(section);
      apply(Model.answer(flow, state, node.id, rating));
    } else {
      apply(Model.answer(flow, state, node.id, true));
    }
  }

  // What is ticked or rated on the current step and not sent; undefined where nothing can be.
  function unsent() {
    const node = tree.nodes[state.current];
    if (node.kind !== "checklist" && node.kind !== "rating") return undefined;
    return readStep(sectionFor(state.current), node);
  }

  function readStep(section, node) {
    if (node.kind === "checklist") {
      const ticked = new Set([...section.querySelectorAll("input[type=checkbox]:checked")].map((i) => i.value));
      return node.options.map((o) => o.id).filter((id) => ticked.has(id));
    }
    const rating = {};
    for (const item of node.items) {
      const chosen = section.querySelector(`tr[data-item="${item.id}"] input[type=radio]:checked`);
      if (chosen) rating[item.id] = chosen.value;
    }
    return rating;
  }

  // ---- errors, the GOV.UK way ------------------------------------------------------------------

  function showErrors(section, node, missing) {
    clearErrors(section);
    const headingId = `fel-rubrik-${node.id}`;
    const links = missing.map((item) => {
      const text = t("flow_choose_level_for", { label: item.label });
      const first = section.querySelector(`tr[data-item="${item.id}"] input[type=radio]`);
      return element("li", {}, element("a", {
        href: `#${first.id}`, class: "flow-error-link", "data-node": node.id, "data-item": item.id,
      }, text));
    });
    const box = element("div", {
      class: "flow-error-summary flow-live-only", role: "alert", tabindex: "-1", "aria-labelledby": headingId,
    }, element("h3", { id: headingId, class: "flow-error-title" }, t("flow_problem")), element("ul", {}, ...links));
    section.querySelector("h2").before(box);
    for (const item of missing) {
      const row = section.querySelector(`tr[data-item="${item.id}"]`);
      const messageId = `fel-${node.id}--${item.id}`;
      row.classList.add("flow-item-error");
      row.querySelector("th").append(element("span", { class: "flow-item-message flow-live-only", id: messageId },
        element("span", { class: "flow-sr-only" }, t("flow_error_prefix")), t("flow_choose_level_here")));
      for (const radio of row.querySelectorAll("input[type=radio]")) radio.setAttribute("aria-describedby", messageId);
    }
    document.title = t("flow_error_prefix") + pageTitle;
    box.focus({ preventScroll: true });
    box.scrollIntoView({ block: "start" }); // its scroll margin clears the sticky header
  }

  function clearErrors(section) {
    for (const added of section.querySelectorAll(".flow-error-summary, .flow-item-message")) added.remove();
    for (const row of section.querySelectorAll(".flow-item-error")) row.classList.remove("flow-item-error");
    for (const radio of section.querySelectorAll("input[aria-describedby^='fel-']")) radio.removeAttribute("aria-describedby");
    if (!root.querySelector(".flow-error-summary")) document.title = pageTitle;
  }

  function focusRatingItem(nodeId, itemId) {
    const row = sectionFor(nodeId).querySelector(`tr[data-item="${itemId}"]`);
    if (!row) return;
    const radio = row.querySelector("input[type=radio]:checked") || row.querySelector("input[type=radio]");
    radio.focus({ preventScroll: true });
    row.scrollIntoView({ block: "start" }); // the row's scroll margin clears the sticky header
  }

  // ---- showing ---------------------------------------------------------------------------

  function render(before, { focus, focusItem }) {
    const moved = state.shown !== before.shown;
    const view = Model.view(flow, state);
    const target = sectionFor(state.current);
    if (moved) {
      for (const section of sections()) {
        section.hidden = section !== target;
        if (section !== target) clearErrors(section);
      }
      markInputs(state.current, target);
      renderDirect(target, view);
    }
    markOptions(state.current, target);
    renderActions(target, view);
    target.classList.toggle("flow-shows-rules", view.showRules);
    renderNote(before);
    ui.back.hidden = !view.canBack;
    ui.restart.hidden = !view.canRestart;
    ui.print.hidden = !view.isOutcome;
    ui.confirm.hidden = !state.confirming;
    ui.restart.setAttribute("aria-expanded", String(state.confirming));
    ui.controls.hidden = !view.canBack && !view.canRestart && !view.isOutcome;
    root.dataset.current = state.current;
    renderAnswers();
    if (moved && view.isOutcome && !view.direct) ui.announce.textContent = t("flow_result", { title: tree.nodes[state.current].title });
    if (moved && focus) {
      if (focusItem) return focusRatingItem(state.current, focusItem);
      focusHeading(target);
    } else if (state.confirming && !before.confirming) {
      ui.confirmQuestion.focus({ preventScroll: true });
      ui.confirm.scrollIntoView({ block: "nearest" });
    } else if (!state.confirming && before.confirming && !moved) {
      ui.restart.focus();
    }
  }

  function focusHeading(section) {
    const heading = section.querySelector("h2");
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
    section.scrollIntoView({ block: "start" }); // the section's scroll margin clears the sticky header
  }

  // The option chosen on a choice step, marked (every time: an answer may wait on the step).
  function markOptions(nodeId, section) {
    const value = Model.shownAnswer(state, nodeId);
    for (const option of section.querySelectorAll(".flow-option")) {
      const chosen = option.dataset.option === value;
      if (chosen === option.classList.contains("is-chosen")) continue;
      option.classList.toggle("is-chosen", chosen);
      option.querySelector(".flow-chosen-note")?.remove();
      if (chosen) option.append(element("span", { class: "flow-sr-only flow-chosen-note" }, t("flow_your_answer")));
    }
  }

  // Ticks and ratings, as sent or as left unsent (only when a step is shown: not over the reader's).
  function markInputs(nodeId, section) {
    const value = Model.shownAnswer(state, nodeId);
    for (const box of section.querySelectorAll("input[type=checkbox]")) {
      box.checked = Array.isArray(value) && value.includes(box.value);
    }
    for (const radio of section.querySelectorAll("input[type=radio]")) {
      const item = radio.closest("tr[data-item]").dataset.item;
      radio.checked = !!value && typeof value === "object" && value[item] === radio.value;
    }
  }

  // The note beside the control the reader tapped: waiting for the engine, or pick a rule.
  function renderNote(before) {
    const note = state.note;
    const same = before.note && note && before.note.node === note.node && before.note.kind === note.kind
      && before.answers[note.node] === state.answers[note.node];
    if (same && root.querySelector(".flow-note")) return;
    for (const old of root.querySelectorAll(".flow-note")) old.remove();
    for (const old of root.querySelectorAll(".is-waiting")) old.classList.remove("is-waiting");
    if (!note) return;
    const section = sectionFor(note.node);
    const chosen = section.querySelector(`.flow-option[data-option="${state.answers[note.node]}"]`);
    const anchor = chosen ? chosen.closest("li") : section.querySelector(".flow-submit");
    const box = element("p", { class: `flow-note flow-live-only is-${note.kind}`, role: "status" });
    if (chosen) {
      chosen.classList.toggle("is-waiting", note.kind === "wait");
      anchor.append(box);
    } else {
      anchor.after(box);
    }
    // Filled a moment after it is in the page, so that screen readers announce it.
    setTimeout(() => {
      box.textContent = SENTENCES[note.kind === "wait" ? "waiting" : "pick"];
      box.scrollIntoView({ block: "nearest" }); // in view, where the reader tapped
    }, 50);
  }

  // An outcome's actions that carry an `if:`: once the engine has placed the reader here, only
  // those that apply (the engine lists them by index); otherwise all, each with its condition in
  // words, as on the static page.
  function renderActions(section, view) {
    if (!view.isOutcome) return;
    const r = state.result;
    const known = state.engine === "ready" && r && r.status === "outcome" && r.node === state.current && !view.direct;
    const show = known ? new Set(r.outcome.actions.map((a) => a.index)) : null;
    for (const item of section.querySelectorAll("ol.flow-actions > li[data-action-index]")) {
      item.hidden = show !== null && !show.has(Number(item.dataset.actionIndex));
    }
    for (const words of section.querySelectorAll(".flow-action-if")) words.hidden = show !== null;
  }

  // An outcome or a step reached without the answers before it: what it is for, and the start.
  function renderDirect(section, view) {
    for (const old of root.querySelectorAll(".flow-direct")) old.remove();
    if (!view.direct) return;
    const box = element("div", { class: "flow-direct flow-live-only" });
    if (view.isOutcome) {
      box.append(element("p", {}, t("flow_direct_outcome")));
      const ways = waysTo(view.node);
      if (ways.length) box.append(element("ul", {}, ...ways.map((way) => element("li", {}, way))));
      box.append(element("p", {}, t("flow_direct_outcome_more")));
    } else {
      box.append(element("p", {}, t("flow_direct_step")));
    }
    box.append(element("p", {}, element("button", {
      type: "button", class: "md-button md-button--primary", "data-action": "restart",
    }, t("flow_start_over"))));
    section.querySelector("h2").after(box);
  }

  // The ways into a node, in the static page's words: options and rules that lead there.
  function waysTo(nodeId) {
    const ways = [];
    for (const link of root.querySelectorAll(`.flow-steps [data-goto="${nodeId}"]`)) {
      const step = link.closest(".flow-step");
      const title = step.querySelector("h2").textContent;
      if (link.matches(".flow-option")) {
        ways.push(t("flow_way_option", { title, answer: link.textContent }));
      } else if (link.matches(".flow-rule")) {
        const words = link.textContent.split(" \u2192 ")[0];
        // The rule's own words, as the page gives them: "Otherwise", or "If …" begun in lower case.
        const lead = t("rule_if") + " ";
        const when = words === t("rule_otherwise") ? t("flow_way_otherwise")
          : words.startsWith(lead) ? lead.toLowerCase() + words.slice(lead.length) : words;
        ways.push(t("flow_way_rule", { title, when }));
      } else {
        ways.push(t("flow_way_after", { title }));
      }
    }
    return ways;
  }

  function renderAnswers() {
    const rows = Model.summary(flow, state);
    ui.answers.hidden = rows.length === 0;
    const items = [];
    let group = null;
    for (const row of rows) {
      const change = element("button", {
        type: "button", class: "flow-edit", "data-action": "edit", "data-node": row.node,
        ...(row.item ? { "data-item": row.item } : {}),
      }, t("flow_change"));
      change.append(element("span", { class: "flow-sr-only" }, t("flow_change_sr", { question: row.question })));
      const answer = row.answer.length > 1
        ? element("ul", { class: "flow-answer-text" }, ...row.answer.map((a) => element("li", {}, a)))
        : element("span", { class: "flow-answer-text" }, row.answer.length ? row.answer[0] : t("flow_nothing_chosen"));
      const li = element("li", { class: "flow-answer-row" },
        element("span", { class: "flow-answer-question" }, row.question), answer, change);
      if (row.group) {
        if (!group || group.node !== row.node) {
          group = { node: row.node, list: element("ol", {}) };
          items.push(element("li", { class: "flow-answer-group" },
            element("span", { class: "flow-answer-group-title" }, row.group), group.list));
        }
        group.list.append(li);
      } else {
        group = null;
        items.push(li);
      }
    }
    ui.answerList.replaceChildren(...items);
  }

  function setStatus(text, busy) {
    status.textContent = text;
    status.classList.toggle("is-busy", busy);
    status.hidden = !text;
  }

  function buildLiveUI() {
    for (const section of root.querySelectorAll(".flow-step")) {
      if (section.dataset.kind === "choice") continue;
      const submit = element("p", { class: "flow-live-only flow-submit" },
        element("button", { type: "button", class: "md-button md-button--primary", "data-action": "next" }, t("flow_continue")));
      // Before the rules: while they show (the engine still loading), Fortsätt comes first.
      const rules = section.querySelector(".flow-rules, .flow-continue, .flow-back");
      if (rules) rules.before(submit);
      else section.append(submit);
    }
    const back = element("button", { type: "button", class: "md-button", "data-action": "back" }, t("flow_back"));
    const print = element("button", { type: "button", class: "md-button", "data-action": "print" }, t("flow_print"));
    const restart = element("button", {
      type: "button", class: "flow-restart-button", "data-action": "restart", "aria-controls": "flow-confirm",
    }, element("span", { class: "flow-restart-icon", "aria-hidden": "true" }, "↺"), t("flow_restart"));
    const confirmQuestion = element("p", { id: "flow-confirm-question", tabindex: "-1" },
      element("strong", {}, t("flow_restart_question")), t("flow_restart_warning"));
    const confirm = element("div", {
      id: "flow-confirm", class: "flow-confirm", role: "group", "aria-labelledby": "flow-confirm-question",
    }, confirmQuestion, element("p", { class: "flow-confirm-buttons" },
      element("button", { type: "button", class: "md-button md-button--primary", "data-action": "restart-confirm" }, t("flow_restart_yes")),
      element("button", { type: "button", class: "md-button", "data-action": "restart-cancel" }, t("flow_restart_no"))));
    confirm.hidden = true;
    const controls = element("div", { class: "flow-controls flow-live-only" },
      element("div", { class: "flow-controls-main" }, back, print),
      element("div", { class: "flow-controls-restart" }, restart), confirm);
    const answerList = element("ol", { class: "flow-answer-list" });
    const answers = element("section", { class: "flow-answers flow-live-only", "aria-labelledby": "flow-answers-heading" },
      element("h2", { id: "flow-answers-heading" }, t("flow_answers")), answerList);
    const announce = element("div", { class: "flow-sr-only flow-live-only", "aria-live": "polite" });
    const anchor = root.querySelector(".flow-diagram-fold, .flow-diagram") || null;
    root.insertBefore(controls, anchor);
    root.insertBefore(answers, anchor);
    root.insertBefore(announce, anchor);
    return { back, print, restart, confirm, confirmQuestion, controls, answers, answerList, announce };
  }

  // Per choice step, the step each option leads to when the page names it (its data-goto).
  function settledOptions() {
    const settled = {};
    for (const option of root.querySelectorAll(".flow-step .flow-option[data-goto]")) {
      const node = option.closest("[data-node]").dataset.node;
      (settled[node] = settled[node] || {})[option.dataset.option] = option.dataset.goto;
    }
    return settled;
  }

  // The step or outcome a fragment names: any element of it (#steg-…, #utfall-…, #rubrik-…).
  function nodeFromHash(hash) {
    if (!hash || hash.length < 2) return null;
    let id;
    try {
      id = decodeURIComponent(hash.slice(1));
    } catch (error) {
      return null;
    }
    const target = document.getElementById(id);
    const section = target && root.contains(target) ? target.closest(".flow-step, .flow-outcome") : null;
    if (!section) return null;
    const node = section.dataset.node || section.dataset.outcome;
    return tree.nodes[node] ? node : null;
  }

  function sections() {
    return root.querySelectorAll(".flow-step, .flow-outcome");
  }

  function sectionFor(nodeId) {
    return root.querySelector(`.flow-step[data-node="${nodeId}"], .flow-outcome[data-outcome="${nodeId}"]`);
  }
}

// On phones the diagram (880 to 2,500 px tall) is folded into a closed "Visa flödesschema";
// on wider screens it stays open, and it opens for printing.
function foldDiagram(root) {
  const figure = root.querySelector(".flow-diagram");
  if (!figure || figure.closest("details")) return;
  const fold = element("details", { class: "flow-diagram-fold" }, element("summary", {}, t("flow_show_diagram")));
  figure.before(fold);
  fold.append(figure);
  const phone = window.matchMedia(PHONE_QUERY);
  fold.open = !phone.matches;
  phone.addEventListener("change", () => { fold.open = !phone.matches; });
  window.addEventListener("beforeprint", () => { fold.open = true; });
  const scroller = figure.querySelector(".flow-diagram-scroll");
  if (scroller) {
    const hint = element("p", { class: "flow-diagram-hint" }, t("flow_diagram_hint"));
    hint.hidden = true;
    figure.querySelector("figcaption")?.before(hint);
    const check = () => { hint.hidden = !(fold.open && scroller.scrollWidth > scroller.clientWidth + 1); };
    fold.addEventListener("toggle", check);
    window.addEventListener("resize", check);
  }
}

function unavailableReason() {
  if (location.protocol === "file:") return "file";
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") return "unsupported";
  return null;
}

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
})();
