#!/usr/bin/env node
// Entry point for `npx autopilot`. Plain JavaScript so that an old Node.js can still
// print a clear message instead of a syntax error; everything else is TypeScript run
// directly by Node.js 24 (type stripping, no build step).
import module from "node:module";
import { fileURLToPath } from "node:url";

const [major] = process.versions.node.split(".").map(Number);
if (major < 24) {
  process.stderr.write(
    `autopilot needs Node.js 24 or newer; this is ${process.version}.\n` +
      "Run it through npm (npx autopilot ...), which uses the Node.js 24 that `npm ci` installed into node_modules/.bin.\n",
  );
  process.exit(1);
}
// Node's on-disk compile cache keeps the type-stripped and compiled form of every module, so a
// command starts in about half the time and without loading the TypeScript stripper (which
// costs the long-running daemon ~25 MB of memory for its whole life). Entries are checked
// against the source, so an edited file is simply compiled again. The cache lives with this
// install, not in the shared temp folder, so another user cannot plant code in it.
// NODE_COMPILE_CACHE chooses another folder and NODE_DISABLE_COMPILE_CACHE=1 turns it off.
module.enableCompileCache?.(
  process.env.NODE_COMPILE_CACHE ||
    fileURLToPath(new URL("../node_modules/.cache/autopilot-compile", import.meta.url)),
);
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv);
