import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "adapters/**/*.test.ts", "db/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most test files wait on sockets, child processes and timers rather than on the CPU: three
    // workers keep two cores busy (vitest's default on two cores is one worker).
    maxWorkers: 3,
    globalSetup: ["test/support/global-setup.ts"],
  },
});
