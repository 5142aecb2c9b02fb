import { randomBytes } from "node:crypto";
import { open, readFile, rm, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { SecretError } from "./secret-error.ts";

export interface FileLockOptions {
  /** A lock file older than this is left over from a crashed process and is taken over. */
  staleAfterMs?: number;
  /** Give up waiting after this long. */
  timeoutMs?: number;
  now?: () => number;
}

const DEFAULT_STALE_MS = 30_000;
const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Runs `work` while holding `lockPath`, a file created with O_EXCL: the one primitive that is
 * atomic across processes on every local file system, so two `autopilot secrets set` commands
 * (or a daemon and a CLI) cannot both read-modify-write the store and lose a change.
 */
export async function withFileLock<T>(
  lockPath: string,
  work: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const token = await acquire(lockPath, options);
  try {
    return await work();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, options: FileLockOptions): Promise<string> {
  const now = options.now ?? Date.now;
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_MS;
  const deadline = now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const token = `${process.pid}:${randomBytes(8).toString("hex")}`;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockPath, "wx", 0o600);
      try {
        await handle.writeFile(token, "utf8");
      } finally {
        await handle.close();
      }
      return token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (await isStale(lockPath, staleAfterMs, now)) {
      // A crashed holder cannot release; its lock is removed and the race to create is rerun.
      await rm(lockPath, { force: true });
      continue;
    }
    if (now() > deadline) {
      throw new SecretError("secret", `timed out waiting for the lock ${lockPath}`, {
        hint: "another autopilot process is writing the secret store; if none is running, delete the lock file",
        retryable: true,
      });
    }
    // Full jitter keeps many waiters from retrying in lockstep.
    await sleep(Math.random() * Math.min(50, 2 + attempt * 2));
  }
}

async function isStale(lockPath: string, staleAfterMs: number, now: () => number): Promise<boolean> {
  try {
    const info = await stat(lockPath);
    return now() - info.mtimeMs > staleAfterMs;
  } catch {
    return false; // released meanwhile: just try again
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  // Only remove the lock if it is still ours: after a stale takeover it may belong to another.
  const content = await readFile(lockPath, "utf8").catch(() => undefined);
  if (content === token) await rm(lockPath, { force: true });
}
