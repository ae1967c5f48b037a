import { afterAll, beforeAll, describe, expect } from "vitest";
import { decodePersonRef, encodePersonRef } from "../../src/core/ids.js";
import { contract, drivers, gapNote, identityOf, type RunningAdapter } from "./drivers.js";

describe.each(drivers)("$platform: a person's id survives the trip through the core", (driver) => {
  let adapter: RunningAdapter;
  beforeAll(async () => {
    adapter = await driver.start();
  });
  afterAll(() => adapter?.close());

  for (const c of driver.idCases) {
    contract(c.knownGap)(
      `${c.name}: the platform's payload → the core's person → a reference → the same address${gapNote(c.knownGap)}`,
      async () => {
        const event = await adapter.arrive(c.identity);
        expect(event.actor.platform).toBe(driver.platform);
        const ref = encodePersonRef(event.actor);
        expect(ref.startsWith(`${driver.platform}:`)).toBe(true);
        const back = decodePersonRef(ref);
        expect(back).toEqual(identityOf(event.actor));
        expect(await adapter.addressOf(back ?? event.actor)).toEqual(c.address);
      },
    );
  }

  for (const c of driver.samePerson) {
    contract(c.knownGap)(`${c.name} is one person to the core${gapNote(c.knownGap)}`, async () => {
      const first = await adapter.arrive(c.identities[0]);
      const second = await adapter.arrive(c.identities[1]);
      const key = (user: { platform: string; userId: string }) => ({ platform: user.platform, userId: user.userId });
      expect(key(decodePersonRef(encodePersonRef(second.actor))!)).toEqual(
        key(decodePersonRef(encodePersonRef(first.actor))!),
      );
    });
  }
});
