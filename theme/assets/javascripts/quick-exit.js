// Quick exit: the button marked data-quick-exit, or Shift pressed three times, leaves the page
// at once for the neutral address in the button's href. location.replace() puts that address in
// place of this page's history entry, so Back does not return here; the page's memory (the
// flow's answers) is dropped first. Browser history of earlier pages is still there: see
// "Säker användning".
(function () {
  "use strict";
  var SHIFT_PRESSES = 3;
  var WITHIN_MS = 1500;

  function leave() {
    var button = document.querySelector("[data-quick-exit]");
    var target = (button && button.getAttribute("href")) || "about:blank";
    document.dispatchEvent(new CustomEvent("tryggt:quick-exit"));
    document.documentElement.hidden = true;
    window.location.replace(target);
  }

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
