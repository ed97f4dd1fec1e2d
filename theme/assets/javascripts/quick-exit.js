// Quick exit: the button marked data-quick-exit, or Shift pressed three times, leaves the page
// at once for the everyday address in the button's href (quick_exit_url). location.replace()
// puts that address in place of this page's current history entry, so Back does not return to
// it; the page's memory (the flow's answers) is dropped first. A flow page has one entry per step
// (flow.js): Back then reaches the entry of the step before, which shows the flow from its start.
// Browser history of earlier pages is still there: see "Säker användning".
(function () {
  "use strict";
  var SHIFT_PRESSES = 3;
  var WITHIN_MS = 1500;
  var left = false;

  function leave() {
    var button = document.querySelector("[data-quick-exit]");
    if (!button) return;  // the address is the button's: a page without it has no quick exit
    var target = button.getAttribute("href");
    left = true;
    document.dispatchEvent(new CustomEvent("tryggt:quick-exit"));
    forgetSearchAndMenu();
    document.documentElement.hidden = true;
    window.location.replace(target);
  }

  // The quick exit is tapped from open search or the open menu too (site.css keeps it on top):
  // the typed query goes with the page, and a page the browser brings back shows neither open.
  // A query in the address (Material's ?q=) leaves with the entry replace() drops.
  function forgetSearchAndMenu() {
    var query = document.querySelector("[data-md-component=search-query]");
    if (query) query.value = "";
    ["__search", "__drawer"].forEach(function (id) {
      var toggle = document.getElementById(id);
      if (toggle) toggle.checked = false;
    });
  }

  // Should the browser bring the page back from its back/forward cache (Back to an earlier entry
  // of the same page), it would come back hidden and without its answers: load it afresh.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && left) window.location.reload();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-quick-exit]");
    if (!button || event.button !== 0) return;
    event.preventDefault();
    leave();
  });

  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) {
      if (event.key !== "Shift") presses = [];
      return;
    }
    var now = event.timeStamp;
    presses = presses.filter(function (t) { return now - t < WITHIN_MS; });
    presses.push(now);
    if (presses.length >= SHIFT_PRESSES) leave();
  });
})();
