// The parts flow.js draws with (flow-dom.js, flow-errors.js, flow-form.js, flow-controls.js): each
// loads under Node as well as in the page, and gives every name flow.js takes from it, so a name
// left behind by a move between files fails here and not only in a reader's browser.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";

const require = createRequire(import.meta.url);
const DIR = new URL("../../theme/assets/javascripts/", import.meta.url);
const PARTS = { Dom: "flow-dom.js", Errors: "flow-errors.js", Form: "flow-form.js", Controls: "flow-controls.js" };
const flow = readFileSync(new URL("flow.js", DIR), "utf8");

test("flow.js takes each part from the global its file sets, and only names the part gives", () => {
  for (const [name, file] of Object.entries(PARTS)) {
    const source = readFileSync(new URL(file, DIR), "utf8");
    const global = source.match(/else self\.(\w+) = \w+;/)[1];
    assert.match(flow, new RegExp(`const ${name} = self\\.${global};`), `${file} is self.${global}`);
    const part = require(new URL(file, DIR).pathname);
    const taken = flow.match(new RegExp(`const \\{([^}]*)\\} = ${name};`));
    assert.ok(taken, `flow.js takes nothing from ${name}`);
    for (const wanted of taken[1].split(",").map((s) => s.trim()).filter(Boolean)) {
      assert.ok(wanted in part, `${file} gives no ${wanted}`);
    }
  }
});
