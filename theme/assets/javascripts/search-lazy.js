// The search index (about 120 KB, and the language files the search worker then loads) is
// fetched when the reader turns to search, not on every page load: most readers of an acute
// page never search, and on a slow phone those bytes compete with the page itself. Material's
// bundle requests the index with XMLHttpRequest at start; its send() is held here until the
// reader points at, taps or focuses search, or presses one of Material's search keys (f, s, /).
// From file:// the index is a script, not a request, and nothing is held.
(function () {
  "use strict";
  if (location.protocol === "file:") return;
  var INDEX = /\/search\/search_index\.json$/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var held = [];
  var EVENTS = ["pointerover", "pointerdown", "focusin", "change", "keydown"];
  var wanted = /[?&]q=/.test(location.search); // a search link opens search at once

  XMLHttpRequest.prototype.open = function (method, url) {
    this.__tryggtIndex = INDEX.test(String(url).split(/[?#]/)[0]);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.__tryggtIndex && !wanted) {
      held.push([this, arguments]);
      return undefined;
    }
    return send.apply(this, arguments);
  };

  function want() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (request) { send.apply(request[0], request[1]); });
    EVENTS.forEach(function (name) { document.removeEventListener(name, onEvent, true); });
  }

  function towardSearch(target) {
    return !!(target && target.closest && target.closest("label[for='__search'], [data-md-component='search']"));
  }

  function onEvent(event) {
    if (event.type === "keydown") {
      var typing = event.target && event.target.closest && event.target.closest("input, textarea, [contenteditable]");
      if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && /^[fs/]$/i.test(event.key)) want();
      return;
    }
    if (event.type === "change" ? event.target && event.target.id === "__search" : towardSearch(event.target)) want();
  }

  EVENTS.forEach(function (name) { document.addEventListener(name, onEvent, true); });
})();
