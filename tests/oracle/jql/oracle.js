#!/usr/bin/env node
// Atlassian's JQL parser as a batch referee (test-only).
//
//   node oracle.js               reads one JSON-encoded JQL string per line on stdin and
//                                writes one JSON object per line: {"ok": true} or
//                                {"ok": false, "errors": ["..."]}
//   node oracle.js --bench N     reads the same input, parses every query N times and
//                                prints {"queries": q, "rounds": N, "seconds": s}
//
// One process serves a whole corpus, so callers start Node once per batch.
"use strict";

const readline = require("readline");
const { JastBuilder } = require("@atlaskit/jql-ast");

const builder = new JastBuilder();

function verdict(text) {
  try {
    const errors = builder.build(text).errors || [];
    if (errors.length === 0) {
      return { ok: true };
    }
    return { ok: false, errors: errors.map((e) => String(e.message || e)) };
  } catch (err) {
    return { ok: false, crashed: true, errors: [String((err && err.message) || err)] };
  }
}

function judge() {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  const out = [];
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
}

function bench(rounds) {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  const queries = [];
  rl.on("line", (line) => {
    if (line.length > 0) {
      queries.push(JSON.parse(line));
    }
  });
  rl.on("close", () => {
    for (const q of queries.slice(0, 200)) {
      builder.build(q); // warm-up: let the JIT compile the parser
    }
    const start = process.hrtime.bigint();
    let accepted = 0;
    for (let r = 0; r < rounds; r++) {
      for (const q of queries) {
        if ((builder.build(q).errors || []).length === 0) {
          accepted++;
        }
      }
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    process.stdout.write(JSON.stringify({ queries: queries.length, rounds, seconds, accepted }) + "\n");
  });
}

const flag = process.argv.indexOf("--bench");
if (flag >= 0) {
  bench(Number(process.argv[flag + 1] || 1));
} else {
  judge();
}
