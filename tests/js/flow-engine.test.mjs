// The page's side of the flow engine (theme/assets/javascripts/flow-engine.js): when to give up
// on its start, the download's progress in the reader's words, and the worker's messages (a fake
// worker and a fake clock).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { mock, test } from "node:test";

const require = createRequire(import.meta.url);
const Engine = require("../../theme/assets/javascripts/flow-engine.js");
const { LIMITS, beginLoad, onProgress, giveUpReason, progressWords, connect } = Engine;

const strings = (lang) => JSON.parse(readFileSync(new URL(`../../generator/languages/${lang}.json`, import.meta.url), "utf-8"));
// The site's words, filled in as flow.js does.
const words = (lang) => {
  const text = strings(lang);
  return (key, values = {}) => text[key].replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
};

const progress = (loaded, total = null, done = false) => ({ type: "progress", loaded, total, done });

test("a download that keeps bringing bytes is never given up, however long it takes", () => {
  let load = beginLoad(0);
  // Two hours at a trickle: a few bytes every 19 seconds.
  for (let now = 19000, bytes = 1; now < 2 * 3600 * 1000; now += 19000, bytes += 3) {
    load = onProgress(load, progress(bytes, 21e6), now);
    assert.equal(giveUpReason(load, now + LIMITS.stallMs, LIMITS), null, `given up at ${now} ms`);
  }
});

test("no bytes for the stall limit, before everything is in: given up", () => {
  const load = onProgress(beginLoad(0), progress(1000, 5e6), 3000);
  assert.equal(giveUpReason(load, 3000 + LIMITS.stallMs, LIMITS), null, "at the limit: still waiting");
  assert.equal(giveUpReason(load, 3001 + LIMITS.stallMs, LIMITS), "stalled");
  // A message that brings no new bytes does not count as progress.
  const same = onProgress(load, progress(1000, 5e6), 15000);
  assert.equal(same.lastBytesAt, 3000);
  assert.equal(giveUpReason(same, 3001 + LIMITS.stallMs, LIMITS), "stalled");
  // Before the worker counts anything (its own scripts come first, uncounted), the longer limit;
  // then nothing at all (a server that never answers): given up too.
  assert.equal(giveUpReason(beginLoad(500), 501 + LIMITS.stallMs, LIMITS), null);
  assert.equal(giveUpReason(beginLoad(500), 500 + LIMITS.startMs, LIMITS), null);
  assert.equal(giveUpReason(beginLoad(500), 501 + LIMITS.startMs, LIMITS), "stalled");
  // The first count, even of nothing yet, starts the stall clock.
  const counting = onProgress(beginLoad(500), progress(0, 5e6), 19000);
  assert.equal(giveUpReason(counting, 19000 + LIMITS.stallMs, LIMITS), null);
  assert.equal(giveUpReason(counting, 19001 + LIMITS.stallMs, LIMITS), "stalled");
});

test("everything in: the start itself gets its own, longer limit, whatever the bytes did before", () => {
  const load = onProgress(onProgress(beginLoad(0), progress(4e6, 5e6), 1000), progress(5e6, 5e6, true), 90000);
  assert.ok(LIMITS.startMs > LIMITS.stallMs);
  assert.equal(load.doneAt, 90000);
  assert.equal(giveUpReason(load, 90000 + LIMITS.startMs, LIMITS), null);
  assert.equal(giveUpReason(load, 90001 + LIMITS.startMs, LIMITS), "slow-start");
  // A later progress message (after done) does not restart the start's clock.
  const later = onProgress(load, progress(5e6, 5e6, false), 95000);
  assert.equal(later.done, true);
  assert.equal(later.doneAt, 90000);
  // The limits are parameters: a test or a caller may pass others.
  assert.equal(giveUpReason(load, 91000, { stallMs: 10, startMs: 500 }), "slow-start");
});

test("the progress in words: the language's decimal sign, megabytes to one decimal", () => {
  const load = onProgress(beginLoad(0), progress(2_130_000, 4_810_000), 1);
  assert.equal(progressWords(load, words("sv"), "sv"), "Hämtat 2,1 av 4,8\u00a0MB");
  assert.equal(progressWords(load, words("en"), "en"), "Downloaded 2.1 of 4.8\u00a0MB");
  const unknown = onProgress(beginLoad(0), progress(12_340_000, null), 1);
  assert.equal(progressWords(unknown, words("sv"), "sv"), "Hämtat 12,3\u00a0MB");
  assert.equal(progressWords(unknown, words("en"), "en"), "Downloaded 12.3\u00a0MB");
  // More than the expected total (an estimate): never "5,2 av 4,8".
  const over = onProgress(beginLoad(0), progress(5_200_000, 4_800_000), 1);
  assert.equal(progressWords(over, words("sv"), "sv"), "Hämtat 5,2 av 5,2\u00a0MB");
  assert.equal(progressWords(beginLoad(0), words("sv"), "sv"), "", "nothing before the first bytes");
  const done = onProgress(load, progress(4_810_000, 4_810_000, true), 2);
  assert.equal(progressWords(done, words("sv"), "sv"), strings("sv").flow_progress_starting);
  assert.equal(progressWords(done, words("en"), "en"), strings("en").flow_progress_starting);
});

// ---- the worker ------------------------------------------------------------------------------

class FakeWorker {
  static made = [];
  constructor(url, options) {
    this.url = String(url);
    this.options = options;
    this.sent = [];
    this.terminated = false;
    FakeWorker.made.push(this);
  }
  postMessage(message) { this.sent.push(message); }
  terminate() { this.terminated = true; }
  say(data) { this.onmessage({ data }); }
}

const URLS = { pyodide: "/p/", engine: "/e.zip", stdlib: "/s.zip", snapshot: "/snap.bin" };

function connected({ booted = null } = {}) {
  FakeWorker.made = [];
  globalThis.Worker = FakeWorker;
  const clock = { now: 0 };
  const seen = { progress: [], ready: [], failed: 0 };
  const client = connect({
    urls: URLS, workerUrl: "/flow-worker.js", booted, now: () => clock.now,
    on: { progress: (load) => seen.progress.push(load), ready: (t) => seen.ready.push(t), failed: () => { seen.failed += 1; } },
  });
  return { client, clock, seen, tick: (ms) => { clock.now += ms; mock.timers.tick(ms); } };
}

test("the worker: started with the runtime's files, progress reported, ready, runs answered", async () => {
  mock.timers.enable({ apis: ["setInterval"] });
  try {
    const { client, seen, tick } = connected();
    const [worker] = FakeWorker.made;
    assert.deepEqual(worker.options, { type: "module" });
    assert.deepEqual(worker.sent, [{ type: "init", ...URLS }]);
    // A slow download: bytes every 15 s for five minutes; never given up.
    for (let i = 1; i <= 20; i++) {
      tick(15000);
      worker.say(progress(i * 250_000, 5e6));
    }
    assert.equal(seen.failed, 0);
    assert.equal(seen.progress.at(-1).loaded, 5e6);
    worker.say(progress(5e6, 5e6, true));
    tick(LIMITS.startMs - 1000);
    worker.say({ type: "ready", timings: { load: 1 } });
    assert.deepEqual(seen.ready, [{ load: 1 }]);
    tick(10 * LIMITS.startMs);
    assert.equal(seen.failed, 0, "no limit once it is ready");
    const answered = client.run('{"tree": 1}', { a: "x" });
    const asked = worker.sent.at(-1);
    assert.deepEqual(asked, { type: "run", id: 0, tree: '{"tree": 1}', answers: '{"a":"x"}' });
    worker.say({ type: "result", id: 0, result: '{"status": "question"}' });
    assert.deepEqual(await answered, { status: "question" });
  } finally {
    mock.timers.reset();
  }
});

test("the worker: a stalled download is given up once, and the worker ended", () => {
  mock.timers.enable({ apis: ["setInterval"] });
  try {
    const { seen, tick } = connected();
    const [worker] = FakeWorker.made;
    worker.say(progress(1_000_000, 5e6));
    tick(LIMITS.stallMs + 2000);
    assert.equal(seen.failed, 1);
    assert.equal(worker.terminated, true);
    worker.say({ type: "ready" });
    tick(LIMITS.stallMs * 2);
    assert.deepEqual([seen.failed, seen.ready.length], [1, 0], "nothing after giving up");
  } finally {
    mock.timers.reset();
  }
});

test("the worker: a failure or an error ends it; a refused snapshot starts once more without it", () => {
  mock.timers.enable({ apis: ["setInterval"] });
  try {
    const first = connected();
    FakeWorker.made[0].say({ type: "failed", reason: "x", snapshotRefused: true });
    assert.equal(first.seen.failed, 0);
    const [refused, again] = FakeWorker.made;
    assert.equal(refused.terminated, true);
    assert.deepEqual(again.sent, [{ type: "init", ...URLS, snapshot: null }]);
    again.say({ type: "failed", reason: "x", snapshotRefused: true });
    assert.equal(first.seen.failed, 1, "without a snapshot a refusal is a failure");

    const second = connected();
    let prevented = false;
    FakeWorker.made[0].onerror({ preventDefault: () => { prevented = true; } });
    assert.deepEqual([second.seen.failed, prevented], [1, true]);
  } finally {
    mock.timers.reset();
  }
});

test("the worker flow-boot.js started: taken over with what it said meanwhile", () => {
  mock.timers.enable({ apis: ["setInterval"] });
  try {
    const booted = { worker: new FakeWorker("/flow-worker.js"), snapshot: false,
      early: [{ data: progress(2e6, 4e6) }, { data: progress(4e6, 4e6, true) }] };
    const { seen } = connected({ booted });
    assert.equal(FakeWorker.made.length, 0, "no second worker");
    assert.deepEqual(booted.worker.sent, [], "it was sent its files by flow-boot.js");
    assert.deepEqual(seen.progress.map((l) => [l.loaded, l.done]), [[2e6, false], [4e6, true]]);
    // Started without the snapshot: a refusal then is a failure, not a second start.
    booted.worker.say({ type: "failed", snapshotRefused: true });
    assert.equal(seen.failed, 1);
  } finally {
    mock.timers.reset();
  }
});
