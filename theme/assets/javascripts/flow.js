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
// A classic script, not a module: from file:// a module script is refused, and this script must
// still run there to say why the flow is not interactive.
(function () {
"use strict";

const Model = self.TryggtFlowModel;
const Engine = self.TryggtFlowEngine;
const SCRIPT_URL = document.currentScript.src;
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
if (root && Model && Engine) startFlow(root);

// `page` holds what the functions below share: the elements, the tree, the state machine's
// current state, and the engine's client.
function startFlow(root) {
  foldDiagram(root);
  // The browser keeps the state of form controls with each history entry and puts it back when
  // the entry is visited again (after the quick exit too): not for the flow's answers.
  for (const input of root.querySelectorAll("input")) input.setAttribute("autocomplete", "off");
  // The engine takes no longer text (generator/engine/forms.py MAX_FIELD_CHARS): stop it here.
  for (const input of root.querySelectorAll(".flow-field textarea, .flow-field input:not([type=radio])")) input.maxLength = 20000;
  const treeData = root.querySelector("script.flow-tree");
  if (!treeData) return;
  const status = addStatus(root);
  const why = unavailableReason();
  if (why) {
    root.dataset.engine = "unavailable";
    status.sentence.textContent = SENTENCES[why];
    return;
  }
  const page = {
    root, status, tree: JSON.parse(treeData.textContent), treeJSON: treeData.textContent,
    ui: buildLiveUI(root), pageTitle: document.title, live: true, engine: null, timings: null,
    state: null, awaitTimer: null,
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
  setStatus(page, SENTENCES.loading, true);
  const linkedStep = begun.state.current !== tree.start;
  apply(page, begun, { focus: linkedStep });
  if (linkedStep && document.readyState !== "complete") {
    // The browser's own move to the fragment, at the end of loading, takes the focus away from
    // the heading (the fragment names the section, which cannot take focus): give it back.
    const shown = page.state.shown;
    window.addEventListener("load", () => setTimeout(() => {
      if (page.state.shown === shown && (document.activeElement === document.body || !document.activeElement)) {
        focusHeading(sectionFor(root, page.state.current));
      }
    }, 0), { once: true });
  }
}

// ---- applying a move ---------------------------------------------------------------------------

function apply(page, move, { focus = true, focusItem = null } = {}) {
  if (!page.live) return;
  const before = page.state;
  page.state = move.state;
  if (page.state.engine === "failed") return giveUp(page);
  if (page.state.engine === "ready" && before.engine !== "ready") engineIsReady(page);
  moveHistory(page, move.history);
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

// ---- the engine ----------------------------------------------------------------------------

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

// ---- what the reader does ----------------------------------------------------------------------

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
  // The quick exit drops the answers and the typed text before the page is left; a capture
  // listener on the button too, so that nothing of it is in the page whatever runs after.
  const quickExit = () => {
    page.state = Model.forget(page.state).state;
    clearFields(root);
    fillAccounts(page, null);
    page.unsaved = false;
    page.exited = true;
    if (page.engine) page.engine.stop();
    page.live = false;
  };
  document.addEventListener("tryggt:quick-exit", quickExit);
  document.addEventListener("click", (event) => {
    if (event.button === 0 && event.target.closest && event.target.closest("[data-quick-exit]")) quickExit();
  }, true);
  root.addEventListener("input", (event) => {
    if (event.target.matches(".flow-field input:not([type=radio]), .flow-field textarea")) page.unsaved = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (page.exited || !page.unsaved || !Model.hasText(page.tree, page.state, unsent(page))) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers ask only when a value is set
  });
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

// What is ticked or rated on the current step and not sent; undefined where nothing can be.
function unsent(page) {
  const node = page.tree.nodes[page.state.current];
  if (node.kind !== "checklist" && node.kind !== "rating" && node.kind !== "form") return undefined;
  return readStep(sectionFor(page.root, node.id), node);
}

function readStep(section, node) {
  if (node.kind === "form") {
    // As typed (blanks too, so that Back shows them as left); yes/no as true or false.
    const typed = {};
    for (const field of node.fields) {
      const box = section.querySelector(`.flow-field[data-field="${field.id}"]`);
      if (field.type !== "yesno") typed[field.id] = box.querySelector("input, textarea").value;
      else {
        const chosen = box.querySelector("input[type=radio]:checked");
        if (chosen) typed[field.id] = chosen.value === "ja";
      }
    }
    return typed;
  }
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

// ---- errors, the GOV.UK way --------------------------------------------------------------------

function showErrors(page, section, node, missing) {
  clearErrors(page, section);
  const headingId = `fel-rubrik-${node.id}`;
  const links = missing.map((item) => {
    const first = section.querySelector(`tr[data-item="${item.id}"] input[type=radio]`);
    return element("li", {}, element("a", {
      href: `#${first.id}`, class: "flow-error-link", "data-node": node.id, "data-item": item.id,
    }, t("flow_choose_level_for", { label: item.label })));
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
  document.title = t("flow_error_prefix") + page.pageTitle;
  box.focus({ preventScroll: true });
  box.scrollIntoView({ block: "start" }); // its scroll margin clears the sticky header
}

// A form's required fields not filled: the summary at the top, and a message under each label.
function showFieldErrors(page, section, node, missing) {
  clearErrors(page, section);
  const headingId = `fel-rubrik-${node.id}`;
  const links = missing.map((field) => {
    const input = fieldInputs(section, field.id)[0];
    return element("li", {}, element("a", {
      href: `#${input.id}`, class: "flow-error-link", "data-node": node.id, "data-field": field.id,
    }, t("flow_fill_in_for", { label: field.label })));
  });
  const box = element("div", {
    class: "flow-error-summary flow-live-only", role: "alert", tabindex: "-1", "aria-labelledby": headingId,
  }, element("h3", { id: headingId, class: "flow-error-title" }, t("flow_problem")), element("ul", {}, ...links));
  section.querySelector("h2").before(box);
  for (const field of missing) {
    const box = section.querySelector(`.flow-field[data-field="${field.id}"]`);
    const messageId = `fel-${node.id}--${field.id}`;
    box.classList.add("flow-item-error");
    box.querySelector("label, legend").after(element("p", { class: "flow-item-message flow-live-only", id: messageId },
      element("span", { class: "flow-sr-only" }, t("flow_error_prefix")), t("flow_fill_in_here")));
    for (const input of fieldInputs(section, field.id)) {
      input.setAttribute("aria-describedby", [messageId, input.getAttribute("aria-describedby")].filter(Boolean).join(" "));
    }
  }
  document.title = t("flow_error_prefix") + page.pageTitle;
  box.focus({ preventScroll: true });
  box.scrollIntoView({ block: "start" });
}

function clearErrors(page, section) {
  for (const added of section.querySelectorAll(".flow-error-summary, .flow-item-message")) added.remove();
  for (const row of section.querySelectorAll(".flow-item-error")) row.classList.remove("flow-item-error");
  // The error's message goes; a field's hint stays.
  for (const input of section.querySelectorAll("[aria-describedby^='fel-']")) {
    const rest = input.getAttribute("aria-describedby").split(" ").filter((id) => !id.startsWith("fel-"));
    if (rest.length) input.setAttribute("aria-describedby", rest.join(" "));
    else input.removeAttribute("aria-describedby");
  }
  if (!page.root.querySelector(".flow-error-summary")) document.title = page.pageTitle;
}

function fieldInputs(section, fieldId) {
  return [...section.querySelectorAll(`.flow-field[data-field="${fieldId}"] :is(input, textarea)`)];
}

function focusField(root, nodeId, fieldId) {
  const inputs = fieldInputs(sectionFor(root, nodeId), fieldId);
  if (!inputs.length) return;
  inputs[0].focus({ preventScroll: true });
  inputs[0].closest(".flow-field").scrollIntoView({ block: "start" });
}

function focusRatingItem(root, nodeId, itemId) {
  const row = sectionFor(root, nodeId).querySelector(`tr[data-item="${itemId}"]`);
  if (!row) return;
  const radio = row.querySelector("input[type=radio]:checked") || row.querySelector("input[type=radio]");
  radio.focus({ preventScroll: true });
  row.scrollIntoView({ block: "start" }); // the row's scroll margin clears the sticky header
}

// ---- showing -----------------------------------------------------------------------------------

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
    focusHeading(target);
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

function focusHeading(section) {
  const heading = section.querySelector("h2");
  heading.setAttribute("tabindex", "-1");
  heading.focus({ preventScroll: true });
  section.scrollIntoView({ block: "start" }); // the section's scroll margin clears the sticky header
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

// Ticks, ratings and typed text, as sent or as left unsent (only when a step is shown: not over
// the reader's).
function markInputs(state, section, nodeId = state.current) {
  const value = Model.shownAnswer(state, nodeId);
  for (const box of section.querySelectorAll("input[type=checkbox]")) {
    box.checked = Array.isArray(value) && value.includes(box.value);
  }
  for (const radio of section.querySelectorAll("tr[data-item] input[type=radio]")) {
    const item = radio.closest("tr[data-item]").dataset.item;
    radio.checked = !!value && typeof value === "object" && value[item] === radio.value;
  }
  const typed = value && typeof value === "object" ? value : {};
  for (const box of section.querySelectorAll(".flow-field[data-field]")) {
    const shown = typed[box.dataset.field];
    for (const input of box.querySelectorAll("input[type=radio]")) input.checked = shown === (input.value === "ja");
    for (const input of box.querySelectorAll("input:not([type=radio]), textarea")) input.value = typeof shown === "string" ? shown : "";
  }
}

// Every tick, rating and typed text in the part of the page given.
function clearFields(part) {
  for (const input of part.querySelectorAll("input")) input.checked = false;
  for (const input of part.querySelectorAll(".flow-field input:not([type=radio]), .flow-field textarea")) input.value = "";
}

// ---- the account ---------------------------------------------------------------------------------

const accountWords = () => ({ yes: t("form_yes"), no: t("form_no"), blank: t("account_not_filled") });

// The account as it stands: the engine's, at the outcome it placed the reader at; before that
// (a download from a form step) or without it, assembled here from the compiled tree's template.
function currentAccount(page) {
  const { state, tree } = page;
  const r = state.result;
  if (r && r.status === "outcome" && r.node === state.current && r.outcome.account) return r.outcome.account;
  const outcome = tree.nodes[state.current].kind === "outcome" ? state.current : Model.accountOutcome(tree);
  return outcome ? Model.assemble(tree, outcome, Model.formAnswersSoFar(tree, state, unsent(page))) : null;
}

// The blanks of the static account, filled in as text (null: their labels again).
function fillAccounts(page, account) {
  const values = new Map();
  for (const section of (account && account.sections) || []) {
    for (const part of section.parts) if ("field" in part) values.set(part.field, part);
  }
  for (const blank of page.root.querySelectorAll(".flow-account .flow-blank[data-field]")) {
    if (!page.labels.has(blank)) page.labels.set(blank, blank.textContent);
    const part = values.get(blank.dataset.field);
    blank.textContent = part ? Model.partText(part, accountWords()) : page.labels.get(blank);
    blank.classList.toggle("is-filled", !!part && part.value !== null);
    blank.classList.toggle("is-answered", !!part);
  }
}

function say(button, text) {
  const said = button.closest(".flow-account-tools").querySelector(".flow-account-said");
  said.textContent = "";
  setTimeout(() => { said.textContent = text; }, 50); // a moment later, so that it is announced
}

// The account alone on paper: every element on the way to it marked, so that the print style
// can leave out everything beside that way.
function printAccount(page, button) {
  const account = button.closest(".flow-outcome").querySelector(".flow-account");
  const marked = [];
  for (let node = account.parentElement; node && node !== document.documentElement; node = node.parentElement) {
    node.classList.add("flow-print-path");
    marked.push(node);
  }
  document.documentElement.classList.add("flow-print-account");
  window.addEventListener("afterprint", () => {
    document.documentElement.classList.remove("flow-print-account");
    for (const node of marked) node.classList.remove("flow-print-path");
  }, { once: true });
  window.print();
  page.unsaved = false;
}

async function copyAccount(page, button) {
  const text = Model.accountText(currentAccount(page), accountWords());
  try {
    await navigator.clipboard.writeText(text);
  } catch (error) {
    // Without the clipboard API (an older browser, or a page not served over HTTPS): the
    // browser's own copy, from a field that is in the page only for that moment.
    const area = element("textarea", { class: "flow-copy-area", "aria-hidden": "true", readonly: "" });
    area.value = text;
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    button.focus();
    if (!copied) return say(button, t("flow_copy_failed"));
  }
  page.unsaved = false;
  say(button, t("flow_copied"));
}

// A file made here, from memory: a Blob behind an address that lives for the one click.
function download(page, asPage) {
  const account = currentAccount(page);
  const lang = document.documentElement.lang || "sv";
  const body = asPage ? Model.accountHTML(account, accountWords(), lang) : Model.accountText(account, accountWords());
  const blob = new Blob([body], { type: asPage ? "text/html;charset=utf-8" : "text/plain;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = element("a", { href: url, download: `${t("account_file_name")}.${asPage ? "html" : "txt"}`, hidden: "" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
  page.unsaved = false;
}

// The note beside the control the reader tapped: waiting for the engine, or pick a rule.
function renderNote({ root, state }, before) {
  const note = state.note;
  const same = before.note && note && before.note.node === note.node && before.note.kind === note.kind
    && before.answers[note.node] === state.answers[note.node];
  if (same && root.querySelector(".flow-note")) return;
  for (const old of root.querySelectorAll(".flow-note")) old.remove();
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
  // Filled a moment after it is in the page, so that screen readers announce it.
  setTimeout(() => {
    box.textContent = SENTENCES[note.kind === "wait" ? "waiting" : "pick"];
    box.scrollIntoView({ block: "nearest" }); // in view, where the reader tapped
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
  section.querySelector("h2").after(box);
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

// "Dina svar": a rating's rows grouped under its title.
function renderAnswers(page) {
  const rows = Model.summary(page.tree, page.state);
  page.ui.answers.hidden = rows.length === 0;
  const items = [];
  let group = null;
  for (const row of rows) {
    const li = answerRow(row);
    if (!row.group) {
      group = null;
      items.push(li);
      continue;
    }
    if (!group || group.node !== row.node) {
      group = { node: row.node, list: element("ol", {}) };
      items.push(element("li", { class: "flow-answer-group" },
        element("span", { class: "flow-answer-group-title" }, row.group), group.list));
    }
    group.list.append(li);
  }
  page.ui.answerList.replaceChildren(...items);
}

function answerRow(row) {
  const change = element("button", {
    type: "button", class: "flow-edit", "data-action": "edit", "data-node": row.node,
    ...(row.item ? { "data-item": row.item } : {}),
  }, t("flow_change"));
  change.append(element("span", { class: "flow-sr-only" }, t("flow_change_sr", { question: row.question })));
  const answer = row.answer.length > 1
    ? element("ul", { class: "flow-answer-text" }, ...row.answer.map((a) => element("li", {}, a)))
    : element("span", { class: "flow-answer-text" }, row.answer.length ? row.answer[0]
      : t(row.empty === "form" ? "flow_nothing_filled" : "flow_nothing_chosen"));
  return element("li", { class: "flow-answer-row" }, element("span", { class: "flow-answer-question" }, row.question), answer, change);
}

// ---- the status sentence -----------------------------------------------------------------------

// The sentence is a live region; the download's figures under it are not (read when the reader
// gets there, not announced four times a second).
function addStatus(root) {
  const sentence = element("span", { role: "status" });
  const progress = element("span", { class: "flow-engine-progress" });
  const box = element("p", { class: "flow-engine-status" }, sentence, progress);
  const acuteBox = root.querySelector(".flow-acute");
  if (acuteBox) acuteBox.after(box);
  else root.prepend(box);
  return { box, sentence, progress };
}

function setStatus({ status }, text, busy) {
  status.sentence.textContent = text;
  status.progress.textContent = "";
  status.box.classList.toggle("is-busy", busy);
  status.box.hidden = !text;
}

function showProgress({ status, state }, load) {
  if (state.engine !== "loading") return;
  status.progress.textContent = Engine.progressWords(load, t, document.documentElement.lang || "sv");
}

// ---- the live page's own controls --------------------------------------------------------------

function buildLiveUI(root) {
  for (const section of root.querySelectorAll(".flow-step")) {
    if (section.dataset.kind === "choice") continue;
    const submit = element("p", { class: "flow-live-only flow-submit" },
      element("button", { type: "button", class: "md-button md-button--primary", "data-action": "next" }, t("flow_continue")));
    // Before the rules: while they show (the engine still loading), Fortsätt comes first.
    const rules = section.querySelector(".flow-rules, .flow-continue, .flow-back");
    if (rules) rules.before(submit);
    else section.append(submit);
    // On every form step: what is written so far, as a file, since a closed tab loses it.
    if (section.querySelector(".flow-form")) {
      submit.after(element("div", { class: "flow-live-only flow-form-save" }, element("button", {
        type: "button", class: "flow-save-button", "data-action": "download-text",
      }, t("flow_download_so_far"))));
    }
  }
  for (const account of root.querySelectorAll(".flow-account")) {
    const tool = (action, text) => element("button", { type: "button", class: "md-button", "data-action": action }, text);
    account.after(element("div", { class: "flow-live-only flow-account-tools" },
      element("p", { class: "flow-account-buttons" }, tool("download-text", t("flow_download_text")),
        tool("download-page", t("flow_download_page")), tool("copy", t("flow_copy")), tool("print-account", t("flow_print_account"))),
      element("p", { class: "flow-account-said", role: "status" })));
  }
  const button = (action, text, attributes = {}) => element("button", { type: "button", "data-action": action, ...attributes }, ...text);
  const back = button("back", [t("flow_back")], { class: "md-button" });
  const print = button("print", [t("flow_print")], { class: "md-button" });
  const restart = button("restart", [element("span", { class: "flow-restart-icon", "aria-hidden": "true" }, "↺"), t("flow_restart")],
    { class: "flow-restart-button", "aria-controls": "flow-confirm" });
  const confirmQuestion = element("p", { id: "flow-confirm-question", tabindex: "-1" },
    element("strong", {}, t("flow_restart_question")), t("flow_restart_warning"));
  const confirm = element("div", {
    id: "flow-confirm", class: "flow-confirm", role: "group", "aria-labelledby": "flow-confirm-question",
  }, confirmQuestion, element("p", { class: "flow-confirm-buttons" },
    button("restart-confirm", [t("flow_restart_yes")], { class: "md-button md-button--primary" }),
    button("restart-cancel", [t("flow_restart_no")], { class: "md-button" })));
  confirm.hidden = true;
  const controls = element("div", { class: "flow-controls flow-live-only" },
    element("div", { class: "flow-controls-main" }, back, print),
    element("div", { class: "flow-controls-restart" }, restart), confirm);
  const answerList = element("ol", { class: "flow-answer-list" });
  const answers = element("section", { class: "flow-answers flow-live-only", "aria-labelledby": "flow-answers-heading" },
    element("h2", { id: "flow-answers-heading" }, t("flow_answers")), answerList);
  const announce = element("div", { class: "flow-sr-only flow-live-only", "aria-live": "polite" });
  const anchor = root.querySelector(".flow-diagram-fold, .flow-diagram") || null;
  for (const added of [controls, answers, announce]) root.insertBefore(added, anchor);
  return { back, print, restart, confirm, confirmQuestion, controls, answers, answerList, announce };
}

// ---- the page's parts --------------------------------------------------------------------------

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

function sections(root) {
  return root.querySelectorAll(".flow-step, .flow-outcome");
}

function sectionFor(root, nodeId) {
  return root.querySelector(`.flow-step[data-node="${nodeId}"], .flow-outcome[data-outcome="${nodeId}"]`);
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
