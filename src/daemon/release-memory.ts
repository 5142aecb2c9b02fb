import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | undefined;

/**
 * Runs a full garbage collection once a reconcile pass is over. A pass over a big lab allocates
 * a few hundred MB that are garbage a moment later, and V8 would otherwise keep that heap (and
 * the RSS) around for the whole idle interval; between passes the daemon only waits, so a
 * collection then costs nothing anyone notices. (`gc` is exposed at run time because the daemon
 * is started by `npx autopilot run`, where no V8 flag can be passed.)
 */
export function releaseMemory(): void {
  try {
    if (!collect) {
      setFlagsFromString("--expose-gc");
      collect = runInNewContext("gc") as () => void;
    }
    collect();
  } catch {
    // Not essential: without it memory is simply returned later.
  }
}
