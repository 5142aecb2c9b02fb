import type { ActionResult, ProgressEvent } from "../../engine/execute.ts";
import type { Colors } from "../output.ts";

/** One line per finished action on stderr, e.g. `[3/12] ✓ create authentik/group/admins 41 ms`. */
export function progressPrinter(write: (line: string) => void, c: Colors): (event: ProgressEvent) => void {
  return (event) => {
    if (event.type !== "finish") return;
    const { result } = event;
    const mark =
      result.status === "succeeded" ? c.green("✓") : result.status === "skipped" ? c.dim("-") : c.red("✗");
    const detail = result.error ? `  ${c.dim(result.error.message.split("\n")[0] ?? "")}` : "";
    write(
      `[${event.done}/${event.total}] ${mark} ${result.type} ${result.id} ${c.dim(`${Math.round(result.ms)} ms`)}${detail}`,
    );
  };
}

export function renderApplySummary(results: readonly ActionResult[], c: Colors): string {
  const count = (status: ActionResult["status"]) =>
    results.filter((result) => result.status === status).length;
  const failed = results.filter((result) => result.status === "failed");
  const lines = failed.map(
    (result) => `${c.red("✗")} ${result.type} ${result.id}: ${result.error?.message ?? "failed"}`,
  );
  const written = count("succeeded");
  lines.push(
    failed.length === 0 && count("skipped") === 0
      ? c.green(`Converged: ${written} change(s) applied, ${count("unchanged")} unchanged.`)
      : c.yellow(
          `Partly converged: ${written} applied, ${failed.length} failed, ${count("skipped")} skipped.`,
        ),
  );
  return lines.join("\n");
}
