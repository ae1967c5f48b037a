import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client.js";
import { participants, programmes } from "../../db/schema.js";
import { ManualClock } from "../../src/core/clock.js";
import { seedDemoProfiles } from "../../src/features/demo/demo-profiles.js";
import { seedDemoIfEmpty } from "../../src/features/demo/demo-programme.js";
import { profilesForProgramme } from "../../src/features/enrolment/enrolment.repository.js";
import { proposeMatches } from "../../src/features/matching/matching.js";
import { applySeed } from "../../src/features/participants/seed.js";
import { createTestDatabase } from "../support/db.js";
import { programmeFixture } from "../support/fixtures.js";

describe("the demo programme's profiles", () => {
  let handle: DatabaseHandle;
  const clock = new ManualClock("2026-11-27T10:00:00Z");
  beforeEach(async () => {
    handle = await createTestDatabase();
  });
  afterEach(() => handle.close());

  it("gives every demo person a profile once, and matching pairs them sensibly", async () => {
    await seedDemoIfEmpty(handle.db);
    expect(await seedDemoProfiles(handle.db, clock)).toBe(8);
    expect(await seedDemoProfiles(handle.db, clock)).toBe(0);
    const [programme] = await handle.db.select().from(programmes);
    expect(programme).toMatchObject({
      startsOn: "2026-10-28",
      endsOn: "2027-07-25",
      coordinatorChannel: "playground:coordinateurs",
    });

    const all = await profilesForProgramme(handle.db, programme?.id ?? "");
    const names = new Map((await handle.db.select().from(participants)).map((p) => [p.id, p.name.split(" ")[0]]));
    const proposal = proposeMatches({
      mentors: all.filter((p) => p.role === "mentor"),
      mentees: all.filter((p) => p.role === "mentee"),
      at: clock.now(),
    });
    const pairs = proposal.pairs.map((p) => `${names.get(p.mentorId)}→${names.get(p.menteeId)}`).sort();
    expect(pairs).toEqual(["Nadia→Camille", "Nadia→Inès", "Sophie→Lucas", "Thomas→Hugo", "Thomas→Léa"]);
  });

  it("leaves a database without the demo programme alone", async () => {
    await applySeed(handle.db, programmeFixture);
    expect(await seedDemoProfiles(handle.db, clock)).toBe(0);
    expect((await handle.db.select().from(programmes)).map((p) => p.settings)).toEqual([null]);
  });
});
