import type { Provider } from "./resource-kind.ts";
import { Semaphore } from "./semaphore.ts";
import { TurnSlicer } from "./turn-slicer.ts";

/**
 * Where an action waits its turn. A lane has two bounds: `writes` counts requests in flight to
 * the target — what `--parallelism` promises the server — and is held only around the remote
 * call; `admission` counts actions in progress, which also resolve their spec and record
 * ownership, digests and an audit entry around that call. Admitting twice as many actions as
 * may write keeps the next ones' local bookkeeping done while requests are in flight, so the
 * connections never sit idle waiting on the state database.
 */
export interface Lane {
  readonly admission: Semaphore;
  readonly writes: Semaphore;
  /** Paces the lane's local work (before and after its write) over turns of the event loop. */
  readonly turns: TurnSlicer;
}

/** Actions admitted per write slot. */
const LOOKAHEAD = 2;

/**
 * Actions of one lane that start, or finish their bookkeeping, per turn of the event loop: a
 * few milliseconds of work, after which other lanes' answers are read.
 */
export const ACTIONS_PER_TURN = 8;

/**
 * One lane per target, or per kind when the kind sets its own write limit (a kind whose writes
 * the provider coalesces must not hold the target's slots while it waits for its batch).
 */
export class WriteLanes {
  readonly #limits = new Map<string, number>();
  readonly #lanes = new Map<string, Lane>();
  readonly #defaultLimit: number;

  constructor(providers: readonly Provider[], defaultLimit: number) {
    this.#defaultLimit = defaultLimit;
    for (const provider of providers) {
      if (provider.writeConcurrency !== undefined)
        this.#limits.set(provider.target, provider.writeConcurrency);
      for (const kind of provider.kinds)
        if (kind.writeConcurrency !== undefined)
          this.#limits.set(`${provider.target}/${kind.kind}`, kind.writeConcurrency);
    }
  }

  laneFor(target: string, kind: string): Lane {
    const ownKey = `${target}/${kind}`;
    const key = this.#limits.has(ownKey) ? ownKey : target;
    let lane = this.#lanes.get(key);
    if (!lane) {
      const limit = this.#limits.get(key) ?? this.#defaultLimit;
      lane = {
        writes: new Semaphore(limit),
        admission: new Semaphore(limit * LOOKAHEAD),
        turns: new TurnSlicer(ACTIONS_PER_TURN),
      };
      this.#lanes.set(key, lane);
    }
    return lane;
  }
}
