/**
 * `npm run bench [-- name...]`: performance is measured here, never asserted in tests. Each
 * benchmark prints its figures and the machine it ran on; BENCHMARKS.md records them.
 */
import { cpus, totalmem } from "node:os";
import { enableCompileCache } from "../bin/compile-cache.js";

// Benchmarks print their own figures; routine info logs from the code under test would drown them.
process.env.AUTOPILOT_LOG_LEVEL ??= "warn";

// As `npx autopilot` does: commands the benchmarks run in this process load their modules from
// the compile cache (warm from the second run on, as for a user's second command).
enableCompileCache();
const { benchmarks } = await import("./suites.ts");

const wanted = process.argv.slice(2);
const selected = benchmarks.filter((bench) => wanted.length === 0 || wanted.includes(bench.name));
if (selected.length === 0) {
  console.error(`unknown benchmark; choose from: ${benchmarks.map((bench) => bench.name).join(", ")}`);
  process.exit(1);
}
const cpu = cpus()[0]?.model ?? "unknown CPU";
console.log(
  `machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
);
for (const bench of selected) {
  console.log(`\n## ${bench.name}: ${bench.description}`);
  const rows = await bench.run();
  for (const [label, value] of Object.entries(rows)) console.log(`  ${label.padEnd(44)} ${value}`);
}
