// A flow page, one step at a time. The page is the static flow (every step a section, options
// as links); this script shows one step at once and keeps the answers in memory only. The
// engine (Python, in Pyodide, in a module worker) loads in the background and takes over
// routing when ready; until then a choice whose option names its next step goes there at once,
// and any other step waits for the engine. If the engine cannot run, the static flow comes back
// with one plain sentence saying why.
//
// Privacy: no storage, no cookies, no URL or history change while answering; nothing is sent.
//
// A classic script, not a module: from file:// a module script is refused, and this script must
// still run there to say why the flow is not interactive.
(function () {
"use strict";
const SCRIPT_URL = document.currentScript.src;

const ENGINE_TIME_LIMIT_MS = 60000;
const SENTENCES = {
  loading: "Flödet blir interaktivt om en stund. Du kan börja svara redan nu.",
  waiting: "Ett ögonblick, nästa steg räknas fram …",
  file: "Den interaktiva versionen fungerar bara när handboken öppnas från en webbplats, inte som en fil, men stegen nedan fungerar ändå.",
  unsupported: "Din webbläsare kan inte köra den interaktiva versionen, men stegen nedan fungerar ändå.",
  failed: "Den interaktiva versionen kunde inte laddas, men stegen nedan fungerar ändå.",
};

const root = document.querySelector(".flow[data-flow]");
if (root) startFlow(root);

function startFlow(root) {
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

  const state = {
    answers: {},
    current: tree.start,
    trail: [tree.start],
    result: null,
    engine: "loading",
    pending: null,
    editing: false,
    moves: 0, // counts moves and answers, so an engine result can tell it is still the latest
    live: true,
  };
  const ui = buildLiveUI();
  let worker = null;
  let nextRunId = 0;
  const waitingRuns = new Map();

  root.classList.add("flow-live");
  root.dataset.engine = "loading";
  setStatus(SENTENCES.loading, true);
  show(tree.start, { focus: false });
  performance.mark("tryggt-flow-interactive");
  startEngine();

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

  function run() {
    const id = nextRunId++;
    return new Promise((resolve) => {
      waitingRuns.set(id, resolve);
      worker.postMessage({ type: "run", id, tree: treeJSON, answers: JSON.stringify(state.answers) });
    });
  }

  async function engineReady(timings) {
    if (!state.live) return;
    state.result = await run();
    if (state.result.status === "error") return giveUp("failed");
    state.engine = "ready";
    root.dataset.engine = "ready";
    performance.mark("tryggt-flow-engine-ready", { detail: timings });
    setStatus("", false);
    if (state.pending !== null) {
      const from = state.pending;
      state.pending = null;
      await advance(from);
    } else {
      if (state.result.path.includes(state.current)) state.trail = state.result.path;
      renderAnswers();
    }
  }

  function giveUp(reason) {
    if (!state.live) return;
    state.live = false;
    state.engine = "failed";
    if (worker) worker.terminate();
    root.dataset.engine = "unavailable";
    root.classList.remove("flow-live");
    for (const added of root.querySelectorAll(".flow-live-only")) added.remove();
    for (const section of sections()) section.hidden = false;
    setStatus(SENTENCES[reason], false);
    if (Object.keys(state.answers).length) sectionFor(state.current).scrollIntoView();
  }

  // ---- answering -------------------------------------------------------------------------

  root.addEventListener("click", (event) => {
    if (!state.live) return;
    const link = event.target.closest("a[href^='#']");
    if (link && root.contains(link)) {
      // In-flow links would put the step in the address bar and the history: never while live.
      event.preventDefault();
      if (link.matches(".flow-option")) answer(state.current, link.dataset.option);
      return;
    }
    const button = event.target.closest("button[data-action]");
    if (!button || !root.contains(button)) return;
    const action = button.dataset.action;
    if (action === "next") submitStep();
    else if (action === "back") back();
    else if (action === "restart") restart();
    else if (action === "edit") edit(button.dataset.node);
    else if (action === "print") window.print();
  });

  function submitStep() {
    const node = tree.nodes[state.current];
    const section = sectionFor(state.current);
    const problem = section.querySelector(".flow-step-problem");
    problem.textContent = "";
    if (node.kind === "checklist") {
      const ticked = new Set([...section.querySelectorAll("input[type=checkbox]:checked")].map((i) => i.value));
      answer(node.id, node.options.map((o) => o.id).filter((id) => ticked.has(id)));
    } else if (node.kind === "rating") {
      const rating = {};
      let firstMissing = null;
      for (const item of node.items) {
        const chosen = section.querySelector(`tr[data-item="${item.id}"] input[type=radio]:checked`);
        if (chosen) rating[item.id] = chosen.value;
        else firstMissing = firstMissing || section.querySelector(`tr[data-item="${item.id}"] input[type=radio]`);
      }
      if (firstMissing) {
        problem.textContent = "Bedöm alla frågor innan du går vidare.";
        firstMissing.focus();
        return;
      }
      answer(node.id, rating);
    } else {
      answer(node.id, true);
    }
  }

  async function answer(nodeId, value) {
    state.answers[nodeId] = value;
    await advance(nodeId);
  }

  async function advance(fromId) {
    if (state.engine === "ready") {
      const asked = ++state.moves;
      const result = await run();
      // The reader moved or answered again while the engine worked: this result is no longer theirs.
      if (!state.live || asked !== state.moves) return;
      if (result.status === "error") return giveUp("failed");
      state.result = result;
      state.trail = result.path;
      const i = result.path.indexOf(fromId);
      // After Back, step forward one at a time; after a change from "Dina svar", go straight on.
      const next = !state.editing && i >= 0 && i + 1 < result.path.length ? result.path[i + 1] : result.node;
      show(next);
      return;
    }
    const goto = staticNext(fromId);
    if (goto) {
      state.trail = state.trail.slice(0, state.trail.indexOf(fromId) + 1).concat(goto);
      show(goto);
    } else {
      state.pending = fromId;
      setStatus(SENTENCES.waiting, true);
    }
  }

  // The step a choice leads to when the tree names it outright (no rule to evaluate).
  function staticNext(nodeId) {
    const node = tree.nodes[nodeId];
    if (node.kind === "choice") {
      const option = node.options.find((o) => o.id === state.answers[nodeId]);
      if (option && option.next) return option.next;
    }
    const rules = node.next || [];
    return rules.length === 1 && !rules[0].if ? rules[0].goto : null;
  }

  function back() {
    const i = state.trail.indexOf(state.current);
    if (i > 0) show(state.trail[i - 1]);
  }

  function restart() {
    state.answers = {};
    state.result = null;
    state.trail = [tree.start];
    for (const input of root.querySelectorAll(".flow-steps input")) input.checked = false;
    if (state.engine === "ready") run().then((result) => { state.result = result; });
    show(tree.start);
  }

  function edit(nodeId) {
    show(nodeId);
    state.editing = true; // after show(), which ends any earlier change; the next move ends this one
  }

  document.addEventListener("tryggt:quick-exit", () => {
    state.answers = {};
    state.result = null;
    for (const input of root.querySelectorAll("input")) input.checked = false;
    if (worker) worker.terminate();
  });

  // ---- showing ---------------------------------------------------------------------------

  function show(nodeId, { focus = true } = {}) {
    // Every move (an answer routed, Tillbaka, Ändra, Börja om) leaves the step the reader was on:
    // an answer there that waited for the engine, a change from "Dina svar" and an engine result
    // still on its way no longer apply, or the engine would later move the reader on from elsewhere.
    state.moves++;
    state.editing = false;
    if (state.pending !== null) {
      state.pending = null;
      setStatus(SENTENCES.loading, true);
    }
    state.current = nodeId;
    const target = sectionFor(nodeId);
    for (const section of sections()) section.hidden = section !== target;
    markAnswer(nodeId, target);
    const isOutcome = target.matches(".flow-outcome");
    ui.back.hidden = state.trail.indexOf(nodeId) <= 0;
    ui.print.hidden = !isOutcome;
    root.dataset.current = nodeId;
    renderAnswers();
    if (isOutcome) ui.announce.textContent = `Resultat: ${tree.nodes[nodeId].title}`;
    if (focus) {
      const heading = target.querySelector("h2");
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
      target.scrollIntoView({ block: "start" }); // the section's scroll margin clears the sticky header
    }
  }

  function markAnswer(nodeId, section) {
    const value = state.answers[nodeId];
    for (const option of section.querySelectorAll(".flow-option")) {
      const chosen = option.dataset.option === value;
      option.classList.toggle("is-chosen", chosen);
      option.querySelector(".flow-chosen-note")?.remove();
      if (chosen) option.append(element("span", { class: "flow-sr-only flow-chosen-note" }, " (ditt svar)"));
    }
    for (const box of section.querySelectorAll("input[type=checkbox]")) {
      box.checked = Array.isArray(value) && value.includes(box.value);
    }
    for (const radio of section.querySelectorAll("input[type=radio]")) {
      const item = radio.closest("tr[data-item]").dataset.item;
      radio.checked = !!value && typeof value === "object" && value[item] === radio.value;
    }
  }

  function renderAnswers() {
    const summary = answeredSummary();
    ui.answers.hidden = summary.length === 0;
    ui.answerList.replaceChildren(
      ...summary.map((entry) => {
        const change = element("button", { type: "button", class: "flow-edit", "data-action": "edit", "data-node": entry.node },
          "Ändra");
        change.append(element("span", { class: "flow-sr-only" }, ` svaret på ”${entry.title}”`));
        return element("li", {}, element("span", { class: "flow-answer-question" }, entry.title),
          element("span", { class: "flow-answer-text" }, entry.text), change);
      }),
    );
  }

  // The engine's summary when it has run; before that, the choices made so far, in words.
  function answeredSummary() {
    if (state.engine === "ready" && state.result) {
      return state.result.summary.filter((e) => tree.nodes[e.node].kind !== "info");
    }
    return state.trail
      .filter((id) => tree.nodes[id].kind === "choice" && id in state.answers)
      .map((id) => {
        const option = tree.nodes[id].options.find((o) => o.id === state.answers[id]);
        return { node: id, title: tree.nodes[id].title, text: option ? option.label : "" };
      });
  }

  function setStatus(text, busy) {
    status.textContent = text;
    status.classList.toggle("is-busy", busy);
    status.hidden = !text;
  }

  function buildLiveUI() {
    for (const section of root.querySelectorAll(".flow-step")) {
      const kind = section.dataset.kind;
      if (kind !== "choice") {
        section.append(
          element("p", { class: "flow-step-problem flow-live-only", role: "alert" }),
          element("p", { class: "flow-live-only flow-submit" },
            element("button", { type: "button", class: "md-button md-button--primary", "data-action": "next" }, "Fortsätt")),
        );
      }
    }
    const back = element("button", { type: "button", class: "md-button", "data-action": "back" }, "Tillbaka");
    const restartButton = element("button", { type: "button", class: "md-button", "data-action": "restart" }, "Börja om");
    const print = element("button", { type: "button", class: "md-button", "data-action": "print" }, "Skriv ut sammanfattningen");
    const controls = element("div", { class: "flow-controls flow-live-only" }, back, restartButton, print);
    const answerList = element("ol", {});
    const answers = element("section", { class: "flow-answers flow-live-only", "aria-labelledby": "flow-answers-heading" },
      element("h2", { id: "flow-answers-heading" }, "Dina svar"), answerList);
    const announce = element("div", { class: "flow-sr-only flow-live-only", "aria-live": "polite" });
    const anchor = root.querySelector(".flow-diagram") || null;
    root.insertBefore(controls, anchor);
    root.insertBefore(answers, anchor);
    root.insertBefore(announce, anchor);
    return { back, print, answers, answerList, announce };
  }

  function sections() {
    return root.querySelectorAll(".flow-step, .flow-outcome");
  }

  function sectionFor(nodeId) {
    return root.querySelector(`.flow-step[data-node="${nodeId}"], .flow-outcome[data-outcome="${nodeId}"]`);
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
