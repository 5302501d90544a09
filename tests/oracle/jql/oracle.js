#!/usr/bin/env node
// Batch syntax oracle: reads one JSON-encoded JQL string per line on stdin and writes one
// JSON object per line on stdout: {"ok": true} or {"ok": false, "errors": ["..."]}.
// One process serves a whole corpus, so the parity tests start Node once.
"use strict";

const readline = require("readline");
const { JastBuilder } = require("@atlaskit/jql-ast");

const builder = new JastBuilder();
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];

function verdict(text) {
  try {
    const jast = builder.build(text);
    const errors = jast.errors || [];
    if (errors.length === 0) {
      return { ok: true };
    }
    return { ok: false, errors: errors.map((e) => String(e.message || e)) };
  } catch (err) {
    return { ok: false, crashed: true, errors: [String((err && err.message) || err)] };
  }
}

rl.on("line", (line) => {
  if (line.length === 0) {
    return;
  }
  out.push(JSON.stringify(verdict(JSON.parse(line))));
  if (out.length >= 256) {
    process.stdout.write(out.join("\n") + "\n");
    out.length = 0;
  }
});

rl.on("close", () => {
  if (out.length > 0) {
    process.stdout.write(out.join("\n") + "\n");
  }
});
