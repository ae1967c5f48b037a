import { resolve } from "node:path";
import { eq } from "drizzle-orm";
import { openDatabase } from "../../../db/client.js";
import { programmes } from "../../../db/schema.js";
import type { CliIo } from "../../cli/io.js";
import { type Clock, systemClock } from "../../core/clock.js";
import type { Env } from "../../env.js";
import { mentorContributions } from "./closing.repository.js";
import { attestationsDir, writeAttestations } from "./closing.task.js";

const MESSAGES = {
  fr: {
    usage: "Utilisation : binome export attestations --programme <slug> [--out <dossier>]",
    unknown: "Aucun programme « {slug} ».",
    none: "Le programme « {slug} » n'a encore aucun mentor en binôme : aucune attestation écrite.",
    written: "{count} attestation(s) de mentorat écrite(s) dans {dir} :",
  },
  en: {
    usage: "Usage: binome export attestations --programme <slug> [--out <folder>]",
    unknown: 'No programme "{slug}".',
    none: 'Programme "{slug}" has no paired mentor yet: no attestation written.',
    written: "{count} mentoring attestation(s) written to {dir}:",
  },
} as const;

type Key = keyof (typeof MESSAGES)["fr"];
const say = (io: CliIo, key: Key, params: Record<string, string | number> = {}) =>
  MESSAGES[io.lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );

/**
 * `binome export attestations --programme <slug> [--out <dir>]`: one mentoring attestation PDF per
 * mentor of the programme, as the closing writes them (by default into DATA_DIR/attestations/<slug>/).
 * Returns the exit code: 0 done, 1 unknown programme, 2 a wrong command line.
 */
export async function runExportAttestations(
  io: CliIo,
  env: Env,
  argv: string[],
  clock: Clock = systemClock,
): Promise<number> {
  let slug: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [option, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg];
    const value = inline ?? argv[++i];
    if (option === "--programme" && value) slug = value;
    else if (option === "--out" && value) out = value;
    else {
      io.err(say(io, "usage"));
      return 2;
    }
  }
  if (!slug) {
    io.err(say(io, "usage"));
    return 2;
  }
  const handle = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolSize: 1 });
  try {
    const [programme] = await handle.db.select().from(programmes).where(eq(programmes.slug, slug));
    if (!programme) {
      io.err(say(io, "unknown", { slug }));
      return 1;
    }
    const mentors = await mentorContributions(handle.db, programme.id);
    if (mentors.length === 0) {
      io.out(say(io, "none", { slug }));
      return 0;
    }
    const dir = out ? resolve(out) : attestationsDir(env.DATA_DIR, programme.slug);
    const paths = await writeAttestations(programme, mentors, dir, clock.now());
    io.out([say(io, "written", { count: paths.length, dir }), ...paths.map((p) => `  ${p}`)].join("\n"));
    return 0;
  } finally {
    await handle.close();
  }
}
