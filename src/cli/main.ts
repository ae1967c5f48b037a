import { openDatabase } from "../../db/client.js";
import { ConfigError } from "../core/errors.js";
import { type Env, parseEnv } from "../env.js";
import { runExportAttestations } from "../features/closing/export-attestations.command.js";
import { runErase } from "./erase.command.js";
import { runExport } from "./export.command.js";
import { type ImportArgs, runImport } from "./import.command.js";
import { type CliIo, EXIT } from "./io.js";
import { operatorLanguage, say } from "./messages.js";
import { runProgrammeApply } from "./programme.command.js";

class UsageError extends Error {}

function readImportArgs(io: CliIo, argv: string[]): ImportArgs {
  const args: Partial<ImportArgs> & { slackLookup: boolean } = { programme: "default", slackLookup: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [option, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(say(io.lang, "missingValue", { option }));
      return v;
    };
    if (option === "--programme") args.programme = value();
    else if (option === "--programme-name") args.programmeName = value();
    else if (option === "--no-slack-lookup") args.slackLookup = false;
    else if (option.startsWith("-") && option !== "-") throw new UsageError(say(io.lang, "unknownOption", { option }));
    else if (args.file === undefined) args.file = arg;
    else throw new UsageError(say(io.lang, "extraArgument", { value: arg }));
  }
  if (!args.file) throw new UsageError(say(io.lang, "missingFile"));
  return args as ImportArgs;
}

async function migrate(io: CliIo, env: Env): Promise<number> {
  const handle = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: 1 });
  await handle.close();
  io.out(say(io.lang, "migrated", { kind: handle.kind === "postgres" ? "PostgreSQL" : `PGlite, ${env.DATA_DIR}` }));
  return EXIT.ok;
}

/** The `binome` command line: runs one command and returns the process exit code. */
export async function runCli(argv: string[], io: Omit<CliIo, "lang">): Promise<number> {
  const cli: CliIo = { ...io, lang: operatorLanguage(io.env) };
  const [command, ...rest] = argv;
  try {
    if (command === "export" && rest[0] === "attestations") {
      return await runExportAttestations(cli, parseEnv(io.env), rest.slice(1));
    }
    switch (command) {
      case undefined:
      case "help":
      case "--help":
      case "-h":
        cli.out(say(cli.lang, "usage"));
        return EXIT.ok;
      case "migrate":
        return await migrate(cli, parseEnv(io.env));
      case "import": {
        const args = readImportArgs(cli, rest);
        return await runImport(cli, parseEnv(io.env), args);
      }
      case "programme": {
        const [action, file, ...extra] = rest;
        if (action !== "apply") throw new UsageError(say(cli.lang, "programmeUsage"));
        if (!file) throw new UsageError(say(cli.lang, "programmeMissingFile"));
        if (extra[0] !== undefined) throw new UsageError(say(cli.lang, "extraArgument", { value: extra[0] }));
        return await runProgrammeApply(cli, parseEnv(io.env), file);
      }
      case "export":
        return await runExport(cli, rest, () => parseEnv(io.env));
      case "erase":
        return await runErase(cli, rest, () => parseEnv(io.env));
      default:
        cli.err(`${say(cli.lang, "unknownCommand", { command })}\n\n${say(cli.lang, "usage")}`);
        return EXIT.usage;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      cli.err(`${error.message}\n\n${say(cli.lang, "usage")}`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError) {
      cli.err(error.message);
      return EXIT.failed;
    }
    cli.err(say(cli.lang, "failed", { reason: (error as Error).message }));
    return EXIT.failed;
  }
}
