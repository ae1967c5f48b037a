import { createHmac } from "node:crypto";

/** Signs a request body as Slack does: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}`. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SendOptions {
  /** Seconds since the epoch; now by default. */
  timestamp?: number;
  /** Overrides the computed signature (forgeries). */
  signature?: string;
  /** Slack's retry headers. */
  retryNum?: number;
}

/** POSTs a body to a binome Slack endpoint, signed with `secret`, as Slack would. */
export async function postSigned(
  url: string,
  secret: string,
  body: string,
  contentType: string,
  options: SendOptions = {},
) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    "content-type": contentType,
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": options.signature ?? slackSignature(secret, timestamp, body),
  };
  if (options.retryNum !== undefined) {
    headers["x-slack-retry-num"] = String(options.retryNum);
    headers["x-slack-retry-reason"] = "http_timeout";
  }
  const response = await fetch(url, { method: "POST", headers, body });
  return { status: response.status, text: await response.text() };
}

/** The form body Slack sends for `/binome <text>`. */
export function slashCommandBody(fields: {
  teamId?: string;
  userId: string;
  text: string;
  responseUrl: string;
  triggerId?: string;
  channelId?: string;
}): string {
  return new URLSearchParams({
    token: "legacy-verification-token",
    team_id: fields.teamId ?? "T0TEST",
    team_domain: "test",
    channel_id: fields.channelId ?? "C0GENERAL",
    channel_name: "general",
    user_id: fields.userId,
    user_name: fields.userId.toLowerCase(),
    command: "/binome",
    text: fields.text,
    api_app_id: "A0BINOME",
    is_enterprise_install: "false",
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId ?? `trigger-${fields.userId}-${Date.now()}`,
  }).toString();
}

/** The form body of an interactivity payload (view submissions, button clicks). */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** An Events API envelope for a DM message to the bot. */
export function dmEventBody(fields: {
  eventId: string;
  userId: string;
  text: string;
  teamId?: string;
  channel?: string;
  ts?: string;
}): string {
  return JSON.stringify({
    token: "legacy-verification-token",
    team_id: fields.teamId ?? "T0TEST",
    api_app_id: "A0BINOME",
    type: "event_callback",
    event_id: fields.eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: fields.teamId ?? "T0TEST", user_id: "UBOT", is_bot: true }],
    event: {
      type: "message",
      channel_type: "im",
      channel: fields.channel ?? `D${fields.userId.slice(1)}`,
      user: fields.userId,
      text: fields.text,
      ts: fields.ts ?? `${Math.floor(Date.now() / 1000)}.000200`,
      event_ts: fields.ts ?? `${Math.floor(Date.now() / 1000)}.000200`,
    },
  });
}
