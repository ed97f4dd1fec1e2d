// A flow page, one step at a time: this script draws the state machine of flow-model.js and
// passes it the reader's moves and the engine's messages (flow-engine.js). The page is the
// static flow (every step a section, options as links); this script shows one step at once and
// keeps the answers in memory only. The engine (Python, in Pyodide, in a module worker) loads in
// the background and takes over routing when ready. Until then an answer whose next step the
// compiled tree names goes there at once; a step whose next step depends on earlier answers
// shows the static page's rules as links, so the reader always has something to tap, and an
// answer there waits for the engine with a note beside the tapped control. If the engine cannot
// run, the static flow comes back with one plain sentence saying why.
//
// History: each step the reader moves to gets one history entry, with the same address and a
// state that holds only a step counter ({step: n}); the steps behind the counters are in this
// page's memory, so Back and Forward move between steps and nothing of the answers is in the
// address, the fragment or the history. An entry this page does not know (after a reload, or
// Back after the quick exit) shows the flow's start.
//
// Privacy: no storage, no cookies, no change of the address while answering; nothing is sent.
// What the reader types in a form step is in the state machine's memory and in the fields of the
// step shown, nowhere else; the account it makes is printed, copied or downloaded from memory
// (a Blob). The quick exit drops it; closing the page with typed text not yet downloaded,
// printed or copied asks first.
//
// The parts it draws with, each its own classic script loaded before this one (theme/main.html):
// flow-dom.js (the reader's words, the sections), flow-controls.js (Tillbaka, Börja om, "Dina
// svar", the status sentence, the diagram's fold), flow-form.js (the fields, the account, the
// guards of the typed text) and flow-errors.js (a step's errors).
//
// A classic script, not a module: from file:// a module script is refused, and this script must
// still run there to say why the flow is not interactive.
(function () {
"use strict";

const Model = self.TryggtFlowModel;
const Engine = self.TryggtFlowEngine;
const SCRIPT_URL = document.currentScript.src;
const AWAIT_POPSTATE_MS = 1000;
const Dom = self.TryggtFlowDom;
const Form = self.TryggtFlowForm;
const Errors = self.TryggtFlowErrors;
const Controls = self.TryggtFlowControls;
const { t, SENTENCES, element, sections, sectionFor, focusHeading } = Dom;
const {
  unsent, readStep, markInputs, clearFields, currentAccount, fillAccounts, printAccount, copyAccount, download, guardText,
} = Form;
const { showErrors, showFieldErrors, clearErrors, focusField, focusRatingItem } = Errors;
const { buildLiveUI, addStatus, setStatus, releaseStatusRoom, showProgress, renderAnswers, foldDiagram } = Controls;

const root = document.querySelector(".flow[data-flow]");
if (root && Model && Engine) startFlow(root);

// `page` holds what the functions below share: the elements, the tree, the state machine's
// current state, and the engine's client.
function startFlow(root) {
  foldDiagram(root);
  // The browser keeps the state of form controls with each history entry and puts it back when
  // the entry is visited again (after the quick exit too): not for the flow's answers.
  for (const input of root.querySelectorAll("input")) input.setAttribute("autocomplete", "off");
  const treeData = root.querySelector("script.flow-tree");
  if (!treeData) return;
  const status = addStatus(root);
  const why = unavailableReason();
  if (why) {
    root.dataset.engine = "unavailable";
    status.sentence.textContent = SENTENCES[why];
    status.box.classList.add("is-shown");
    return;
  }
  const page = {
    root, status, tree: JSON.parse(treeData.textContent), treeJSON: treeData.textContent,
    ui: buildLiveUI(root), pageTitle: document.title, live: true, engine: null, timings: null,
    state: null, awaitTimer: null,
    quiet: !status.box.classList.contains("is-reserved"), // no step waits: the engine loads unannounced
    deferred: null, // a tap made while the browser was still going to an entry
    unsaved: false, // text typed since the account was last downloaded, printed or copied
    exited: false, // the quick exit was taken: the page is being left, without a question
    labels: new Map(), // an account blank -> the label it shows when not filled in
  };
  begin(page);
  listen(page);
  performance.mark("tryggt-flow-interactive");
  startEngine(page);
}

function begin(page) {
  const { root, tree } = page;
  const entry = history.state && Number.isInteger(history.state.step) ? history.state.step : null;
  const begun = Model.init(tree, { entryStep: entry, linked: nodeFromHash(page, location.hash) });
  page.state = { ...begun.state, shown: -1 }; // so the first render shows the step
  history.scrollRestoration = "manual"; // the flow puts each step in view itself
  clearFields(root); // no answers yet
  root.classList.add("flow-live");
  root.dataset.engine = "loading";
  setStatus(page, page.quiet ? "" : SENTENCES.loading, !page.quiet);
  const linkedStep = begun.state.current !== tree.start;
  apply(page, begun, { focus: linkedStep && "quiet" });
  if (linkedStep && document.readyState !== "complete") {
    // The browser's own move to the fragment, at the end of loading, takes the focus away from
    // the heading (the fragment names the section, which cannot take focus): give it back.
    const shown = page.state.shown;
    window.addEventListener("load", () => setTimeout(() => {
      if (page.state.shown === shown && (document.activeElement === document.body || !document.activeElement)) {
        focusHeading(sectionFor(root, page.state.current), { quiet: true });
      }
    }, 0), { once: true });
  }
}

// ---- applying a move ----------------------------------------------------------------------------

function apply(page, move, { focus = true, focusItem = null } = {}) {
  if (!page.live) return;
  const before = page.state;
  page.state = move.state;
  if (page.state.engine === "failed") return giveUp(page);
  if (page.state.engine === "ready" && before.engine !== "ready") engineIsReady(page);
  moveHistory(page, move.history);
  if (page.state.engine === "ready" && page.state.shown !== before.shown) releaseStatusRoom(page);
  render(page, before, { focus, focusItem });
  if (move.run) ask(page, move.run);
  if (page.state.awaiting === null && page.deferred) {
    const act = page.deferred;
    page.deferred = null;
    act();
  }
}

function moveHistory(page, h) {
  if (!h) return;
  if ("push" in h) history.pushState({ step: h.push }, "");
  else if ("replace" in h) history.replaceState({ step: h.replace }, "");
  else if ("go" in h) {
    history.go(h.go);
    // Should the browser not report the entry (popstate), taps stop waiting for it.
    clearTimeout(page.awaitTimer);
    const awaited = page.state.awaiting;
    page.awaitTimer = setTimeout(() => {
      if (page.state.awaiting === awaited) apply(page, Model.stopAwaiting(page.state));
    }, AWAIT_POPSTATE_MS);
  }
}

async function ask(page, run) {
  const result = await page.engine.run(page.treeJSON, page.state.answers);
  apply(page, Model.engineResult(page.tree, page.state, run, result));
}

// ---- the engine ---------------------------------------------------------------------------------

// The worker flow-boot.js started from the head, or a new one.
function startEngine(page) {
  const siteRoot = new URL("../../", SCRIPT_URL);
  const url = (path) => (path ? new URL(path, siteRoot).href : null);
  const data = page.root.dataset;
  const booted = window.tryggtFlowWorker;
  window.tryggtFlowWorker = null;
  page.engine = Engine.connect({
    urls: {
      pyodide: url(data.pyodide), engine: url(data.engineZip), stdlib: url(data.stdlib), snapshot: url(data.snapshot),
      sizes: data.runtimeSizes || null, // bytes of each download, for the progress
    },
    workerUrl: new URL("flow-worker.js", SCRIPT_URL),
    booted,
    on: {
      progress: (load) => showProgress(page, load),
      ready: (timings) => {
        page.timings = timings;
        apply(page, Model.engineStarted(page.tree, page.state));
      },
      failed: () => apply(page, Model.engineFailed(page.tree, page.state)),
    },
  });
}

function engineIsReady(page) {
  page.root.dataset.engine = "ready";
  performance.mark("tryggt-flow-engine-ready", { detail: page.timings });
  setStatus(page, "", false);
}

// The engine could not start or stopped: the static flow again, with one sentence saying so.
function giveUp(page) {
  const { root } = page;
  page.live = false;
  if (page.engine) page.engine.stop();
  clearTimeout(page.awaitTimer);
  root.dataset.engine = "unavailable";
  root.classList.remove("flow-live");
  for (const added of root.querySelectorAll(".flow-live-only")) added.remove();
  for (const waiting of root.querySelectorAll(".is-waiting")) waiting.classList.remove("is-waiting");
  for (const section of sections(root)) {
    section.hidden = false;
    section.classList.remove("flow-shows-rules");
    // The text typed on the other form steps, back in their fields on the static page.
    const node = section.dataset.node;
    if (node && node !== page.state.current && section.querySelector(".flow-form")) markInputs(page.state, section, node);
  }
  document.title = page.pageTitle;
  setStatus(page, SENTENCES.failed, false);
  if (Model.hasAnswers(page.state)) sectionFor(root, page.state.current).scrollIntoView();
}

// ---- what the reader does -----------------------------------------------------------------------

function listen(page) {
  const { root, ui } = page;
  root.addEventListener("click", (event) => {
    if (!page.live) return;
    const act = actionFor(page, event);
    if (!act) return;
    // While the browser is still going to an entry this page asked for (Tillbaka, Börja om), a
    // tap waits for it, so that the move lands on the right entry.
    if (page.state.awaiting !== null) page.deferred = act;
    else act();
  });
  ui.confirm.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && page.state.confirming) {
      event.preventDefault();
      apply(page, Model.cancelRestart(page.state));
    }
  });
  window.addEventListener("popstate", (event) => {
    const step = event.state && Number.isInteger(event.state.step) ? event.state.step : null;
    if (step !== null) apply(page, Model.traverse(page.tree, page.state, step, unsent(page)));
    // No counter: the browser followed a link to a part of the page; "hashchange" takes it.
  });
  window.addEventListener("hashchange", () => {
    if (history.state && Number.isInteger(history.state.step)) return;
    const node = nodeFromHash(page, location.hash);
    if (node) apply(page, Model.openLinked(page.tree, page.state, node, unsent(page)));
  });
  // Back to this page from another one: should the browser bring it back from its back/forward
  // cache, with the answers in memory, load it afresh instead (the entry then shows the start).
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) location.reload();
  });
  guardText(page);
}

function actionFor(page, event) {
  const { root, tree } = page;
  const link = event.target.closest("a[href^='#']");
  if (link && root.contains(link)) {
    // In-flow links would put the step in the address bar and the history: never while live.
    event.preventDefault();
    if (link.matches(".flow-error-link")) {
      if (link.dataset.field) focusField(root, link.dataset.node, link.dataset.field);
      else focusRatingItem(root, link.dataset.node, link.dataset.item);
      return null;
    }
    if (link.matches(".flow-option")) {
      const nodeId = link.closest("[data-node]").dataset.node;
      return () => apply(page, Model.answer(tree, page.state, nodeId, link.dataset.option));
    }
    if (link.matches(".flow-rule, .flow-next")) return () => apply(page, Model.pick(tree, page.state, link.dataset.goto, unsent(page)));
    const node = nodeFromHash(page, link.getAttribute("href"));
    return node ? () => apply(page, Model.open(tree, page.state, node, unsent(page))) : null;
  }
  const button = event.target.closest("button[data-action]");
  return button && root.contains(button) ? buttonAction(page, button) : null;
}

function buttonAction(page, button) {
  const { tree } = page;
  switch (button.dataset.action) {
    case "print":
      window.print();
      page.unsaved = false; // the reader had the account in front of them to print
      return null;
    case "print-account":
      printAccount(page, button);
      return null;
    case "copy":
      copyAccount(page, button);
      return null;
    case "download-text":
    case "download-page":
      download(page, button.dataset.action === "download-page");
      return null;
    case "next": return () => submitStep(page);
    case "back": return () => apply(page, Model.back(tree, page.state, unsent(page)));
    case "restart": return () => apply(page, Model.restart(tree, page.state, { unsent: unsent(page) }));
    case "restart-confirm": return () => apply(page, Model.restart(tree, page.state, { confirmed: true }));
    case "restart-cancel": return () => apply(page, Model.cancelRestart(page.state));
    case "edit": {
      const item = button.dataset.item || null;
      return () => apply(page, Model.edit(tree, page.state, button.dataset.node, unsent(page)), { focusItem: item });
    }
    default: return null;
  }
}

function submitStep(page) {
  const node = page.tree.nodes[page.state.current];
  const section = sectionFor(page.root, node.id);
  let value = true;
  if (node.kind === "checklist" || node.kind === "rating" || node.kind === "form") value = readStep(section, node);
  if (node.kind === "form") {
    const { value: filled, missing } = Model.formAnswer(node, value);
    if (missing.length) return showFieldErrors(page, section, node, missing);
    clearErrors(page, section);
    value = filled;
  }
  if (node.kind === "rating") {
    const missing = node.items.filter((item) => !(item.id in value));
    if (missing.length) return showErrors(page, section, node, missing);
    clearErrors(page, section);
  }
  apply(page, Model.answer(page.tree, page.state, node.id, value));
}

// ---- showing ------------------------------------------------------------------------------------

function render(page, before, { focus, focusItem }) {
  const { state, root, ui } = page;
  const moved = state.shown !== before.shown;
  const view = Model.view(page.tree, state);
  const target = sectionFor(root, state.current);
  if (moved) {
    for (const section of sections(root)) {
      section.hidden = section !== target;
      // Typed text is in the state machine's memory; in the page only on the step shown.
      if (section !== target) {
        clearErrors(page, section);
        clearFields(section);
      }
    }
    markInputs(state, target);
    renderDirect(page, target, view);
  }
  markOptions(state, target);
  renderActions(target, view);
  // The account's blanks hold the reader's words only while its outcome is shown.
  fillAccounts(page, view.isOutcome && !view.direct ? currentAccount(page) : null);
  target.classList.toggle("flow-shows-rules", view.showRules);
  renderNote(page, before);
  renderControls(page, view);
  root.dataset.current = state.current;
  renderAnswers(page);
  if (moved && view.isOutcome && !view.direct) ui.announce.textContent = t("flow_result", { title: page.tree.nodes[state.current].title });
  if (moved && focus) {
    if (focusItem) return focusRatingItem(root, state.current, focusItem);
    focusHeading(target, { quiet: focus === "quiet" });
  } else if (state.confirming && !before.confirming) {
    ui.confirmQuestion.focus({ preventScroll: true });
    ui.confirm.scrollIntoView({ block: "nearest" });
  } else if (!state.confirming && before.confirming && !moved) {
    ui.restart.focus();
  }
}

function renderControls({ ui, state }, view) {
  ui.back.hidden = !view.canBack;
  ui.restart.hidden = !view.canRestart;
  ui.print.hidden = !view.isOutcome;
  ui.confirm.hidden = !state.confirming;
  ui.restart.setAttribute("aria-expanded", String(state.confirming));
  ui.controls.hidden = !view.canBack && !view.canRestart && !view.isOutcome;
}

// The option chosen on a choice step, marked (every time: an answer may wait on the step).
function markOptions(state, section) {
  const value = Model.shownAnswer(state, state.current);
  for (const option of section.querySelectorAll(".flow-option")) {
    const chosen = option.dataset.option === value;
    if (chosen === option.classList.contains("is-chosen")) continue;
    option.classList.toggle("is-chosen", chosen);
    option.querySelector(".flow-chosen-note")?.remove();
    if (chosen) option.append(element("span", { class: "flow-sr-only flow-chosen-note" }, t("flow_your_answer")));
  }
}
// The note beside the control the reader tapped: waiting for the engine, or pick a rule. A wait
// also shows there what it waits for, the download's figures (showProgress keeps them; outside
// the live region, which would read them out four times a second: the status line has them).
function renderNote({ root, state, status }, before) {
  const note = state.note;
  const same = before.note && note && before.note.node === note.node && before.note.kind === note.kind
    && before.answers[note.node] === state.answers[note.node];
  if (same && root.querySelector(".flow-note")) return;
  for (const old of root.querySelectorAll(".flow-note, .flow-note-progress")) old.remove();
  for (const old of root.querySelectorAll(".is-waiting")) old.classList.remove("is-waiting");
  if (!note) return;
  const section = sectionFor(root, note.node);
  const chosen = section.querySelector(`.flow-option[data-option="${state.answers[note.node]}"]`);
  const box = element("p", { class: `flow-note flow-live-only is-${note.kind}`, role: "status" });
  if (chosen) {
    chosen.classList.toggle("is-waiting", note.kind === "wait");
    chosen.closest("li").append(box);
  } else {
    section.querySelector(".flow-submit").after(box);
  }
  const figures = note.kind === "wait" ? element("p", { class: "flow-note-progress flow-live-only", "aria-hidden": "true" }) : null;
  if (figures) box.after(figures);
  // Filled a moment after it is in the page, so that screen readers announce it.
  setTimeout(() => {
    box.textContent = SENTENCES[note.kind === "wait" ? "waiting" : "pick"];
    if (figures && status) figures.textContent = status.progress.textContent;
    (figures || box).scrollIntoView({ block: "nearest" }); // in view, where the reader tapped
  }, 50);
}

// An outcome's actions that carry an `if:`: once the engine has placed the reader here, only
// those that apply; otherwise all, each with its condition in words, as on the static page.
function renderActions(section, view) {
  if (!view.isOutcome) return;
  const show = view.actions === null ? null : new Set(view.actions);
  for (const item of section.querySelectorAll("ol.flow-actions > li[data-action-index]")) {
    item.hidden = show !== null && !show.has(Number(item.dataset.actionIndex));
  }
  for (const words of section.querySelectorAll(".flow-action-if")) words.hidden = show !== null;
}

// An outcome or a step reached without the answers before it: what it is for, and the start.
// After the advice (the reader came for it), on a step before its rules, which it explains.
function renderDirect({ root }, section, view) {
  for (const old of root.querySelectorAll(".flow-direct")) old.remove();
  if (!view.direct) return;
  const box = element("div", { class: "flow-direct flow-live-only" });
  if (view.isOutcome) {
    box.append(element("p", {}, t("flow_direct_outcome")));
    const ways = waysTo(root, view.node);
    if (ways.length) box.append(element("ul", {}, ...ways.map((way) => element("li", {}, way))));
    box.append(element("p", {}, t("flow_direct_outcome_more")));
  } else {
    box.append(element("p", {}, t("flow_direct_step")));
  }
  box.append(element("p", {}, element("button", {
    type: "button", class: "md-button md-button--primary", "data-action": "restart",
  }, t("flow_start_over"))));
  const rules = !view.isOutcome && section.querySelector(":scope > .flow-rules");
  if (rules) rules.before(box);
  else section.append(box);
}

// The ways into a node, in the static page's own words: its options and rules that lead there.
function waysTo(root, nodeId) {
  const ways = [];
  for (const link of root.querySelectorAll(`.flow-steps [data-goto="${nodeId}"]`)) {
    const title = link.closest(".flow-step").querySelector("h2").textContent;
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

// ---- the page's parts ---------------------------------------------------------------------------

// The step or outcome a fragment names: any element of it (#steg-…, #utfall-…, #rubrik-…).
function nodeFromHash({ root, tree }, hash) {
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

function unavailableReason() {
  if (location.protocol === "file:") return "file";
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") return "unsupported";
  return null;
}

})();
