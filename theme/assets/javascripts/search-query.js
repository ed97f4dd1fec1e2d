/* The query the search worker gets, widened for the site's language: Material appends "*" to
 * every query term, and lunr skips its stemmer for terms with a wildcard, so a language's patch
 * (search-LANGUAGE.js) adds the stem of each term to the query. This sends the widened query in
 * place of the reader's (the reader's text in the box is left as typed).
 * Loaded (deferred) after the iframe-worker shim, before the language's patch and Material's bundle. */
(function () {
  "use strict";
  var QUERY = 2; // Material's SearchMessageType.QUERY

  function widenQueries(expand, WorkerClass) {
    if (!WorkerClass || WorkerClass.prototype.__tryggtSearch) return;
    var post = WorkerClass.prototype.postMessage;
    WorkerClass.prototype.postMessage = function (message) {
      if (message && message.type === QUERY && typeof message.data === "string") {
        arguments[0] = { type: QUERY, data: expand(message.data) };
      }
      return post.apply(this, arguments);
    };
    WorkerClass.prototype.__tryggtSearch = true;
  }

  if (typeof module === "object" && module.exports) module.exports = { widenQueries: widenQueries };
  if (typeof window === "object") window.TryggtWidenQueries = widenQueries;
})();
