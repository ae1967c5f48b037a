import { systemClock } from "../core/clock.js";
import type { Env } from "../env.js";
import { ErasureIncompleteError, type ErasureReport, erasePerson } from "../features/evidence/person.erase.js";
import { readArgs, usageError, withDatabase } from "./export.command.js";
import { type CliIo, EXIT } from "./io.js";
import { say } from "./messages.js";

/** `table 3, other 1`, or the word for nothing. */
function byTable(io: CliIo, counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  return entries.length === 0 ? say(io.lang, "eraseNone") : entries.map(([table, n]) => `${table} ${n}`).join(", ");
}

function reportLines(io: CliIo, report: ErasureReport): string[] {
  const { deleted, cleared } = report;
  return [
    say(io.lang, report.applied ? "eraseDoneHeader" : "erasePlanHeader", report.person),
    say(io.lang, "eraseDeleted", {
      identities: deleted.identities,
      profiles: deleted.profiles,
      references: deleted.conversationReferences,
    }),
    say(io.lang, "eraseCleared", {
      notes: cleared.checkinNotes,
      messages: cleared.messagesToThem,
      answers: cleared.surveyTextAnswers,
      difficulties: cleared.difficultyTexts,
      sessions: cleared.sessionNotes,
    }),
    say(io.lang, "eraseKept", {
      // A plan's tombstone is rolled back with it: the real one gets another random id.
      tombstone: report.applied ? report.tombstoneEmail : "erased-<uuid>@invalid",
      rows: byTable(io, report.kept),
    }),
    say(io.lang, "eraseRedacted", { rows: byTable(io, report.redacted) }),
    say(io.lang, "eraseCancelled", { count: report.cancelledGroupMessages }),
  ];
}

/**
 * `binome erase person <email> [--yes]`. Without `--yes` the erasure is worked out and rolled back:
 * it prints what would be done and exits 1, so that a script cannot erase by forgetting the flag.
 */
export async function runErase(io: CliIo, argv: string[], env: () => Env): Promise<number> {
  const [what, ...rest] = argv;
  if (what !== "person") return usageError(io, say(io.lang, "eraseUsage"), "usage");
  const args = readArgs(io, rest, [], ["--yes"]);
  if (!args.ok) return usageError(io, args.message, "eraseUsage");
  const [email, extra] = args.positional;
  if (!email) return usageError(io, say(io.lang, "missingEmail", { command: "erase" }), "eraseUsage");
  if (extra !== undefined) return usageError(io, say(io.lang, "extraArgument", { value: extra }), "eraseUsage");
  const apply = args.options.get("--yes") === true;
  return withDatabase(env(), async (db) => {
    try {
      const result = await erasePerson(db, email, { apply, now: systemClock.now() });
      if (!result.ok) {
        io.err(say(io.lang, "unknownPerson", { email }));
        return EXIT.failed;
      }
      if (!apply) {
        io.err([...reportLines(io, result.report), "", say(io.lang, "eraseConfirm")].join("\n"));
        return EXIT.failed;
      }
      io.out(reportLines(io, result.report).join("\n"));
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof ErasureIncompleteError)) throw error;
      io.err(say(io.lang, "eraseIncomplete", { tables: Object.keys(error.tables).join(", ") }));
      return EXIT.failed;
    }
  });
}
