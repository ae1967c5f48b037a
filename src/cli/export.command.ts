import { access, mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { type Database, openDatabase } from "../../db/client.js";
import { systemClock } from "../core/clock.js";
import type { Env } from "../env.js";
import { CSV_FILES } from "../features/evidence/evidence.csv.js";
import { exportEvidence } from "../features/evidence/evidence.export.js";
import { exportPerson } from "../features/evidence/person.export.js";
import { type CliIo, EXIT } from "./io.js";
import { type CliMessageKey, say } from "./messages.js";

/** Options and positional arguments of a command line, or the sentence that says what is wrong with it. */
export type ReadArgs =
  | { ok: true; options: Map<string, string | true>; positional: string[] }
  | { ok: false; message: string };

/**
 * Reads `--name value`, `--name=value` and `--flag` among positional arguments; `valued` lists the
 * options that take a value, `flags` those that do not.
 */
export function readArgs(io: CliIo, argv: string[], valued: string[], flags: string[] = []): ReadArgs {
  const options = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const option = eq > 0 ? arg.slice(0, eq) : arg;
    if (flags.includes(option) && eq < 0) options.set(option, true);
    else if (valued.includes(option)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === "" || (eq < 0 && value.startsWith("--")))
        return { ok: false, message: say(io.lang, "missingValue", { option }) };
      options.set(option, value);
    } else return { ok: false, message: say(io.lang, "unknownOption", { option }) };
  }
  return { ok: true, options, positional };
}

/** A wrong command line: the sentence, then the usage of the command, on stderr; exit code 2. */
export function usageError(io: CliIo, message: string, usage: CliMessageKey): number {
  io.err(`${message}\n\n${say(io.lang, usage)}`);
  return EXIT.usage;
}

const optionValue = (options: Map<string, string | true>, name: string): string | undefined => {
  const value = options.get(name);
  return typeof value === "string" ? value : undefined;
};

/** `binome export evidence …` and `binome export person …`. Returns the exit code. */
export async function runExport(io: CliIo, argv: string[], env: () => Env): Promise<number> {
  const [what, ...rest] = argv;
  if (what === "evidence") {
    const args = readArgs(io, rest, ["--programme", "--out", "--organisation", "--font"]);
    if (!args.ok) return usageError(io, args.message, "exportUsage");
    if (args.positional[0] !== undefined)
      return usageError(io, say(io.lang, "extraArgument", { value: args.positional[0] }), "exportUsage");
    const slug = optionValue(args.options, "--programme");
    if (!slug) return usageError(io, say(io.lang, "exportMissingProgramme"), "exportUsage");
    const font = optionValue(args.options, "--font");
    if (font) {
      try {
        await access(font);
      } catch (error) {
        io.err(say(io.lang, "unreadableFile", { file: font, reason: (error as Error).message }));
        return EXIT.failed;
      }
    }
    return withDatabase(env(), async (db) => {
      const result = await exportEvidence(db, {
        programmeSlug: slug,
        outDir: optionValue(args.options, "--out"),
        organisation: optionValue(args.options, "--organisation"),
        now: systemClock.now(),
        fonts: font ? { regular: font } : undefined,
      });
      if (!result.ok) {
        io.err(say(io.lang, "unknownProgramme", { slug }));
        return EXIT.failed;
      }
      io.out(
        say(io.lang, "evidenceWritten", {
          name: result.programme.name,
          dir: result.outDir,
          learners: result.learners,
          tables: Object.keys(CSV_FILES).length,
        }),
      );
      return EXIT.ok;
    });
  }
  if (what === "person") {
    const args = readArgs(io, rest, ["--out"]);
    if (!args.ok) return usageError(io, args.message, "exportUsage");
    const [email, extra] = args.positional;
    if (!email) return usageError(io, say(io.lang, "missingEmail", { command: "export" }), "exportUsage");
    if (extra !== undefined) return usageError(io, say(io.lang, "extraArgument", { value: extra }), "exportUsage");
    const out = optionValue(args.options, "--out");
    return withDatabase(env(), async (db) => {
      const result = await exportPerson(db, email, systemClock.now());
      if (!result.ok) {
        io.err(say(io.lang, "unknownPerson", { email }));
        return EXIT.failed;
      }
      const json = `${JSON.stringify(result.export, null, 2)}\n`;
      if (!out) {
        // Alone on stdout, so that it can be piped into a file or jq.
        io.out(json.trimEnd());
        return EXIT.ok;
      }
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, json, { mode: 0o600 });
      const tables = Object.values(result.export.tables);
      io.out(
        say(io.lang, "personWritten", {
          name: result.export.person.name,
          file: out,
          rows: tables.reduce((sum, rows) => sum + rows.length, 0),
          tables: tables.length,
        }),
      );
      return EXIT.ok;
    });
  }
  return usageError(
    io,
    what === undefined ? say(io.lang, "exportUsage") : say(io.lang, "unknownCommand", { command: `export ${what}` }),
    "usage",
  );
}

/** Opens the database for one command and closes it whatever happens. */
export async function withDatabase(env: Env, run: (db: Database) => Promise<number>): Promise<number> {
  const handle = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: 1 });
  try {
    return await run(handle.db);
  } finally {
    await handle.close();
  }
}
