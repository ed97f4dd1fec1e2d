// The reader's own words on the live page: the form steps' fields (read, shown, cleared), the
// account they make (its blanks, print, copy, download) and what guards the typed text (the
// question before closing the page, the quick exit's drop).
//
// Privacy: what the reader types is in the state machine's memory and in the fields of the step
// shown, nowhere else; the account is printed, copied or downloaded from memory (a Blob).
//
// A classic script: in the page self.TryggtFlowForm, under Node module.exports.
(function () {
"use strict";

const Model = typeof module === "object" && module.exports ? require("./flow-model.js") : self.TryggtFlowModel;
const Dom = typeof module === "object" && module.exports ? require("./flow-dom.js") : self.TryggtFlowDom;
const { t, now, stamp, element, sectionFor } = Dom;

// ---- the fields ---------------------------------------------------------------------------------

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
        if (chosen) typed[field.id] = chosen.value === "yes";
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
    for (const input of box.querySelectorAll("input[type=radio]")) input.checked = shown === (input.value === "yes");
    for (const input of box.querySelectorAll("input:not([type=radio]), textarea")) input.value = typeof shown === "string" ? shown : "";
  }
}

// Every tick, rating and typed text in the part of the page given.
function clearFields(part) {
  for (const input of part.querySelectorAll("input")) input.checked = false;
  for (const input of part.querySelectorAll(".flow-field input:not([type=radio]), .flow-field textarea")) input.value = "";
}

// ---- the account --------------------------------------------------------------------------------

const accountWords = (say = t) => ({
  yes: say("form_yes"), no: say("form_no"), blank: say("account_not_filled"), and: say("account_list_and"),
});

// The account as it stands: the engine's, at the outcome it placed the reader at; before that
// (a download from a form step) or without it, filled in here from the parts the page carries.
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
  const text = accountFile(currentAccount(page), { asPage: false, moment: now() }).body;
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

// The account as a file written at `moment`: the day in its name (one of several files from
// different days is found by it), the day and time in its text. `say` is t (tests pass theirs).
function accountFile(account, { asPage, moment, lang = "sv" }, say = t) {
  const { date, time } = stamp(moment);
  const words = { ...accountWords(say), written: say("account_written", { date, time }) };
  return {
    name: `${say("account_file_name")}-${date}.${asPage ? "html" : "txt"}`,
    body: asPage ? Model.accountHTML(account, words, lang) : Model.accountText(account, words),
    type: asPage ? "text/html;charset=utf-8" : "text/plain;charset=utf-8",
  };
}

// A file made here, from memory: a Blob behind an address that lives for the one click.
function download(page, asPage) {
  const lang = document.documentElement.lang || "sv";
  const file = accountFile(currentAccount(page), { asPage, moment: now(), lang });
  const url = URL.createObjectURL(new Blob([file.body], { type: file.type }));
  const link = element("a", { href: url, download: file.name, hidden: "" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
  page.unsaved = false;
}

// ---- the typed text's guards --------------------------------------------------------------------

// Links that hand over to the phone, messages or mail: the page stays, so "leave site?" would be
// false, and it would stand between the reader and the call.
const APP_SCHEMES = ["tel:", "sms:", "mailto:", "callto:"];
const APP_LINK_MS = 1000; // how long after such a tap a beforeunload is taken to be its own

function opensAnApp(href) {
  const scheme = String(href || "").trim().toLowerCase();
  return APP_SCHEMES.some((prefix) => scheme.startsWith(prefix));
}

function wouldAsk(page, now) {
  if (page.exited || !page.unsaved) return false;
  if (page.appLinkAt !== undefined && now - page.appLinkAt < APP_LINK_MS) return false;
  return Model.hasText(page.tree, page.state, unsent(page));
}

function guardText(page) {
  // The quick exit drops the answers and the typed text before the page is left; a capture
  // listener on the button too, so that nothing of it is in the page whatever runs after.
  const quickExit = () => {
    page.state = Model.forget(page.state).state;
    clearFields(page.root);
    fillAccounts(page, null);
    page.unsaved = false;
    page.exited = true;
    if (page.engine) page.engine.stop();
    page.live = false;
  };
  document.addEventListener("tryggt:quick-exit", quickExit);
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href]");
    if (link && opensAnApp(link.getAttribute("href"))) page.appLinkAt = performance.now();
    if (event.button === 0 && event.target.closest && event.target.closest("[data-quick-exit]")) quickExit();
  }, true);
  page.root.addEventListener("input", (event) => {
    if (event.target.matches(".flow-field input:not([type=radio]), .flow-field textarea")) page.unsaved = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (!wouldAsk(page, performance.now())) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers ask only when a value is set
  });
}

const Form = {
  opensAnApp, wouldAsk, unsent, readStep, markInputs, clearFields, currentAccount, fillAccounts, printAccount, copyAccount,
  accountFile, download, guardText,
};
if (typeof module === "object" && module.exports) module.exports = Form;
else self.TryggtFlowForm = Form;
})();
