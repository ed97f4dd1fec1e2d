// English search (theme/assets/javascripts/search-en.js): each query term also sent without its
// inflection, so Material's trailing "*" reaches the stem the index holds ("threats" -> "threat*").
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";

const require = createRequire(import.meta.url);
const { base, expand } = require("../../theme/assets/javascripts/search-en.js");

test("a word loses its inflection as Porter's stemmer would take it off", () => {
  assert.equal(base("threats"), "threat");
  assert.equal(base("reports"), "report");
  assert.equal(base("reporting"), "report");
  assert.equal(base("threatened"), "threaten");
  assert.equal(base("witnesses"), "witness");
  assert.equal(base("studies"), "studi");
});

test("short words and words whose s is their own stay", () => {
  for (const word of ["bus", "address", "status", "crisis", "is", "was", "call"]) assert.equal(base(word), word);
});

test("the query keeps what the reader typed and adds the stems", () => {
  assert.equal(expand("threats online"), "threats online threat");
  assert.equal(expand("call"), "call");
  assert.equal(expand("+reports -x*"), "+reports -x*"); // modifiers are the reader's
});
