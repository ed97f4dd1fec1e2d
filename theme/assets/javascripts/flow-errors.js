// A step's errors, the GOV.UK way: a summary at the top of the step linking to each problem, and a
// message where it is (a rating's row, a form's field); the links move the focus there.
//
// A classic script: in the page self.TryggtFlowErrors, under Node module.exports.
(function () {
"use strict";

const Dom = typeof module === "object" && module.exports ? require("./flow-dom.js") : self.TryggtFlowDom;
const { t, element, sectionFor } = Dom;

// A rating's rows without a level: the summary at the top, and a message in each row's heading.
function showErrors(page, section, node, missing) {
  const links = missing.map((item) => {
    const first = section.querySelector(`tr[data-item="${item.id}"] input[type=radio]`);
    return element("a", {
      href: `#${first.id}`, class: "flow-error-link", "data-node": node.id, "data-item": item.id,
    }, t("flow_choose_level_for", { label: item.label }));
  });
  summarise(page, section, node, links, () => {
    for (const item of missing) {
      const row = section.querySelector(`tr[data-item="${item.id}"]`);
      const messageId = `fel-${node.id}--${item.id}`;
      row.classList.add("flow-item-error");
      row.querySelector("th").append(element("span", { class: "flow-item-message flow-live-only", id: messageId },
        element("span", { class: "flow-sr-only" }, t("flow_error_prefix")), t("flow_choose_level_here")));
      for (const radio of row.querySelectorAll("input[type=radio]")) radio.setAttribute("aria-describedby", messageId);
    }
  });
}

// A form's required fields not filled: the summary at the top, and a message under each label.
function showFieldErrors(page, section, node, missing) {
  const links = missing.map((field) => {
    const input = fieldInputs(section, field.id)[0];
    return element("a", {
      href: `#${input.id}`, class: "flow-error-link", "data-node": node.id, "data-field": field.id,
    }, t("flow_fill_in_for", { label: field.label }));
  });
  summarise(page, section, node, links, () => {
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
  });
}

// The summary above the step's heading, then each problem marked where it is (markEach), then the
// page's title says there is a problem and the focus goes to the summary.
function summarise(page, section, node, links, markEach) {
  clearErrors(page, section);
  // The step heading's id (its prefix in the site's language) names the summary's heading too.
  const headingId = `${section.querySelector("h2").id || node.id}-summary`;
  const box = element("div", {
    class: "flow-error-summary flow-live-only", role: "alert", tabindex: "-1", "aria-labelledby": headingId,
  }, element("h3", { id: headingId, class: "flow-error-title" }, t("flow_problem")),
  element("ul", {}, ...links.map((link) => element("li", {}, link))));
  section.querySelector("h2").before(box);
  markEach();
  document.title = t("flow_error_prefix") + page.pageTitle;
  box.focus({ preventScroll: true });
  box.scrollIntoView({ block: "start" }); // its scroll margin clears the sticky header
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

const Errors = { showErrors, showFieldErrors, clearErrors, focusField, focusRatingItem };
if (typeof module === "object" && module.exports) module.exports = Errors;
else self.TryggtFlowErrors = Errors;
})();
