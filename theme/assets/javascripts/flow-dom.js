// What the flow's scripts share about the page: the reader's words and the elements every part
// of the live flow looks up (flow.js, flow-controls.js, flow-form.js, flow-errors.js).
//
// A classic script (no bundler, and the page's CSP allows no inline script): in the page it is
// self.TryggtFlowDom, under Node module.exports. Loaded before the other flow scripts.
(function () {
"use strict";

// The reader's words come from the site's language file (generator/languages/), which the theme
// puts on flow pages as a JSON block: nothing a reader reads is written here.
const TEXT = typeof document === "object" ? JSON.parse((document.getElementById("tryggt-ui") || {}).textContent || "{}") : {};
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

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function sections(root) {
  return root.querySelectorAll(".flow-step, .flow-outcome");
}

function sectionFor(root, nodeId) {
  return root.querySelector(`.flow-step[data-node="${nodeId}"], .flow-outcome[data-outcome="${nodeId}"]`);
}

function focusHeading(section) {
  const heading = section.querySelector("h2");
  heading.setAttribute("tabindex", "-1");
  heading.focus({ preventScroll: true });
  section.scrollIntoView({ block: "start" }); // the section's scroll margin clears the sticky header
}

const Dom = { t, SENTENCES, element, sections, sectionFor, focusHeading };
if (typeof module === "object" && module.exports) module.exports = Dom;
else self.TryggtFlowDom = Dom;
})();
