/* Swedish search: Material appends "*" to every query term, and lunr skips its stemmer for
 * terms with a wildcard, so "hoten" would only find words that begin with "hoten" while the
 * index holds the stem "hot". This adds the Snowball Swedish stem of each term to the query
 * sent to the search worker (the reader's text in the box is left as typed).
 * Loaded (deferred) after search-query.js and before Material's bundle. */
(function () {
  "use strict";
  var VOWELS = "aeiouyäåö";
  var STEP1 = ("heterna hetens anden heten heter arnas ernas ornas andes arens andet arna erna " +
    "orna ande arne aste aren ades erns ade are ern ens het ast ad en ar er or as es at a e").split(" ");
  var S_ENDING = "bcdfghjklmnoprtvy";
  STEP1.sort(function (a, b) { return b.length - a.length; }); // Snowball takes the longest match

  function regionOne(word) {
    for (var i = 1; i < word.length; i++) {
      if (VOWELS.indexOf(word[i]) < 0 && VOWELS.indexOf(word[i - 1]) >= 0) {
        return Math.max(i + 1, 3);
      }
    }
    return word.length;
  }

  function stem(word) {
    var r1 = regionOne(word);
    var i, suffix;
    for (i = 0; i < STEP1.length; i++) {
      suffix = STEP1[i];
      if (word.length - suffix.length >= r1 && word.slice(-suffix.length) === suffix) {
        word = word.slice(0, -suffix.length);
        break;
      }
    }
    if (i === STEP1.length && word.length - 1 >= r1 && word.slice(-1) === "s" &&
        S_ENDING.indexOf(word.charAt(word.length - 2)) >= 0) {
      word = word.slice(0, -1);
    }
    if (word.length - 2 >= r1 && /(dd|gd|nn|dt|gt|kt|tt)$/.test(word)) {
      word = word.slice(0, -1);
    }
    if (word.length - 4 >= r1 && /löst$/.test(word)) return word.slice(0, -1);
    if (word.length - 5 >= r1 && /fullt$/.test(word)) return word.slice(0, -1);
    var m = /(lig|els|ig)$/.exec(word);
    if (m && word.length - m[0].length >= r1) word = word.slice(0, -m[0].length);
    return word;
  }

  function expand(query) {
    var extra = [];
    query.split(/\s+/).forEach(function (term) {
      if (!/^[a-zåäöéü]+$/i.test(term)) return; // leave modifiers (+ - ~ ^ * :) to the reader
      var lower = term.toLowerCase();
      var stemmed = stem(lower);
      if (stemmed !== lower && stemmed.length >= 2) extra.push(stemmed);
    });
    return extra.length ? query + " " + extra.join(" ") : query;
  }

  if (typeof module === "object" && module.exports) module.exports = { stem: stem, expand: expand };
  if (typeof window === "object" && window.TryggtWidenQueries) window.TryggtWidenQueries(expand, window.Worker); // search-query.js
})();
