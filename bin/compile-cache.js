// Node's on-disk compile cache keeps the type-stripped and compiled form of every module, so a
// command starts in about half the time and without loading the TypeScript stripper (which
// costs the long-running daemon ~25 MB of memory for its whole life). Entries are checked
// against the source, so an edited file is simply compiled again. The cache lives with this
// install, not in the shared temp folder, so another user cannot plant code in it.
// NODE_COMPILE_CACHE chooses another folder and NODE_DISABLE_COMPILE_CACHE=1 turns it off.
// Plain JavaScript, like the entry point that loads it before any TypeScript.
import module from "node:module";
import { fileURLToPath } from "node:url";

/** Turns the cache on for every module loaded from now on. */
export function enableCompileCache() {
  module.enableCompileCache?.(
    process.env.NODE_COMPILE_CACHE ||
      fileURLToPath(new URL("../node_modules/.cache/autopilot-compile", import.meta.url)),
  );
}
