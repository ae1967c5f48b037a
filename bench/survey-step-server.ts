// One server under test for the survey-step bench, in a process of its own:
//   bare      a Bolt app (same HTTPReceiver, processBeforeResponse: false) that only acks block_actions
//   pglite    binome as `npm start` composes it (startBinome), PGlite in a fresh temp DATA_DIR
//   postgres  the same on a fresh database of the server that DATABASE_URL names
// binome's programme has 50 pairs and its mid-term survey sent to everyone (the invitations marked
// delivered: the bench times the steps, not 100 invitations). Usage: survey-step-server.ts <target>
// <fake Slack Web API url>. Prints `BENCH_READY {"url","respondents"}`; stops when its stdin
// closes or on SIGTERM, dropping what it created.
import { and, eq, inArray, like } from "drizzle-orm";
import { identities, outbox, surveyResponses } from "../db/schema.js";
import { systemClock } from "../src/core/clock.js";
import { addDays } from "../src/features/engagement/activity.js";
import { programmeFileSchema, withDefaults } from "../src/features/programmes/programme-file.js";
import { applyProgramme } from "../src/features/programmes/programmes.usecases.js";
import { surveyTick } from "../src/features/surveys/surveys.task.js";
import { serve, serverArgs, startBareBolt, startBenchBinome } from "./bench-server.js";
import { type Respondent, respondentUserIds } from "./survey-step-shared.js";

const { target, apiUrl } = serverArgs("survey-step-server.ts");

async function startReal(kind: "pglite" | "postgres"): Promise<{ url: string; respondents: Respondent[] }> {
  const running = await startBenchBinome(kind, apiUrl, {
    SCHEDULER: "off",
    // The worker is woken by each step; no poll should pick the invitations up while they are written.
    OUTBOX_POLL_MS: "600000",
  });
  const db = running.db.db;
  // The mid-term survey goes out today; the programme keeps no public holiday, so any weekday works.
  const today = new Date().toISOString().slice(0, 10);
  const applied = await applyProgramme(
    { db },
    withDefaults(
      programmeFileSchema.parse({
        slug: "bench",
        name: "Cohorte bench",
        start: addDays(today, -30),
        end: addDays(today, 30),
        surveys: { midterm: today },
        attention: { holidays: false },
      }),
    ),
  );
  if (!applied.ok) throw new Error("the bench programme was not applied");
  const now = systemClock.now();
  const report = await surveyTick({ db, clock: systemClock, outboxChanged: () => {} }, now);
  if (report.invited !== 100) throw new Error(`expected 100 invitations, got ${report.invited}`);
  await db.update(outbox).set({ status: "sent", sentAt: now }).where(like(outbox.key, "survey:%"));
  const userIds = respondentUserIds();
  const rows = await db
    .select({ userId: identities.userId, responseId: surveyResponses.id })
    .from(surveyResponses)
    .innerJoin(identities, eq(identities.participantId, surveyResponses.participantId))
    .where(and(eq(identities.platform, "slack"), inArray(identities.userId, userIds)));
  const byUser = new Map(rows.map((r) => [r.userId, r.responseId]));
  const respondents = userIds.map((userId) => ({ userId, responseId: byUser.get(userId) ?? "" }));
  if (respondents.some((r) => !r.responseId)) throw new Error("a respondent has no survey");
  return { url: `${running.url}/slack/events`, respondents };
}

await serve(async () => {
  if (target !== "bare") return startReal(target);
  const url = await startBareBolt(apiUrl, (app) =>
    app.action({ type: "block_actions" }, async ({ ack }) => {
      await ack();
    }),
  );
  // The bare app reads no value: any response id will do.
  return { url, respondents: respondentUserIds().map((userId) => ({ userId, responseId: "bare" })) };
});
