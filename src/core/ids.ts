/** Platforms binome talks through. The playground is a platform like the others. */
export const PLATFORMS = ["slack", "teams", "playground"] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * A person as a platform knows them. `userId` is the platform's own id (Slack `U…`,
 * Teams AAD object id, playground handle); `tenantId` is the workspace or tenant when known.
 */
export interface PlatformUser {
  platform: Platform;
  tenantId?: string;
  userId: string;
}

/** Opaque, prefixed form of a platform user: `slack:T123:U456`, `teams:<tenant>:<aad>`, `playground::lea`. */
export type PersonRef = string;

const SEPARATOR = ":";

/** Encodes a platform user as a prefixed string. Empty tenant stays an empty segment. */
export function encodePersonRef(user: PlatformUser): PersonRef {
  if (user.userId.includes(SEPARATOR)) {
    throw new Error(`a ${user.platform} user id cannot contain ':' (${user.userId})`);
  }
  return [user.platform, user.tenantId ?? "", user.userId].join(SEPARATOR);
}

/** Decodes a prefixed person reference; returns undefined when it is not one. */
export function decodePersonRef(ref: string): PlatformUser | undefined {
  const first = ref.indexOf(SEPARATOR);
  const last = ref.lastIndexOf(SEPARATOR);
  if (first < 0 || first === last) return undefined;
  const platform = ref.slice(0, first);
  const tenantId = ref.slice(first + 1, last);
  const userId = ref.slice(last + 1);
  if (!(PLATFORMS as readonly string[]).includes(platform) || userId === "") return undefined;
  return tenantId === ""
    ? { platform: platform as Platform, userId }
    : { platform: platform as Platform, tenantId, userId };
}
