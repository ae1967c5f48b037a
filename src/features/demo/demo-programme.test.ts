import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../../db/client.js";
import { createTestDatabase } from "../../../test/support/db.js";
import { programmeFixture } from "../../../test/support/fixtures.js";
import { ManualClock } from "../../core/clock.js";
import type { Outcome } from "../../core/events.js";
import { createBot } from "../commands/router.js";
import { applySeed } from "../participants/seed.js";
import { seedDemoIfEmpty } from "./demo-programme.js";

const text = (outcome: Outcome) => (outcome.type === "reply" ? outcome.card.fallback : outcome.type);

describe("the demo programme", () => {
  let handle: DatabaseHandle;
  beforeEach(async () => {
    handle = await createTestDatabase();
  });
  afterEach(() => handle.close());

  const as = (userId: string, line: string) =>
    createBot({ db: handle.db, clock: new ManualClock("2026-11-27T10:00:00Z") }).handle({
      type: "command",
      actor: { platform: "playground", userId },
      origin: {},
      text: line,
    });

  it("lets a newcomer act as its mentors on an empty database", async () => {
    expect(await seedDemoIfEmpty(handle.db)).toBe(true);
    expect(text(await as("thomas", "log camille 45m CV"))).toBe(
      "« camille » n'est pas l'un de vos mentorés. Vos mentorés : Hugo Moreau, Léa Petit.",
    );
    expect(text(await as("nadia", "log ines 1h portfolio"))).toBe(
      "Séance notée avec Inès Laurent : 27 nov. 2026, 1 h.",
    );
    expect(text(await as("claire", "sessions"))).toContain("Nadia Benali → Inès Laurent · 1 h");
  });

  it("leaves a database that already holds a programme alone", async () => {
    await applySeed(handle.db, programmeFixture);
    expect(await seedDemoIfEmpty(handle.db)).toBe(false);
    expect(text(await as("claire", "sessions"))).toMatch(/aucun programme binome/);
    expect(await seedDemoIfEmpty(handle.db)).toBe(false);
  });
});
