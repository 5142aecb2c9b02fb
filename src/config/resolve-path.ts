import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

/** `~` and `~/x` expand to the home directory; relative paths resolve against `baseDir`. */
export function resolveConfigPath(baseDir: string, path: string, home: string = homedir()): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
