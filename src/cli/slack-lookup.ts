import type { webApi } from "@slack/bolt";

const quietLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => "error",
  setName: () => {},
} as unknown as webApi.Logger;

/**
 * Finds Slack user ids by email with `users.lookupByEmail`. An unknown email gives undefined;
 * any other failure throws, after two retries (the client's default policy retries for ~30 minutes).
 */
export async function slackLookupByEmail(options: {
  token: string;
  apiUrl: string;
}): Promise<(email: string) => Promise<string | undefined>> {
  // Loaded only when a token is set: Bolt is slow to import and most imports do not need it.
  const { webApi: slack } = await import("@slack/bolt");
  const client = new slack.WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    logger: quietLogger,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
    timeout: 10_000,
  });
  return async (email) => {
    try {
      const answer = await client.users.lookupByEmail({ email });
      return answer.user?.id;
    } catch (error) {
      const platformError = (error as { data?: { error?: string } }).data?.error;
      if (platformError === "users_not_found") return undefined;
      throw new Error(platformError ?? (error as Error).message);
    }
  };
}
