import type { PlatformUser } from "../../src/core/ids.js";
import type { TeamsAccount, TeamsActivity } from "./activity.js";

/**
 * The tenant of an activity. Teams puts it in `conversation.tenantId` for chats and in
 * `channelData.tenant.id` for every activity; channel conversations often lack the former.
 */
export function tenantOf(activity: Pick<TeamsActivity, "conversation" | "channelData">): string | undefined {
  const tenant = activity.conversation?.tenantId ?? activity.channelData?.tenant?.id ?? undefined;
  return tenant === undefined ? undefined : canonicalGuid(tenant);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** GUIDs compare without case; Teams sends them either way, so binome stores them in lower case. */
export function canonicalGuid(id: string): string {
  return GUID.test(id) ? id.toLowerCase() : id;
}

/**
 * The core's person for a Teams account: the AAD object id, which is the same in every conversation,
 * rather than the per-app `29:…` id. Local tools that send no AAD id fall back to the account id.
 */
export function teamsUserOf(account: TeamsAccount, tenantId: string | undefined): PlatformUser {
  const userId = account.aadObjectId ? canonicalGuid(account.aadObjectId) : account.id;
  return tenantId ? { platform: "teams", tenantId, userId } : { platform: "teams", userId };
}

/** The Teams account that addresses a core person in a new conversation (Teams accepts the AAD object id). */
export function teamsAccountOf(user: PlatformUser): TeamsAccount & { tenantId?: string } {
  if (user.platform !== "teams") throw new Error(`not a Teams user: ${user.platform}`);
  return user.tenantId
    ? { id: user.userId, aadObjectId: user.userId, tenantId: user.tenantId }
    : { id: user.userId, aadObjectId: user.userId };
}
