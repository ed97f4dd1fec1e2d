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

// The one place the flow's scripts read the clock: a download, a copy or a printout says when it
// was made. Everything else takes the moment as an argument (the Node tests pass their own).
const now = () => new Date();

// A moment as the reader's own clock shows it: {date: "2026-11-28", time: "09:05"}.
function stamp(moment) {
  const two = (n) => String(n).padStart(2, "0");
  return {
    date: `${moment.getFullYear()}-${two(moment.getMonth() + 1)}-${two(moment.getDate())}`,
    time: `${two(moment.getHours())}:${two(moment.getMinutes())}`,
  };
}

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

// `quiet`: the page itself moved the focus there as it loaded (a link into the flow). A screen
// reader starts at the heading, but no ring is drawn where no key of the reader's put it
// (flow.css .is-quiet-focus; the browser would draw one); the mark goes with the focus.
function focusHeading(section, { quiet = false } = {}) {
  const heading = section.querySelector("h2");
  heading.setAttribute("tabindex", "-1");
  if (quiet) {
    heading.classList.add("is-quiet-focus");
    heading.addEventListener("blur", () => heading.classList.remove("is-quiet-focus"), { once: true });
  }
  heading.focus({ preventScroll: true });
  section.scrollIntoView({ block: "start" }); // the section's scroll margin clears the sticky header
}

const Dom = { t, SENTENCES, now, stamp, element, sections, sectionFor, focusHeading };
if (typeof module === "object" && module.exports) module.exports = Dom;
else self.TryggtFlowDom = Dom;
})();
