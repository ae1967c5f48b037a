import { z } from "zod";
import { ConfigError } from "./core/errors.js";

const flag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

/** The environment binome reads, and nothing else. Names are a contract with operators. */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: optionalString,
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "a postgres:// or postgresql:// URL")
      .optional(),
  ),
  DATA_DIR: optionalString.transform((v) => v ?? "./data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SLACK_BOT_TOKEN: optionalString.pipe(z.string().startsWith("xoxb-", "a bot token starting with xoxb-").optional()),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.pipe(
    z.string().startsWith("xapp-", "an app-level token starting with xapp-").optional(),
  ),
  SLACK_API_URL: z.string().url("a URL such as https://slack.com/api/").default("https://slack.com/api/"),
  TEAMS_APP_ID: optionalString,
  TEAMS_APP_PASSWORD: optionalString,
  TEAMS_TENANT_ID: optionalString,
  TEAMS_DEV_NO_AUTH: flag,
  PLAYGROUND: z.enum(["auto", "on", "off"]).default("auto"),
  /** How often the outbox worker looks for due messages (it also runs at once when a feature writes one). */
  OUTBOX_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** How long the outbox worker's claim on a row lasts; after it, another process takes over a row a dead one held. */
  OUTBOX_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(300_000),
  /** The node-cron heartbeat that runs scheduled tasks; off for a replica that should only serve requests. */
  SCHEDULER: z.enum(["on", "off"]).default("on"),
});

export type Env = z.infer<typeof envSchema> & {
  /** Which chat front doors are open, derived from the credentials present. */
  slack: "http" | "socket" | undefined;
  playground: boolean;
};

/** Parses the environment once; a bad value stops with a message naming the variable and what it expects. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = issue.path.join(".");
      return `  ${name}: ${issue.message} (got ${JSON.stringify(source[name] ?? "")})`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = result.data;
  const problems: string[] = [];
  const hasSlack = Boolean(env.SLACK_BOT_TOKEN || env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN);
  if (hasSlack && !env.SLACK_BOT_TOKEN) problems.push("  SLACK_BOT_TOKEN: required when any SLACK_* credential is set");
  if (hasSlack && !env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
    problems.push("  SLACK_SIGNING_SECRET: required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)");
  }
  if (env.TEAMS_APP_ID && !env.TEAMS_APP_PASSWORD) {
    problems.push("  TEAMS_APP_PASSWORD: required when TEAMS_APP_ID is set");
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join("\n")}`);

  const slack = !hasSlack ? undefined : env.SLACK_APP_TOKEN ? "socket" : "http";
  const hasTeams = Boolean(env.TEAMS_APP_ID || env.TEAMS_DEV_NO_AUTH);
  const playground = env.PLAYGROUND === "on" || (env.PLAYGROUND === "auto" && !slack && !hasTeams);
  return { ...env, slack, playground };
}
