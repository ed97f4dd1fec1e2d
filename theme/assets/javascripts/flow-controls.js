// The live page's own controls around the steps: Tillbaka, Skriv ut and Börja om with its
// question, Fortsätt on every step that is not a choice, the account's tools, "Dina svar", the
// engine's status sentence, and the diagram's fold.
//
// A classic script: in the page self.TryggtFlowControls, under Node module.exports.
(function () {
"use strict";

const Model = typeof module === "object" && module.exports ? require("./flow-model.js") : self.TryggtFlowModel;
const Engine = typeof module === "object" && module.exports ? require("./flow-engine.js") : self.TryggtFlowEngine;
const Dom = typeof module === "object" && module.exports ? require("./flow-dom.js") : self.TryggtFlowDom;
const { t, now, stamp, element } = Dom;
const PHONE_QUERY = "(max-width: 44.9375em)"; // Material's breakpoint for the drawer

// ---- the live page's own controls ---------------------------------------------------------------

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
  datePrints(root);
  return { back, print, restart, confirm, confirmQuestion, controls, answers, answerList, announce };
}

// On paper the flow says the day it was printed (the summary, the account alone, or the
// browser's own print): written as printing begins, shown only in print.
function datePrints(root) {
  const line = element("p", { class: "flow-printed flow-live-only" });
  root.prepend(line);
  window.addEventListener("beforeprint", () => { line.textContent = t("flow_printed", { date: stamp(now()).date }); });
}

// ---- the status sentence ------------------------------------------------------------------------

// The sentence is a live region; the download's figures under it are not (read when the reader
// gets there, not announced four times a second). The page carries the line from its first paint
// (tryggt/flow/page.html), with its room kept ("is-reserved") where a step may wait for the engine.
function addStatus(root) {
  let box = root.querySelector(".flow-engine-status");
  if (!box) {
    box = element("p", { class: "flow-engine-status" }, element("span", { role: "status" }),
      element("span", { class: "flow-engine-progress" }));
    const acuteBox = root.querySelector(".flow-acute");
    if (acuteBox) acuteBox.after(box);
    else root.prepend(box);
  }
  return { box, sentence: box.querySelector("[role=status]"), progress: box.querySelector(".flow-engine-progress") };
}

function setStatus({ status }, text, busy) {
  status.sentence.textContent = text;
  status.progress.textContent = "";
  status.box.classList.toggle("is-busy", busy);
  status.box.classList.toggle("is-shown", !!text);
}

// Once the engine is there, the line's room goes with the reader's next move (the page changes
// then anyway, and a shift right after a tap is the tap's own).
function releaseStatusRoom({ status }) {
  status.box.classList.remove("is-reserved");
}

function showProgress({ root, status, state, quiet }, load) {
  if (state.engine !== "loading") return;
  const words = Engine.progressWords(load, t, document.documentElement.lang || "sv");
  if (!quiet) status.progress.textContent = words;
  const beside = root.querySelector(".flow-note-progress"); // a step that waits: the figures there too
  if (beside) beside.textContent = words;
}

// ---- "Dina svar" --------------------------------------------------------------------------------

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
  const answer = "form" in row ? element("span", { class: "flow-answer-text" }, formAnswerText(row))
    : row.answer.length > 1 ? element("ul", { class: "flow-answer-text" }, ...row.answer.map((a) => element("li", {}, a)))
      : element("span", { class: "flow-answer-text" }, row.answer.length ? row.answer[0] : t("flow_nothing_chosen"));
  return element("li", { class: "flow-answer-row" }, element("span", { class: "flow-answer-question" }, row.question), answer, change);
}

// A form step's row says which fields were filled, never what was written. The labels alone read
// as the questions asked again ("Vad hände? — Vad hände?, Vad sades …"): a step of one field says
// "Ifyllt", a longer one names its filled fields after "Ifyllt:". `say` is t (tests pass theirs).
function formAnswerText(row, say = t) {
  if (row.answer.length === 0) return say("flow_nothing_filled");
  if (row.form === 1) return say("flow_form_filled");
  const fields = row.answer.map((label) => say("flow_form_field", { label })).join(", ");
  return say("flow_form_filled_fields", { fields });
}

// ---- the diagram --------------------------------------------------------------------------------

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

const Controls = {
  buildLiveUI, addStatus, setStatus, releaseStatusRoom, showProgress, renderAnswers, formAnswerText, foldDiagram,
};
if (typeof module === "object" && module.exports) module.exports = Controls;
else self.TryggtFlowControls = Controls;
})();
