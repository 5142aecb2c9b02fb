#!/usr/bin/env node
// Entry point for `npx autopilot`. Plain JavaScript so that an old Node.js can still
// print a clear message instead of a syntax error; everything else is TypeScript run
// directly by Node.js 24 (type stripping, no build step).
import { enableCompileCache } from "./compile-cache.js";

const [major] = process.versions.node.split(".").map(Number);
if (major < 24) {
  process.stderr.write(
    `autopilot needs Node.js 24 or newer; this is ${process.version}.\n` +
      "Run it through npm (npx autopilot ...), which uses the Node.js 24 that `npm ci` installed into node_modules/.bin.\n",
  );
  process.exit(1);
}
enableCompileCache();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv);
