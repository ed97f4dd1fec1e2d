// Form steps and the account in the flow's state machine (theme/assets/javascripts/flow-model.js):
// what a form sends, what is kept on Back, what "Dina svar" names, and the account files.
// tests/js/test_account_parity.py holds `assemble` to the engine's.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";

const require = createRequire(import.meta.url);
const Model = require("../../theme/assets/javascripts/flow-model.js");

const tree = {
  format: 1, id: "f", start: "a",
  nodes: {
    a: { id: "a", kind: "form", title: "När?", fields: [
      { id: "tid", label: "När hände det?", type: "datetime", required: false, hint: "" },
      { id: "vad", label: "Vad hände?", type: "text", required: true, hint: "" },
      { id: "kand", label: "Känd?", type: "yesno", required: false, hint: "" }], next: [{ if: null, goto: "b" }] },
    b: { id: "b", kind: "form", title: "Mer", fields: [{ id: "mer", label: "Mer", type: "line", required: false, hint: "" }],
      next: [{ if: null, goto: "o" }] },
    o: { id: "o", kind: "outcome", title: "Klart", actions: [] },
  },
  routes: { a: { next: "b" }, b: { next: "o" } },
  // The template's parts as the page carries them, compiled by the engine (forms.compile_template)
  // from "När: [[answer:a.tid]]\nKänd: [[answer:a.kand]]", "[[answer:a.vad]]" and "[[answer:b.mer]] (slut)".
  accounts: { o: { title: "Redogörelse", sections: [
    { heading: "När", parts: [{ text: "När: " }, { field: "a.tid", label: "När hände det?", type: "datetime" },
      { text: "\nKänd: " }, { field: "a.kand", label: "Känd?", type: "yesno" }] },
    { heading: "Vad", parts: [{ field: "a.vad", label: "Vad hände?", type: "text" }] },
    { heading: "Mer", parts: [{ field: "b.mer", label: "Mer", type: "line" }, { text: " (slut)" }] }] } },
};
const words = { yes: "Ja", no: "Nej", blank: "(inte ifyllt)" };
// The page's t over a language file of generator/languages/.
const saying = (lang) => {
  const strings = JSON.parse(readFileSync(new URL(`../../generator/languages/${lang}.json`, import.meta.url), "utf-8"));
  return (key, values = {}) => strings[key].replace(/\{(\w+)\}/g, (whole, name) => values[name] ?? whole);
};

test("a form sends its filled fields in the form's order, as typed; blanks are not filled", () => {
  const node = tree.nodes.a;
  const { value, missing } = Model.formAnswer(node, { kand: false, vad: "  text \n", tid: "   " });
  assert.deepEqual(value, { vad: "  text \n", kand: false });
  assert.deepEqual(Object.keys(value), ["vad", "kand"]);
  assert.deepEqual(missing, []);
  assert.deepEqual(Model.formAnswer(node, { tid: "2026-11-28T14:30", vad: " " }).missing.map((f) => f.id), ["vad"]);
  assert.deepEqual(Model.formAnswer(node, undefined).missing.map((f) => f.id), ["vad"]);
});

test("what is typed and not sent is kept on Back and shown again; sent text goes to the answers", () => {
  let { state } = Model.init(tree);
  state = Model.answer(tree, state, "a", { vad: "Det hände" }).state;
  assert.equal(state.current, "b");
  const back = Model.back(tree, state, { mer: "halvskrivet" });
  assert.equal(back.state.current, "a");
  assert.deepEqual(Model.shownAnswer(back.state, "b"), { mer: "halvskrivet" });
  assert.deepEqual(Model.shownAnswer(back.state, "a"), { vad: "Det hände" });
  assert.ok(Model.hasText(tree, back.state));
  assert.ok(!Model.hasText(tree, Model.init(tree).state, { tid: "", vad: " " }), "blanks are no text");
  assert.ok(Model.hasText(tree, Model.init(tree).state, { vad: "x" }));
  assert.ok(!Model.hasText(tree, Model.forget(back.state).state), "the quick exit leaves no text");
});

test("Dina svar names the filled fields of a form, never what was written", () => {
  let { state } = Model.init(tree);
  state = Model.answer(tree, state, "a", { vad: "hemligt", kand: true }).state;
  state = Model.answer(tree, state, "b", {}).state;
  const rows = Model.summary(tree, state);
  assert.deepEqual(rows.map((r) => [r.answer, r.form]), [[["Vad hände?", "Känd?"], 3], [[], 1]]);
  assert.ok(!JSON.stringify(rows).includes("hemligt"));
});

test("Dina svar words a form's row as what was filled, not as the questions asked again", () => {
  const Controls = require("../../theme/assets/javascripts/flow-controls.js");
  for (const lang of ["sv", "en"]) {
    const say = saying(lang);
    const row = (answer, form) => Controls.formAnswerText({ answer, form }, say);
    // "Vad hände?" with both its fields filled: each named as a field, after the word for filled.
    const two = row(["Vad hände?", "Vad sades eller skrevs?"], 2);
    assert.equal(two, say("flow_form_filled_fields", {
      fields: `${say("flow_form_field", { label: "Vad hände?" })}, ${say("flow_form_field", { label: "Vad sades eller skrevs?" })}` }));
    assert.notEqual(two, "Vad hände?, Vad sades eller skrevs?");
    assert.equal(row(["Vad sades eller skrevs?"], 2), say("flow_form_filled_fields", { fields: say("flow_form_field", { label: "Vad sades eller skrevs?" }) }));
    // One field: its label is the step's question; "filled" says it.
    assert.equal(row(["Vad hände innan?"], 1), say("flow_form_filled"));
    assert.equal(row([], 2), say("flow_nothing_filled"));
  }
  assert.equal(Controls.formAnswerText({ answer: ["Vad hände?", "Känd?"], form: 3 }, (key, v = {}) => `${key}(${Object.values(v).join("|")})`),
    "flow_form_filled_fields(flow_form_field(Vad hände?), flow_form_field(Känd?))");
});

test("a rule link counts a form as answered only when its required fields are filled", () => {
  const { state } = Model.init(tree);
  const kept = Model.pick(tree, state, "b", { vad: " " }).state;
  assert.ok(!("a" in kept.answers));
  assert.deepEqual(kept.drafts.a, { vad: " " });
  const sent = Model.pick(tree, state, "b", { vad: "x", tid: "" }).state;
  assert.deepEqual(sent.answers.a, { vad: "x" });
});

test("the account so far: sent answers, with the current step's unsent text over them", () => {
  let { state } = Model.init(tree);
  state = Model.answer(tree, state, "a", { vad: "först", kand: false }).state;
  const soFar = Model.formAnswersSoFar(tree, state, { mer: "nu" });
  assert.deepEqual(soFar, { a: { vad: "först", kand: false }, b: { mer: "nu" } });
  const account = Model.assemble(tree, Model.accountOutcome(tree), soFar);
  assert.equal(account.title, "Redogörelse");
  assert.deepEqual(account.sections[2].parts, [
    { field: "b.mer", label: "Mer", type: "line", value: "nu" }, { text: " (slut)" }]);
  assert.equal(Model.assemble(tree, "b", soFar), null, "a step without a template has no account");
});

test("the text file: headings, answers in the site's words, datetime readable", () => {
  const account = Model.assemble(tree, "o", { a: { tid: "2026-11-28T14:30", vad: "rad 1\nrad 2", kand: true } });
  const text = Model.accountText(account, words);
  assert.equal(text, [
    "Redogörelse", "===========", "",
    "När", "---", "När: 2026-11-28 14:30\nKänd: Ja", "",
    "Vad", "---", "rad 1\nrad 2", "",
    "Mer", "---", "(inte ifyllt) (slut)", ""].join("\n"));
  const no = Model.assemble(tree, "o", { a: { vad: "x", kand: false } });
  assert.match(Model.accountText(no, words), /Känd: Nej/);
});

test("a download carries the day in its name and the day and time it was written in its text", () => {
  const Form = require("../../theme/assets/javascripts/flow-form.js");
  const account = Model.assemble(tree, "o", { a: { vad: "x" } });
  for (const lang of ["sv", "en"]) {
    const say = saying(lang);
    const late = new Date(2026, 11, 31, 23, 59); // the reader's own clock: their day, not UTC's
    const text = Form.accountFile(account, { asPage: false, moment: late, lang }, say);
    assert.equal(text.name, `${say("account_file_name")}-2026-12-31.txt`);
    assert.deepEqual(text.body.split("\n").slice(0, 4),
      ["Redogörelse", "===========", say("account_written", { date: "2026-12-31", time: "23:59" }), ""]);
    assert.equal(text.type, "text/plain;charset=utf-8");
    const page = Form.accountFile(account, { asPage: true, moment: new Date(2027, 0, 2, 7, 5), lang }, say);
    assert.equal(page.name, `${say("account_file_name")}-2027-01-02.html`);
    assert.ok(page.body.includes(`</h1>\n<p>${say("account_written", { date: "2027-01-02", time: "07:05" })}</p>\n<h2>`));
  }
  assert.match(Model.accountText(account, { ...words, written: "<b>" }), /^Redogörelse\n=+\n<b>\n\n/);
  assert.ok(Model.accountHTML(account, { ...words, written: "<b>" }, "sv").includes("<p>&lt;b&gt;</p>"));
});

test("the flow's scripts read the clock in one place (flow-dom.js now), and take the moment from it", () => {
  const dir = new URL("../../theme/assets/javascripts/", import.meta.url);
  const reads = readdirSync(dir).filter((f) => f.endsWith(".js") || f.endsWith(".mjs"))
    .flatMap((f) => (readFileSync(new URL(f, dir), "utf-8").match(/new Date\(\s*\)|Date\.now\(/g) || []).map(() => f));
  assert.deepEqual(reads, ["flow-dom.js"]);
  const Dom = require("../../theme/assets/javascripts/flow-dom.js");
  assert.deepEqual(Dom.stamp(new Date(2026, 0, 5, 8, 3)), { date: "2026-01-05", time: "08:03" });
});

test("the printable page escapes every text and carries no script", () => {
  const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> & "\u202Egnalk"';
  const account = Model.assemble(tree, "o", { a: { vad: hostile } });
  const html = Model.accountHTML({ ...account, title: "<b>T</b>" }, words, "sv");
  assert.ok(!html.includes("<script>") && !html.includes("<img") && !html.includes("<b>"));
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp; &quot;\u202Egnalk&quot;"));
  assert.match(html, /<bdi>&lt;script&gt;/, "each answer isolated from the text around it");
  assert.match(html, /<title>&lt;b&gt;T&lt;\/b&gt;<\/title>/);
  assert.match(html, /default-src 'none'/);
});

test("a tap on a call, message or mail link never raises the leave-page question; a real leave does", () => {
  const Form = require("../../theme/assets/javascripts/flow-form.js");
  for (const href of ["tel:112", " TEL:+46701740631", "sms:+46701740600", "mailto:a@example.org", "callto:112"]) {
    assert.equal(Form.opensAnApp(href), true, href);
  }
  for (const href of ["https://example.org", "../index.html", "#steg-a", "", null, "javascript:tel:"]) {
    assert.equal(Form.opensAnApp(href), false, String(href));
  }
  let { state } = Model.init(tree);
  state = Model.answer(tree, state, "a", { vad: "Det hände" }).state;
  const page = { tree, state, unsaved: true, exited: false, root: null };
  page.state = { ...page.state, current: "o" }; // an outcome: nothing unsent on the page
  assert.equal(Form.wouldAsk(page, 5000), true);
  page.appLinkAt = 4500; // tapped "Ring 112" half a second ago: the unload is the call's
  assert.equal(Form.wouldAsk(page, 5000), false);
  assert.equal(Form.wouldAsk(page, 6000), true); // a second later, leaving asks again
  page.exited = true;
  assert.equal(Form.wouldAsk(page, 9000), false);
});

// A choice's and a checklist's answers in an account: [[answer:STEP]].
const chosenTree = {
  format: 1, id: "v", start: "var",
  nodes: {
    var: { id: "var", kind: "choice", title: "Var?", options: [{ id: "mote", label: "På ett möte", next: "gjort" }] },
    gjort: { id: "gjort", kind: "checklist", title: "Gjort?", options: [
      { id: "polis", label: "Polisanmält" }, { id: "tib", label: "Ringt TiB" }, { id: "parti", label: "Berättat för partiet" }],
      next: [{ if: null, goto: "a" }] },
    a: tree.nodes.a,
    o: { id: "o", kind: "outcome", title: "Klart", actions: [] },
  },
  // From "Det hände [[answer:var]]." and "Jag har [[answer:gjort]]. [[answer:a.vad]]".
  accounts: { o: { title: "Redogörelse", sections: [
    { heading: "Var", parts: [{ text: "Det hände " }, { field: "var", label: "Var?", type: "choice" }, { text: "." }] },
    { heading: "Gjort", parts: [{ text: "Jag har " }, { field: "gjort", label: "Gjort?", type: "checklist" }, { text: ". " },
      { field: "a.vad", label: "Vad hände?", type: "text" }] }] } },
};

test("a choice's answer is its label and a checklist's its ticked labels, as a list in the site's language", () => {
  const state = { current: "a", trail: ["var", "gjort", "a"], answers: { var: "mote", gjort: ["parti", "polis"] }, drafts: {} };
  const soFar = Model.formAnswersSoFar(chosenTree, state, { vad: "x" });
  assert.deepEqual(soFar, { var: "mote", gjort: ["parti", "polis"], a: { vad: "x" } });
  const account = Model.assemble(chosenTree, "o", soFar);
  assert.deepEqual(account.sections[0].parts, [
    { text: "Det hände " }, { field: "var", label: "Var?", type: "choice", value: "På ett möte" }, { text: "." }]);
  assert.deepEqual(account.sections[1].parts[1],
    { field: "gjort", label: "Gjort?", type: "checklist", value: ["Polisanmält", "Berättat för partiet"] });
  const Form = require("../../theme/assets/javascripts/flow-form.js");
  const all = Model.assemble(chosenTree, "o", { var: "mote", gjort: ["polis", "tib", "parti"] });
  const body = (lang, account) => Form.accountFile(account, { asPage: false, moment: new Date(2026, 0, 1), lang }, saying(lang)).body;
  assert.match(body("sv", all), /Jag har Polisanmält, Ringt TiB och Berättat för partiet\./);
  assert.match(body("en", all), /Jag har Polisanmält, Ringt TiB and Berättat för partiet\./);
  assert.match(body("sv", account), /Jag har Polisanmält och Berättat för partiet\./);
  assert.match(body("sv", Model.assemble(chosenTree, "o", { gjort: ["tib"] })), /Det hände \(inte ifyllt\)\.[^]*Jag har Ringt TiB\./);
  assert.match(body("sv", Model.assemble(chosenTree, "o", { gjort: [] })), /Jag har \(inte ifyllt\)\./);
  assert.match(Form.accountFile(all, { asPage: true, moment: new Date(2026, 0, 1), lang: "sv" }, saying("sv")).body,
    /<bdi>Polisanmält, Ringt TiB och Berättat för partiet<\/bdi>/);
});
