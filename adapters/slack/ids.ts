import type { PlatformUser } from "../../src/core/ids.js";

/** The core's view of a Slack user from a payload's team and user ids. */
export function slackUser(teamId: string | undefined, userId: string): PlatformUser {
  return teamId ? { platform: "slack", tenantId: teamId, userId } : { platform: "slack", userId };
}

/** The Slack user id to address for a core user (Slack user ids are unique across workspaces). */
export function slackUserId(user: PlatformUser): string {
  if (user.platform !== "slack") throw new Error(`not a Slack user: ${user.platform}`);
  return user.userId;
}

/**
 * Rewrites Slack's escaped user mentions (`<@U123|lea>`, `<@U123>`) into the core's neutral
 * mention `<@slack:T1:U123>`, so that the core resolves the person by their identity.
 */
export function neutralMentions(text: string, teamId: string | undefined): string {
  return text.replace(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g, (_whole, id: string) => `<@slack:${teamId ?? ""}:${id}>`);
}

/** Slack's channel id from a neutral channel reference (`slack:C123`) or a bare id. */
export function slackChannelId(channel: string): string {
  return channel.startsWith("slack:") ? channel.slice("slack:".length) : channel;
}
