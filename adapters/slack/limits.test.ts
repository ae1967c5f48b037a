import { afterEach, describe, expect, it, vi } from "vitest";
import { KeyedPacer } from "./limits.js";

describe("pacing chat.postMessage", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("spaces posts into one channel a second apart, other channels meanwhile, and forgets quiet channels", async () => {
    vi.useFakeTimers({ now: 0 });
    const pacer = new KeyedPacer(1, 1_000, () => Date.now());
    const times: Record<string, number[]> = { D1: [], D2: [] };
    const post = async (channel: string) => {
      const answered = await pacer.take(channel);
      times[channel]?.push(Date.now());
      answered();
    };
    const posts = [post("D1"), post("D1"), post("D1"), post("D2")];
    await vi.advanceTimersByTimeAsync(5_000);
    await Promise.all(posts);

    expect(times.D2).toEqual([0]);
    const [first, second, third] = times.D1 as number[];
    expect(first).toBe(0);
    expect(second).toBeGreaterThanOrEqual(1_000);
    expect((third as number) - (second as number)).toBeGreaterThanOrEqual(1_000);
    expect(third).toBeLessThan(2_100);
    expect(pacer.size).toBe(2);
    await vi.advanceTimersByTimeAsync(20_000);
    await (await pacer.take("D3"))();
    expect(pacer.size).toBe(1);
  });
});
