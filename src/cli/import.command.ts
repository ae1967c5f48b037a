import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { openDatabase } from "../../db/client.js";
import { systemClock } from "../core/clock.js";
import type { Env } from "../env.js";
import type { ImportProblem } from "../features/participants/csv.js";
import { type ImportOutcome, importParticipants } from "../features/participants/import.usecases.js";
import { type CliIo, EXIT } from "./io.js";
import { say } from "./messages.js";
import { slackLookupByEmail } from "./slack-lookup.js";

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** `binome import` once its arguments are read. */
export interface ImportArgs {
  file: string;
  programme: string;
  programmeName?: string | undefined;
  slackLookup: boolean;
}

function problemLines(io: CliIo, problems: ImportProblem[]): string[] {
  return problems.map((problem) => {
    const text = say(io.lang, problem.code, problem.params);
    return `  ${problem.line ? say(io.lang, "line", { line: problem.line, text }) : text}`;
  });
}

function report(io: CliIo, file: string, outcome: ImportOutcome): number {
  if (outcome.warnings.length > 0)
    io.err([say(io.lang, "warningsHeader"), ...problemLines(io, outcome.warnings)].join("\n"));
  if (!outcome.ok) {
    io.err(
      [say(io.lang, "errorsHeader", { file, count: outcome.errors.length }), ...problemLines(io, outcome.errors)].join(
        "\n",
      ),
    );
    return EXIT.failed;
  }
  const { counts: c, programme } = outcome;
  io.out(
    [
      say(io.lang, "summaryProgramme", {
        name: programme.name,
        slug: programme.slug,
        created: programme.created ? say(io.lang, "summaryCreatedSuffix") : "",
      }),
      say(io.lang, "summaryPeople", {
        created: c.peopleCreated,
        updated: c.peopleUpdated,
        unchanged: c.peopleUnchanged,
      }),
      say(io.lang, "summaryEnrolments", { count: c.enrolmentsCreated }),
      say(io.lang, "summaryPairs", { created: c.pairsCreated, replaced: c.pairsReplaced }),
      say(io.lang, "summaryIdentities", { linked: c.identitiesLinked, resolved: c.slackIdsResolved }),
    ].join("\n"),
  );
  return EXIT.ok;
}

/** Reads the file, imports it into the programme and prints what happened; returns the exit code. */
export async function runImport(io: CliIo, env: Env, args: ImportArgs): Promise<number> {
  if (!SLUG.test(args.programme)) {
    io.err(say(io.lang, "badSlug", { value: args.programme }));
    return EXIT.usage;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(args.file);
  } catch (error) {
    io.err(say(io.lang, "unreadableFile", { file: args.file, reason: (error as Error).message }));
    return EXIT.failed;
  }
  const lookupSlackIdByEmail =
    args.slackLookup && env.SLACK_BOT_TOKEN
      ? await slackLookupByEmail({ token: env.SLACK_BOT_TOKEN, apiUrl: env.SLACK_API_URL })
      : undefined;
  const handle = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: 1 });
  try {
    const outcome = await importParticipants(
      { db: handle.db, clock: systemClock, lookupSlackIdByEmail },
      { csv: bytes, programmeSlug: args.programme, programmeName: args.programmeName },
    );
    return report(io, basename(args.file), outcome);
  } finally {
    await handle.close();
  }
}
