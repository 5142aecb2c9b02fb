/**
 * Changes to the embedded outpost's provider list, made one batch at a time. The list is one
 * field that PATCH replaces whole, so two bindings written concurrently (read, add, write) would
 * each drop the other's provider — a lost update. Here concurrent changes wait in a queue and
 * each round reads the outpost fresh, applies every queued change and writes once.
 */
export interface OutpostAccess {
  read(): Promise<{ uuid: string; providers: number[] }>;
  write(uuid: string, providers: number[]): Promise<void>;
}

interface Change {
  add?: number;
  remove?: number;
  done: () => void;
  failed: (error: unknown) => void;
}

export class OutpostWriter {
  readonly #access: OutpostAccess;
  #queue: Change[] = [];
  #running: Promise<void> | undefined;

  constructor(access: OutpostAccess) {
    this.#access = access;
  }

  add(provider: number): Promise<void> {
    return this.#enqueue({ add: provider });
  }

  remove(provider: number): Promise<void> {
    return this.#enqueue({ remove: provider });
  }

  /** Replaces one provider by another in the same round. */
  replace(previous: number, next: number): Promise<void> {
    return this.#enqueue({ remove: previous, add: next });
  }

  #enqueue(change: Omit<Change, "done" | "failed">): Promise<void> {
    return new Promise<void>((done, failed) => {
      this.#queue.push({ ...change, done, failed });
      this.#running ??= this.#drain();
    });
  }

  async #drain(): Promise<void> {
    // Let every change queued in this tick join the first round.
    await Promise.resolve();
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        const outpost = await this.#access.read();
        const providers = new Set(outpost.providers);
        for (const change of batch) {
          if (change.remove !== undefined) providers.delete(change.remove);
          if (change.add !== undefined) providers.add(change.add);
        }
        const next = [...providers];
        const unchanged =
          next.length === outpost.providers.length && next.every((pk) => outpost.providers.includes(pk));
        if (!unchanged) await this.#access.write(outpost.uuid, next);
        for (const change of batch) change.done();
      } catch (error) {
        for (const change of batch) change.failed(error);
      }
    }
    this.#running = undefined;
  }
}
