import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { join } from "node:path";
import { AutopilotError } from "../../errors/autopilot-error.ts";
import { YamlFile } from "./yaml-file.ts";

/**
 * Homepage as a target is a folder: its config directory. Autopilot writes services.yaml entries,
 * keeps every other config file present (Homepage copies a skeleton over a missing one, and exits
 * when it cannot), writes the secrets widgets need as files under `autopilot-secrets/`, and an
 * env file listing them for the Homepage container.
 */
export interface HomepageSettings {
  /** Absolute path of Homepage's config directory as Autopilot sees it. */
  readonly configDir: string;
  /** Where that directory is mounted in the Homepage container (the official image: /app/config). */
  readonly containerConfigDir?: string;
  /** Resolves a secret reference (`${secret:NAME}` …) to its value, registered with the redactor. */
  readonly resolve: (reference: string) => Promise<string>;
}

export interface HomepageSession {
  readonly dir: string;
  readonly services: YamlFile;
  readonly secretsDir: string;
  readonly containerSecretsDir: string;
  readonly envFile: string;
  resolve(reference: string): Promise<string>;
}

export const SECRETS_DIR = "autopilot-secrets";
export const ENV_FILE = "autopilot-homepage.env";
export const DEFAULT_CONTAINER_CONFIG_DIR = "/app/config";

export async function openHomepageSession(settings: HomepageSettings): Promise<HomepageSession> {
  const dir = settings.configDir;
  try {
    if (!(await stat(dir)).isDirectory())
      throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    await access(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new AutopilotError("unavailable", `Homepage config directory ${dir}: ${code}`, {
      hint:
        code === "EACCES"
          ? "give the user running Autopilot write access to Homepage's config folder"
          : "create the folder, or point targets.homepage.configDir at Homepage's config folder",
      cause: error,
    });
  }
  const containerDir = (settings.containerConfigDir ?? DEFAULT_CONTAINER_CONFIG_DIR).replace(/\/+$/, "");
  return {
    dir,
    services: new YamlFile(join(dir, "services.yaml")),
    secretsDir: join(dir, SECRETS_DIR),
    containerSecretsDir: `${containerDir}/${SECRETS_DIR}`,
    envFile: join(dir, ENV_FILE),
    resolve: settings.resolve,
  };
}
