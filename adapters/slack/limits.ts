/**
 * A sliding-window pace keeper: at most `limit` calls in any `windowMs`. Callers wait their turn
 * instead of drawing a 429, so that long runs (500 introductions) go as fast as Slack allows.
 */
export class CallPacer {
  readonly #starts: number[] = [];
  #chain: Promise<void> = Promise.resolve();

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
    const turn = this.#chain.then(() => this.#wait());
    this.#chain = turn.then(() => undefined);
    return turn;
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

/** Slack's documented per-workspace rate tiers (calls per minute). */
export const SLACK_TIERS = { tier2: 20, tier3: 50, tier4: 100 } as const;
