/**
 * Work that follows an acknowledgement, run a few at a time. Slack waits 3 seconds for each ack;
 * when a burst of commands arrives, running every command's work at once would hold back the acks
 * of the requests still arriving. Queued, the acks go first and the work follows in order.
 */
export class AfterAck {
  readonly #waiting: Array<() => Promise<void>> = [];
  #running = 0;

  constructor(
    private readonly concurrency: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Queues a job; it starts on a later turn of the event loop, after pending I/O. */
  push(job: () => Promise<void>): void {
    this.#waiting.push(job);
    setImmediate(() => this.#next());
  }

  /** Jobs queued or running. */
  get size(): number {
    return this.#waiting.length + this.#running;
  }

  #next(): void {
    while (this.#running < this.concurrency && this.#waiting.length > 0) {
      const job = this.#waiting.shift() as () => Promise<void>;
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
