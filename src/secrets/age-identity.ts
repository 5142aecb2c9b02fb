import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { generateIdentity, identityToRecipient } from "age-encryption";
import { redactor } from "./redactor.ts";
import { SecretError } from "./secret-error.ts";

/** An age identity (private key) and the recipient (public key) the store is encrypted to. */
export interface AgeIdentity {
  identity: string;
  recipient: string;
}

const IDENTITY_LINE = /^AGE-SECRET-KEY-(PQ-)?1[0-9A-Z]+$/;

/**
 * Creates the identity file if it does not exist, in the format age-keygen writes (comments,
 * then the key). An existing identity is never overwritten: it may be the only key able to
 * decrypt the store, so it is loaded and reused instead.
 */
export async function ensureAgeIdentity(identityPath: string): Promise<AgeIdentity & { created: boolean }> {
  const dir = path.dirname(identityPath);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const identity = await generateIdentity();
  const recipient = await identityToRecipient(identity);
  const content = `# created: ${new Date().toISOString()}\n# public key: ${recipient}\n${identity}\n`;
  // Written whole to a private temp file, then hard-linked into place: link() refuses to replace
  // an existing file, so the identity appears complete or not at all and is never overwritten.
  const temp = path.join(dir, `.${path.basename(identityPath)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(content, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temp, identityPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return { ...(await loadAgeIdentity(identityPath)), created: false };
  } finally {
    await rm(temp, { force: true });
  }
  redactor.register(identity);
  return { identity, recipient, created: true };
}

/** Reads the identity, refusing one that other users could read. */
export async function loadAgeIdentity(identityPath: string): Promise<AgeIdentity> {
  let mode: number;
  try {
    mode = (await stat(identityPath)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new SecretError("secret", `the age identity ${identityPath} does not exist`, {
        hint: "run `autopilot secrets init` to create the identity and the store",
      });
    }
    throw unreadable(identityPath, error);
  }
  if ((mode & 0o077) !== 0) {
    throw new SecretError(
      "secret",
      `the age identity ${identityPath} is accessible to other users (mode ${(mode & 0o777).toString(8).padStart(4, "0")}); refusing to use it`,
      { hint: `run \`chmod 600 ${identityPath}\`` },
    );
  }
  let text: string;
  try {
    text = await readFile(identityPath, "utf8");
  } catch (error) {
    throw unreadable(identityPath, error);
  }
  const keys = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const identity = keys[0];
  if (keys.length !== 1 || identity === undefined || !IDENTITY_LINE.test(identity)) {
    throw malformed(identityPath);
  }
  redactor.register(identity);
  try {
    return { identity, recipient: await identityToRecipient(identity) };
  } catch {
    throw malformed(identityPath);
  }
}

function malformed(identityPath: string): SecretError {
  return new SecretError(
    "secret",
    `the age identity ${identityPath} is malformed: expected one AGE-SECRET-KEY-1… line`,
    { hint: "restore the identity from your backup; without it the store cannot be decrypted" },
  );
}

function unreadable(identityPath: string, error: unknown): SecretError {
  const code = (error as NodeJS.ErrnoException).code ?? "error";
  return new SecretError("secret", `the age identity ${identityPath} cannot be read (${code})`, {
    hint: "check that the file belongs to the user running autopilot and has mode 600",
    cause: error,
  });
}
