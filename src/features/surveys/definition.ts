import { parseDocument } from "yaml";
import { z } from "zod";

/** Ids travel inside button values split on `:`, so they are short slugs without one. */
const slug = z
  .string({ error: "an id is required" })
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "lowercase letters, digits, `-` and `_`, at most 40 characters");

function text(language: "French" | "English", max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `${language} text is missing` : `${language} text`) })
    .trim()
    .min(1, `${language} text is empty`)
    .max(max, `${language} text longer than ${max} characters`);
}

/** A sentence in both languages binome speaks; neither may be left out. */
const localized = (max: number) => z.object({ fr: text("French", max), en: text("English", max) }).strict();

export type LocalizedText = z.infer<ReturnType<typeof localized>>;

export const CONDITION_OPS = ["<=", ">=", "=", "!="] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/** `askIf: {question: satisfaction, op: "<=", value: 2}`; `value: yes`/`true` for a yes/no question. */
const conditionSchema = z
  .object({
    question: slug,
    op: z.enum(CONDITION_OPS, { error: `one of ${CONDITION_OPS.join(" ")}` }),
    value: z
      .union([z.number().int(), z.string().trim().min(1), z.boolean()], { error: "a number, an option id, yes or no" })
      .transform((v) => (typeof v === "boolean" ? (v ? "yes" : "no") : String(v))),
  })
  .strict();

export type Condition = z.infer<typeof conditionSchema>;

const common = {
  id: slug,
  text: localized(500),
  /** Shown as "(optional)"; any question may be skipped, this only says that skipping is expected. */
  optional: z.boolean().default(false),
  askIf: conditionSchema.optional(),
};

const scaleQuestion = z
  .object({
    ...common,
    kind: z.literal("scale"),
    min: z.number().int().min(0).max(1).default(1),
    max: z.number().int().min(2).max(10).default(5),
    /** Labels for the two ends, or one per point. */
    labels: z.object({ fr: z.array(text("French", 60)).min(2), en: z.array(text("English", 60)).min(2) }).strict(),
  })
  .strict();

const choiceQuestion = z
  .object({
    ...common,
    kind: z.literal("choice"),
    options: z
      .array(z.object({ id: slug, fr: text("French", 150), en: text("English", 150) }).strict())
      .min(2, "at least two options")
      .max(10, "at most ten options"),
  })
  .strict();

const yesNoQuestion = z
  .object({
    ...common,
    kind: z.literal("yesno"),
    /** A "yes" tells the coordinator that something is wrong. */
    raisesDifficulty: z.boolean().default(false),
  })
  .strict();

const textQuestion = z
  .object({
    ...common,
    kind: z.literal("text"),
    /** Any answer tells the coordinator that something is wrong. */
    raisesDifficulty: z.boolean().default(false),
  })
  .strict();

const QUESTION_KINDS = ["scale", "choice", "yesno", "text"] as const;

const questionSchema = z.discriminatedUnion("kind", [scaleQuestion, choiceQuestion, yesNoQuestion, textQuestion], {
  error: (issue) => (issue.code === "invalid_union" ? `kind must be one of ${QUESTION_KINDS.join(", ")}` : undefined),
});

export type SurveyQuestion = z.infer<typeof questionSchema>;
export type QuestionKind = SurveyQuestion["kind"];
export type ScaleQuestion = z.infer<typeof scaleQuestion>;
export type ChoiceQuestion = z.infer<typeof choiceQuestion>;

/** Why a condition cannot refer to `target`, or undefined when it can. */
function conditionProblem(condition: Condition, target: SurveyQuestion): string | undefined {
  const { op, value } = condition;
  switch (target.kind) {
    case "text":
      return `"${target.id}" is a text question; a condition can only test a scale, choice or yes/no answer`;
    case "scale": {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < target.min || n > target.max)
        return `value must be a whole number from ${target.min} to ${target.max}, the scale of "${target.id}"`;
      return undefined;
    }
    case "yesno":
      if (op !== "=" && op !== "!=") return `"${target.id}" is a yes/no question: use = or !=`;
      return value === "yes" || value === "no" ? undefined : "value must be yes or no";
    case "choice":
      if (op !== "=" && op !== "!=") return `"${target.id}" is a choice question: use = or !=`;
      return target.options.some((o) => o.id === value)
        ? undefined
        : `value must be one of the options of "${target.id}": ${target.options.map((o) => o.id).join(", ")}`;
  }
}

/** A survey as a coordinator writes it in YAML or JSON. */
export const surveyDefinitionSchema = z
  .object({
    id: slug,
    title: localized(150),
    /** Said once, above the first question: how long it takes and who reads the answers. */
    intro: localized(500).optional(),
    audience: z.enum(["mentee", "mentor"], { error: "mentee or mentor" }),
    questions: z.array(questionSchema).min(1, "at least one question").max(20, "at most 20 questions"),
  })
  .strict()
  .superRefine((survey, ctx) => {
    const seen = new Map<string, number>();
    survey.questions.forEach((question, index) => {
      if (seen.has(question.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["questions", index, "id"],
          message: `duplicate question id "${question.id}" (already used by question ${(seen.get(question.id) ?? 0) + 1})`,
        });
      } else {
        seen.set(question.id, index);
      }
      if (question.kind === "scale") {
        if (question.max <= question.min)
          ctx.addIssue({ code: "custom", path: ["questions", index, "max"], message: "max must be above min" });
        const points = question.max - question.min + 1;
        for (const lang of ["fr", "en"] as const) {
          const count = question.labels[lang].length;
          if (count !== 2 && count !== points)
            ctx.addIssue({
              code: "custom",
              path: ["questions", index, "labels", lang],
              message: `two labels (the ends) or ${points} (one per point), not ${count}`,
            });
        }
        if (question.labels.fr.length !== question.labels.en.length)
          ctx.addIssue({
            code: "custom",
            path: ["questions", index, "labels"],
            message: "as many English labels as French ones",
          });
      }
      if (question.kind === "choice") {
        const ids = question.options.map((o) => o.id);
        ids.forEach((id, i) => {
          if (ids.indexOf(id) !== i)
            ctx.addIssue({
              code: "custom",
              path: ["questions", index, "options", i, "id"],
              message: `duplicate option id "${id}"`,
            });
        });
      }
      const condition = question.askIf;
      if (!condition) return;
      const targetIndex = survey.questions.findIndex((q) => q.id === condition.question);
      const where = ["questions", index, "askIf", "question"];
      if (targetIndex < 0) {
        ctx.addIssue({ code: "custom", path: where, message: `unknown question "${condition.question}"` });
      } else if (targetIndex >= index) {
        ctx.addIssue({
          code: "custom",
          path: where,
          message: `"${condition.question}" is not an earlier question: a condition can only refer to a question asked before "${question.id}"`,
        });
      } else {
        const problem = conditionProblem(condition, survey.questions[targetIndex] as SurveyQuestion);
        if (problem) ctx.addIssue({ code: "custom", path: ["questions", index, "askIf"], message: problem });
      }
    });
  });

export type SurveyDefinition = z.infer<typeof surveyDefinitionSchema>;
/** A survey as written, before defaults are filled in. */
export type SurveyDefinitionInput = z.input<typeof surveyDefinitionSchema>;

/** Parses and validates a survey written in YAML or JSON; each error starts with the field's dotted path. */
export function parseSurveyDefinition(
  source: string,
): { ok: true; survey: SurveyDefinition } | { ok: false; errors: string[] } {
  // JSON is YAML 1.2, so one parser reads both and reports syntax errors with their line.
  const doc = parseDocument(source, { prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const message = (e.message.split("\n")[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, "");
        const line = e.linePos?.[0]?.line;
        return line === undefined ? message : `line ${line}: ${message}`;
      }),
    };
  }
  return validateSurveyDefinition(doc.toJS());
}

/** Validates a survey already read into plain data; each error starts with the field's dotted path. */
export function validateSurveyDefinition(
  value: unknown,
): { ok: true; survey: SurveyDefinition } | { ok: false; errors: string[] } {
  const result = surveyDefinitionSchema.safeParse(value);
  if (result.success) return { ok: true, survey: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) =>
      issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
    ),
  };
}
