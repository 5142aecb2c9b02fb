import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

/** A temp lab folder with a homelab.yaml built from `config` and an age identity path inside it. */
export function labDir(config: Record<string, unknown>): {
  dir: string;
  env: NodeJS.ProcessEnv;
  write(config: Record<string, unknown>): void;
} {
  const dir = mkdtempSync(join(tmpdir(), "autopilot-lab-"));
  mkdirSync(join(dir, "keys"), { mode: 0o700 });
  const write = (next: Record<string, unknown>) =>
    writeFileSync(
      join(dir, "homelab.yaml"),
      stringify({ apiVersion: "autopilot/v1", domain: "lab.example.com", ...next }),
    );
  write(config);
  return { dir, env: { AUTOPILOT_AGE_IDENTITY: join(dir, "keys", "identity.txt") }, write };
}
