// One server under test for the acknowledgement bench, in a process of its own so that the load
// generator does not share its event loop:
//   bare      a Bolt app (same HTTPReceiver, processBeforeResponse: false) whose /binome only acks
//   pglite    binome as `npm start` composes it (startBinome), PGlite in a fresh temp DATA_DIR
//   postgres  the same on a fresh database of the server that DATABASE_URL names
// Usage: slack-ack-server.ts <target> <fake Slack Web API url>. Prints `BENCH_READY {"url"}`;
// stops (and drops what it created) when its stdin closes or on SIGTERM.
import { serve, serverArgs, startBareBolt, startBenchBinome } from "./bench-server.js";

const { target, apiUrl } = serverArgs("slack-ack-server.ts");

await serve(async () => {
  if (target === "bare") {
    const url = await startBareBolt(apiUrl, (app) =>
      app.command("/binome", async ({ ack }) => {
        await ack();
      }),
    );
    return { url };
  }
  const running = await startBenchBinome(target, apiUrl);
  return { url: `${running.url}/slack/events` };
});
