/**
 * Work that follows an acknowledgement, run a few at a time and only while no Slack request is
 * waiting for its own ack. Slack waits 3 seconds for each ack; when a burst of commands arrives,
 * starting every command's work at once would hold back the acks of the requests still arriving.
 * A job that has waited `maxDelayMs` starts anyway, so a steady stream cannot starve the work.
 */
export class AfterAck {
  readonly #waiting: Array<{ job: () => Promise<void>; since: number }> = [];
  #running = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly concurrency: number,
    private readonly onError: (error: unknown) => void,
    private readonly acksPending: () => boolean = () => false,
    private readonly maxDelayMs = 1000,
  ) {}

  /** Queues a job; it starts on a later turn of the event loop, after pending I/O. */
  push(job: () => Promise<void>): void {
    this.#waiting.push({ job, since: performance.now() });
    setImmediate(() => this.#next());
  }

  /** Jobs queued or running. */
  get size(): number {
    return this.#waiting.length + this.#running;
  }

  #next(): void {
    while (this.#running < this.concurrency && this.#waiting.length > 0) {
      const oldest = this.#waiting[0] as { job: () => Promise<void>; since: number };
      if (this.acksPending() && performance.now() - oldest.since < this.maxDelayMs) {
        this.#timer ??= setTimeout(() => {
          this.#timer = undefined;
          this.#next();
        }, 2);
        return;
      }
      const { job } = this.#waiting.shift() as { job: () => Promise<void> };
      this.#running += 1;
      job()
        .catch(this.onError)
        .finally(() => {
          this.#running -= 1;
          setImmediate(() => this.#next());
        });
    }
  }
}
