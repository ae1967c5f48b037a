import { isMap, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { z } from "zod";
import { CRITERIA, DEFAULT_WEIGHTS } from "../matching/profile.js";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date written YYYY-MM-DD");
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time written HH:MM");
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "an IANA time zone such as Europe/Paris");
/** A period (`2w`, `10d`) in days. */
export function periodDays(text: string): number {
  const match = /^(\d+)\s*([dw])$/.exec(text.trim());
  if (!match) throw new Error(`not a period: ${text}`);
  return Number(match[1]) * (match[2] === "w" ? 7 : 1);
}
const period = z.string().regex(/^\d+\s*[dw]$/, "a period such as 2w (weeks) or 10d (days)");
/** What the nudge ladder does at a step: remind both, ask the mentee privately, or tell the coordinators. */
export const NUDGE_ACTIONS = ["remind-both", "ask-mentee", "flag-coordinators"] as const;
export type NudgeAction = (typeof NUDGE_ACTIONS)[number];
export const DEFAULT_NUDGE_STEPS: Array<{ after: string; action: NudgeAction }> = [
  { after: "14d", action: "remind-both" },
  { after: "21d", action: "ask-mentee" },
  { after: "28d", action: "flag-coordinators" },
];
const day = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);

const weightsSchema = z
  .object(
    Object.fromEntries(CRITERIA.map((c) => [c, z.number().min(0).optional()])) as Record<
      (typeof CRITERIA)[number],
      z.ZodOptional<z.ZodNumber>
    >,
  )
  .extend({ minScore: z.number().min(0).max(100).optional() })
  .strict();

/** A programme as a coordinator writes it in YAML. */
export const programmeFileSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, "lowercase letters, digits and dashes, e.g. promo-2027"),
    name: z.string().min(1).max(120),
    objectives: z.array(z.string().min(1).max(300)).max(20).default([]),
    audience: z.string().max(300).optional(),
    start: isoDate,
    end: isoDate,
    language: z.enum(["fr", "en"]).default("fr"),
    timeZone: timeZone.default("Europe/Paris"),
    /** The least a pair should meet: one exchange every period. */
    cadence: z
      .object({ every: period.default("4w") })
      .strict()
      .default({ every: "4w" }),
    checkIns: z
      .object({ every: period.default("2w"), audience: z.enum(["mentee", "both"]).default("mentee") })
      .strict()
      .default({ every: "2w", audience: "mentee" }),
    surveys: z
      .object({
        midterm: isoDate.optional(),
        end: isoDate.optional(),
        /** How long a survey takes answers after it is sent (default 2w). */
        openFor: period.optional(),
      })
      .strict()
      .default({}),
    /** The weekly digest in the coordinators' channel, in the programme's time zone (default Monday 09:00). */
    digest: z
      .object({ day: day.default("mon"), time: clockTime.default("09:00") })
      .strict()
      .optional(),
    coordinators: z.array(z.string().email("an email address")).default([]),
    coordinatorChannel: z
      .string()
      .regex(/^(slack|teams|playground):.+$/, "a channel such as slack:C0123ABCD")
      .optional(),
    workingHours: z
      .object({
        days: z.array(day).min(1).default(["mon", "tue", "wed", "thu", "fri"]),
        start: clockTime.default("09:00"),
        end: clockTime.default("18:00"),
      })
      .strict()
      .default({ days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "18:00" }),
    /** Quiet pairs: after each period without activity, one step. */
    nudges: z
      .object({
        steps: z
          .array(z.object({ after: period, action: z.enum(NUDGE_ACTIONS) }).strict())
          .max(6)
          .default(DEFAULT_NUDGE_STEPS),
      })
      .strict()
      .default({ steps: DEFAULT_NUDGE_STEPS }),
    /** How much binome may write on its own initiative. */
    attention: z
      .object({
        /** Check-ins, nudges, reminders and surveys per person per week. */
        weeklyCap: z.number().int().min(0).max(14).default(2),
        /** Public holidays kept: a country (`FR`), a region (`FR-57`), or `false`. */
        holidays: z
          .union([z.literal(false), z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, "a country such as FR or FR-57")])
          .default("FR"),
      })
      .strict()
      .default({ weeklyCap: 2, holidays: "FR" }),
    matching: z
      .object({ weights: weightsSchema.default({}) })
      .strict()
      .default({ weights: {} }),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.end <= p.start) ctx.addIssue({ code: "custom", path: ["end"], message: "the end must come after the start" });
    for (const key of ["midterm", "end"] as const) {
      const date = p.surveys[key];
      if (date && (date < p.start || date > p.end)) {
        ctx.addIssue({
          code: "custom",
          path: ["surveys", key],
          message: "a date between the programme's start and end",
        });
      }
    }
    p.nudges.steps.forEach((step, i) => {
      const previous = p.nudges.steps[i - 1];
      if (previous && periodDays(step.after) <= periodDays(previous.after)) {
        ctx.addIssue({
          code: "custom",
          path: ["nudges", "steps", i, "after"],
          message: "each step must come later than the one before",
        });
      }
    });
    if (p.workingHours.end <= p.workingHours.start) {
      ctx.addIssue({
        code: "custom",
        path: ["workingHours", "end"],
        message: "working hours must end after they start",
      });
    }
  });

export type ProgrammeFile = z.infer<typeof programmeFileSchema>;

/** A programme with every default filled in, ready to store. */
export interface ProgrammeDefinition extends ProgrammeFile {
  surveys: { midterm: string; end: string; openFor?: string | undefined };
  matching: { weights: typeof DEFAULT_WEIGHTS };
}

/** One problem in a programme file, with the field's dotted path and its line. */
export interface ProgrammeFileError {
  path: string;
  line: number | undefined;
  message: string;
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Survey dates by default: the midpoint, and the start of the last week. */
export function withDefaults(file: ProgrammeFile): ProgrammeDefinition {
  const span = Math.round((Date.parse(file.end) - Date.parse(file.start)) / 86_400_000);
  return {
    ...file,
    surveys: {
      ...file.surveys,
      midterm: file.surveys.midterm ?? addDays(file.start, Math.floor(span / 2)),
      end: file.surveys.end ?? addDays(file.end, -6),
    },
    matching: { weights: { ...DEFAULT_WEIGHTS, ...file.matching.weights } },
  };
}

function nodeAt(root: Node | null | undefined, path: ReadonlyArray<PropertyKey>): Node | undefined {
  let node: unknown = root;
  let last: Node | undefined = (root ?? undefined) as Node | undefined;
  for (const key of path) {
    if (isMap(node)) node = node.get(key as string, true);
    else if (isSeq(node)) node = node.get(Number(key), true);
    else break;
    if (node) last = node as Node;
    else break;
  }
  return last;
}

/** The line a field of a parsed file starts on, by its path (`["coordinators", 0]`). */
export type LineOf = (path: ReadonlyArray<PropertyKey>) => number | undefined;

/** Parses and validates a programme file; every problem names its field and line. */
export function parseProgrammeFile(
  text: string,
): { ok: true; programme: ProgrammeDefinition; lineOf: LineOf } | { ok: false; errors: ProgrammeFileError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        path: "",
        line: e.linePos?.[0]?.line,
        message: (e.message.split("\n")[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ""),
      })),
    };
  }
  const result = programmeFileSchema.safeParse(doc.toJS());
  const lineOf: LineOf = (path) => {
    const offset = nodeAt(doc.contents, path)?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  if (result.success) return { ok: true, programme: withDefaults(result.data), lineOf };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => {
      const unknownKeys = issue.code === "unrecognized_keys" ? `: ${issue.keys.join(", ")}` : "";
      return {
        path: issue.path.join("."),
        line: lineOf(issue.path),
        message: `${issue.message}${unknownKeys}`,
      };
    }),
  };
}

/** A programme's stored settings read back as a definition; undefined when none were applied or they no longer parse. */
export function definitionFromSettings(settings: unknown): ProgrammeDefinition | undefined {
  if (settings === null || settings === undefined) return undefined;
  const result = programmeFileSchema.safeParse(settings);
  return result.success ? withDefaults(result.data) : undefined;
}
