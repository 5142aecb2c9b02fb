import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";

const settingsSchema = z.object({ instanceName: z.string().min(1).max(200).optional() }).passthrough();

/**
 * The `instanceName` in Homepage's settings.yaml: which `homepage.instance.<NAME>.*` labels apply
 * to this Homepage. Undefined when the file, or the setting, is missing or unreadable — then,
 * as in Homepage, every instance label is ignored.
 */
export async function readInstanceName(configDir: string): Promise<string | undefined> {
  try {
    const parsed = settingsSchema.safeParse(
      parse(await readFile(join(configDir, "settings.yaml"), "utf8")) ?? {},
    );
    return parsed.success ? parsed.data.instanceName : undefined;
  } catch {
    return undefined;
  }
}
