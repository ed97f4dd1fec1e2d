/* English search: Material appends "*" to every query term, and lunr skips its stemmer for
 * terms with a wildcard, so "threats" would only find words that begin with "threats" while the
 * index holds the stem "threat". This adds each term without its inflection (-s, -es, -ies, -ed,
 * -ing) to the query sent to the search worker (search-query.js sends it); Material's "*" then
 * finds every word on that stem.
 * Loaded (deferred) after search-query.js and before Material's bundle. */
(function () {
  "use strict";
  // Longest first; each with what it leaves, as Porter's stemmer leaves it in the index.
  var ENDINGS = [["ies", "i"], ["ied", "i"], ["ing", ""], ["es", ""], ["ed", ""], ["s", ""]];

  function base(word) {
    for (var i = 0; i < ENDINGS.length; i++) {
      var ending = ENDINGS[i][0];
      if (word.length - ending.length >= 3 && word.slice(-ending.length) === ending) {
        if (ending === "s" && /(ss|us|is)$/.test(word)) return word; // "address", "status", "crisis"
        if (ending === "es" && !/(ss|x|z|ch|sh)es$/.test(word)) continue; // "threatens" -> -s, "crises" stays
        return word.slice(0, -ending.length) + ENDINGS[i][1];
      }
    }
    return word;
  }

  function expand(query) {
    var extra = [];
    query.split(/\s+/).forEach(function (term) {
      if (!/^[a-z]+$/i.test(term)) return; // leave modifiers (+ - ~ ^ * :) to the reader
      var lower = term.toLowerCase();
      var stemmed = base(lower);
      if (stemmed !== lower) extra.push(stemmed);
    });
    return extra.length ? query + " " + extra.join(" ") : query;
  }

  if (typeof module === "object" && module.exports) module.exports = { base: base, expand: expand };
  if (typeof window === "object" && window.TryggtWidenQueries) window.TryggtWidenQueries(expand, window.Worker); // search-query.js
})();
