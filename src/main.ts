import { createLogger, startBinome } from "./app.js";
import { ConfigError } from "./core/errors.js";
import { parseEnv } from "./env.js";

async function main(): Promise<void> {
  let env: ReturnType<typeof parseEnv>;
  try {
    env = parseEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
  const log = createLogger(env);
  try {
    const running = await startBinome(env, log);
    if (env.playground) log.info({ url: `${running.url}/playground` }, "playground ready: open it in your browser");
    const shutdown = (signal: string) => {
      log.info({ signal }, "shutting down");
      running.close().then(
        () => log.info("stopped"),
        (error: unknown) => {
          log.error({ err: error }, "shutdown failed");
          process.exitCode = 1;
        },
      );
    };
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
  } catch (error) {
    if (error instanceof ConfigError) {
      log.error(error.message);
      process.exitCode = 1;
      return;
    }
    log.error({ err: error }, "binome could not start");
    process.exitCode = 1;
  }
}

await main();
