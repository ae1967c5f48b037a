import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { openDatabase } from "../../db/client.js";
import type { Env } from "../env.js";
import { parseProgrammeFile } from "../features/programmes/programme-file.js";
import { applyProgramme } from "../features/programmes/programmes.usecases.js";
import { type CliIo, EXIT } from "./io.js";
import { say } from "./messages.js";

/** `<file>:<line>: <field>: <message>`, leaving out what is unknown, as compilers print problems. */
function problemLine(file: string, line: number | undefined, field: string, message: string): string {
  return `  ${file}${line === undefined ? "" : `:${line}`}: ${field ? `${field}: ` : ""}${message}`;
}

/**
 * `binome programme apply <file.yaml>`: checks the file, then creates or updates the programme and
 * enrols its coordinators; a file with any problem writes nothing. Returns the exit code.
 */
export async function runProgrammeApply(io: CliIo, env: Env, file: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    io.err(say(io.lang, "unreadableFile", { file, reason: (error as Error).message }));
    return EXIT.failed;
  }
  const name = basename(file);
  const parsed = parseProgrammeFile(text);
  if (!parsed.ok) {
    io.err(
      [
        say(io.lang, "programmeErrorsHeader", { file: name, count: parsed.errors.length }),
        ...parsed.errors.map((e) => problemLine(name, e.line, e.path, e.message)),
      ].join("\n"),
    );
    return EXIT.failed;
  }
  const handle = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: 1 });
  try {
    const outcome = await applyProgramme({ db: handle.db }, parsed.programme, parsed.lineOf);
    if (!outcome.ok) {
      const slug = parsed.programme.slug;
      io.err(
        [
          say(io.lang, "programmeErrorsHeader", { file: name, count: outcome.unknownCoordinators.length }),
          ...outcome.unknownCoordinators.map((c) =>
            problemLine(name, c.line, c.path, say(io.lang, "programmeUnknownCoordinator", { email: c.email, slug })),
          ),
        ].join("\n"),
      );
      return EXIT.failed;
    }
    const { programme } = outcome;
    io.out(
      [
        say(io.lang, outcome.created ? "programmeCreated" : "programmeUpdated", {
          name: programme.name,
          slug: programme.slug,
        }),
        say(io.lang, "programmeDates", { start: programme.startsOn, end: programme.endsOn }),
        say(io.lang, "programmeCoordinators", {
          added: outcome.coordinatorsAdded,
          already: outcome.coordinatorsAlready,
        }),
      ].join("\n"),
    );
    return EXIT.ok;
  } finally {
    await handle.close();
  }
}
