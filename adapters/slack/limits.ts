/**
 * A sliding-window pace keeper: at most `limit` calls in any `windowMs`. Callers wait their turn
 * instead of drawing a 429, so that long runs (500 introductions) go as fast as Slack allows.
 */
export class CallPacer {
  readonly #starts: number[] = [];
  #chain: Promise<void> = Promise.resolve();
  #waiting = 0;

  /** Slack counts a call when it arrives, a little after it leaves: keep that much spare. */
  readonly #marginMs: number;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#marginMs = windowMs / 60;
  }

  /**
   * Resolves when one more call fits in the window, with a function to call once the call is
   * answered: its slot then counts from that moment, the latest the platform can have seen it.
   */
  take(): Promise<() => void> {
    this.#waiting += 1;
    const turn = this.#chain
      .then(() => this.#wait())
      .finally(() => {
        this.#waiting -= 1;
      });
    this.#chain = turn.then(() => undefined);
    return turn;
  }

  /** True when nobody waits and no call counts any more: the pacer can be dropped. */
  idle(): boolean {
    const last = this.#starts.at(-1);
    return this.#waiting === 0 && (last === undefined || last <= this.now() - this.windowMs - this.#marginMs);
  }

  /** Pushes the window back after the platform said to wait anyway. */
  pause(ms: number): void {
    const until = this.now() + ms;
    this.#starts.push(...Array.from({ length: this.limit }, () => until - this.windowMs));
    this.#starts.sort((a, b) => a - b);
    this.#starts.splice(0, this.#starts.length - this.limit);
  }

  async #wait(): Promise<() => void> {
    for (;;) {
      const now = this.now();
      while (this.#starts.length > 0 && (this.#starts[0] as number) <= now - this.windowMs - this.#marginMs)
        this.#starts.shift();
      if (this.#starts.length < this.limit) {
        const slot = { at: now };
        this.#starts.push(now);
        return () => {
          const index = this.#starts.indexOf(slot.at);
          if (index >= 0) this.#starts.splice(index, 1);
          this.#starts.push(this.now());
          this.#starts.sort((a, b) => a - b);
        };
      }
      const wait = (this.#starts[0] as number) + this.windowMs + this.#marginMs - now;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, wait)));
    }
  }
}

/** One pacer per key (a channel), dropped once idle so that memory stays bounded. */
export class KeyedPacer {
  readonly #pacers = new Map<string, CallPacer>();
  #sweptAt = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): Promise<() => void> {
    this.#sweep();
    let pacer = this.#pacers.get(key);
    if (!pacer) {
      pacer = new CallPacer(this.limit, this.windowMs, this.now);
      this.#pacers.set(key, pacer);
    }
    return pacer.take();
  }

  /** How many keys hold a pacer. */
  get size(): number {
    return this.#pacers.size;
  }

  #sweep(): void {
    const now = this.now();
    if (now - this.#sweptAt < 10 * this.windowMs) return;
    this.#sweptAt = now;
    for (const [key, pacer] of this.#pacers) if (pacer.idle()) this.#pacers.delete(key);
  }
}

/** Slack's documented per-workspace rate tiers (calls per minute). */
export const SLACK_TIERS = { tier2: 20, tier3: 50, tier4: 100 } as const;

/**
 * chat.postMessage has its own ("special") limits: about one message per second into a channel,
 * short bursts allowed, and a workspace-wide limit that Slack only describes as "several hundred
 * messages per minute", without a number to pace to.
 */
export const SLACK_POST_MESSAGE = { perChannelPerSecond: 1 } as const;
