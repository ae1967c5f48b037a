import { describe, expect, it } from "vitest";
import { decodePersonRef, encodePersonRef, type PlatformUser } from "./ids.js";

describe("person references", () => {
  it.each<PlatformUser>([
    { platform: "slack", tenantId: "T123", userId: "U456" },
    {
      platform: "teams",
      tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      userId: "8c1e6f0e-2b1d-4d3a-9a57-1f0d3c2b4a11",
    },
    { platform: "playground", userId: "lea" },
  ])("round-trip %o", (user) => {
    expect(decodePersonRef(encodePersonRef(user))).toEqual(user);
  });

  it("reads the documented form", () => {
    expect(encodePersonRef({ platform: "slack", tenantId: "T123", userId: "U456" })).toBe("slack:T123:U456");
  });

  it.each(["", "slack", "slack:U1", "irc:T:U", "slack:T:"])("rejects %j", (ref) => {
    expect(decodePersonRef(ref)).toBeUndefined();
  });

  it("refuses a user id that would break the format", () => {
    expect(() => encodePersonRef({ platform: "teams", userId: "29:abc" })).toThrow(/cannot contain/);
  });
});
