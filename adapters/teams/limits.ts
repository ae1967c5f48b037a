/** A limit of the Bot Connector: at most `limit` calls in any `windowMs`. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

/**
 * Teams' documented limits for a bot: per conversation 7 messages a second, 8 in 2 s, 60 in 30 s and
 * 1,800 an hour; about 50 requests a second per app and tenant.
 */
export const TEAMS_LIMITS = {
  conversation: [
    { limit: 7, windowMs: 1_000 },
    { limit: 8, windowMs: 2_000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1_800, windowMs: 3_600_000 },
  ],
  tenant: [{ limit: 50, windowMs: 1_000 }],
} as const satisfies Record<string, readonly RateWindow[]>;

/** Calls recently made under some limits (a conversation's, a tenant's), counted when they leave. */
export class WindowPacer {
  readonly #starts: number[] = [];
  readonly #longest: number;

  constructor(
    private readonly windows: readonly RateWindow[],
    private readonly now: () => number = Date.now,
    /** Teams counts a call when it arrives, a little after it leaves: keep that much spare. */
    private readonly marginMs = 20,
  ) {
    this.#longest = Math.max(...windows.map((w) => w.windowMs));
  }

  /** Milliseconds until one more call fits in every window; 0 when it fits now. */
  delay(): number {
    const now = this.now();
    while (this.#starts.length > 0 && (this.#starts[0] as number) <= now - this.#longest - this.marginMs)
      this.#starts.shift();
    let wait = 0;
    for (const { limit, windowMs } of this.windows) {
      // The call that must leave the window first: the limit-th most recent one.
      const blocking = this.#starts[this.#starts.length - limit];
      if (blocking !== undefined) wait = Math.max(wait, blocking + windowMs + this.marginMs - now);
    }
    return wait;
  }

  /** Counts a call made now. */
  record(): void {
    this.#starts.push(this.now());
  }

  /** True when no call in the longest window remains: the pacer can be dropped. */
  idle(): boolean {
    return this.delay() <= 0 && this.#starts.length === 0;
  }
}

/**
 * Waits until one more call fits under every pacer at once, then counts it in each. Checking and
 * counting happen in one synchronous step, so a call never holds a place in one pacer while it
 * waits for another (which would let the real calls bunch up later).
 */
export async function paced(pacers: WindowPacer[]): Promise<void> {
  for (;;) {
    const wait = Math.max(0, ...pacers.map((p) => p.delay()));
    if (wait <= 0) {
      for (const pacer of pacers) pacer.record();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, wait)));
  }
}

/** One pacer per key (a conversation, a tenant), dropped once idle so that memory stays bounded. */
export class PacerPool {
  readonly #pacers = new Map<string, WindowPacer>();
  #sweptAt = 0;

  constructor(
    private readonly windows: readonly RateWindow[],
    private readonly now: () => number = Date.now,
  ) {}

  /** The pacer of this key. */
  of(key: string): WindowPacer {
    this.#sweep();
    let pacer = this.#pacers.get(key);
    if (!pacer) {
      pacer = new WindowPacer(this.windows, this.now);
      this.#pacers.set(key, pacer);
    }
    return pacer;
  }

  /** How many keys hold a pacer (for tests of the bound). */
  get size(): number {
    return this.#pacers.size;
  }

  #sweep(): void {
    const now = this.now();
    if (now - this.#sweptAt < 60_000) return;
    this.#sweptAt = now;
    for (const [key, pacer] of this.#pacers) if (pacer.idle()) this.#pacers.delete(key);
  }
}
