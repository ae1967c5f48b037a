import { afterEach, describe, expect, it, vi } from "vitest";
import { PacerPool, paced, TEAMS_LIMITS, WindowPacer } from "./limits.js";

/** Most calls that fall in any window of `windowMs` starting at a call. */
function busiest(times: number[], windowMs: number): number {
  return Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));
}

describe("pacing to Teams' limits", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("lets through at once what every window allows, then waits just long enough", async () => {
    vi.useFakeTimers({ now: 0 });
    const pacer = new WindowPacer(TEAMS_LIMITS.conversation, () => Date.now(), 0);
    const times: number[] = [];
    const calls = Array.from({ length: 70 }, () => paced([pacer]).then(() => times.push(Date.now())));
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(calls);

    expect(times.slice(0, 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // The eighth waits for the 1-second window, the ninth for the 2-second one.
    expect(times.slice(7, 9)).toEqual([1_000, 2_000]);
    expect(busiest(times, 1_000)).toBe(7);
    expect(busiest(times, 2_000)).toBe(8);
    expect(busiest(times, 30_000)).toBe(60);
  });

  it("paces each conversation on its own, and forgets conversations gone quiet", async () => {
    vi.useFakeTimers({ now: 0 });
    const pool = new PacerPool(TEAMS_LIMITS.conversation, () => Date.now());
    for (let i = 0; i < 7; i++) await paced([pool.of("a:one")]);
    let other: number | undefined;
    void paced([pool.of("a:two")]).then(() => {
      other = Date.now();
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(other).toBe(0);
    expect(pool.size).toBe(2);

    await vi.advanceTimersByTimeAsync(2 * 3_600_000);
    await paced([pool.of("a:three")]);
    expect(pool.size).toBe(1);
  });

  it("counts a call under the tenant and the conversation at the same moment", async () => {
    vi.useFakeTimers({ now: 0 });
    const tenant = new WindowPacer(TEAMS_LIMITS.tenant, () => Date.now(), 0);
    const conversations = new PacerPool(TEAMS_LIMITS.conversation, () => Date.now());
    // 20 messages into one chat and 100 into 100 others, all asked for at once.
    const sent: Array<{ chat: string; at: number }> = [];
    const send = (chat: string) =>
      paced([tenant, conversations.of(chat)]).then(() => sent.push({ chat, at: Date.now() }));
    const all = [
      ...Array.from({ length: 20 }, () => send("busy")),
      ...Array.from({ length: 100 }, (_, i) => send(`quiet-${i}`)),
    ];
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(all);
    const times = sent.map((s) => s.at);
    expect(busiest(times, 1_000)).toBeLessThanOrEqual(50);
    const busy = sent.filter((s) => s.chat === "busy").map((s) => s.at);
    expect(busiest(busy, 1_000)).toBeLessThanOrEqual(7);
    expect(busiest(busy, 2_000)).toBeLessThanOrEqual(8);
    // The other chats are not held up behind the busy one: 100 messages take about two seconds at 50 a second.
    const quiet = sent.filter((s) => s.chat !== "busy").map((s) => s.at);
    expect(Math.max(...quiet)).toBeLessThan(2_500);
  });
});
