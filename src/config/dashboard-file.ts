import { readFileSync, statSync } from "node:fs";

export const MAX_DASHBOARD_BYTES = 10 * 1024 * 1024;

/**
 * Why the dashboard JSON at `file` cannot be used, or undefined when it can. The file's content
 * is never quoted (JSON.parse messages include a snippet); only the position of a syntax error.
 */
export function dashboardFileProblem(file: string): string | undefined {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return `is not a file (resolved to ${file})`;
    size = stat.size;
  } catch {
    return `does not exist (resolved to ${file})`;
  }
  if (size > MAX_DASHBOARD_BYTES) return "is larger than 10 MiB";
  let model: unknown;
  try {
    model = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    if (error instanceof SyntaxError) {
      const position = /line (\d+) column (\d+)/.exec(error.message);
      return position
        ? `is not valid JSON (error at line ${position[1]}, column ${position[2]})`
        : "is not valid JSON";
    }
    return `cannot be read (${(error as NodeJS.ErrnoException).code ?? "unknown error"})`;
  }
  if (model === null || typeof model !== "object" || Array.isArray(model)) {
    return "must contain a dashboard JSON object";
  }
  return undefined;
}
