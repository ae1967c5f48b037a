import { count } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../../db/client.js";
import { sessions } from "../../../db/schema.js";
import { createTestDatabase } from "../../../test/support/db.js";
import { programmeFixture } from "../../../test/support/fixtures.js";
import type { Card } from "../../core/card.js";
import { ManualClock } from "../../core/clock.js";
import type { Actor, Outcome } from "../../core/events.js";
import { applySeed } from "../participants/seed.js";
import { type Bot, createBot } from "./router.js";

const slack = (userId: string, locale?: string): Actor => ({
  platform: "slack",
  tenantId: "T0TEST",
  userId,
  ...(locale ? { locale } : {}),
});
const text = (outcome: Outcome) =>
  outcome.type === "reply" ? (outcome.card as Card).fallback : JSON.stringify(outcome);

describe("the bot core", () => {
  let handle: DatabaseHandle;
  let bot: Bot;
  const sessionCount = async () => (await handle.db.select({ n: count() }).from(sessions))[0]?.n;

  beforeEach(async () => {
    handle = await createTestDatabase();
    await applySeed(handle.db, programmeFixture);
    bot = createBot({ db: handle.db, clock: new ManualClock("2026-11-27T10:00:00Z") });
  });
  afterEach(() => handle.close());

  const command = (actor: Actor, line: string, deliveryId?: string) =>
    bot.handle({ type: "command", actor, origin: {}, text: line, ...(deliveryId ? { deliveryId } : {}) });

  it("records a one-line session and shows it to the mentor, the mentee and the coordinator", async () => {
    const reply = await command(slack("UMARC"), "log @lea 45m révision du CV; next: simulation d'entretien");
    expect(text(reply)).toBe("Séance notée avec Léa Petit : 27 nov. 2026, 45 min.");
    expect(await sessionCount()).toBe(1);
    expect(text(await command(slack("ULEA"), "sessions"))).toContain("Marc Dubois → Léa Petit · 45 min");
    expect(text(await command(slack("UCLAIRE"), "sessions"))).toContain("Séances récentes du programme Cohorte test");
    expect(text(await command(slack("UHUGO"), "sessions"))).toContain("Aucune séance notée");
  });

  it("answers in the platform's language first", async () => {
    const reply = await command(slack("UMARC", "en-US"), "log lea yesterday 1h30 mock interview");
    expect(text(reply)).toBe("Session with Léa Petit recorded: 26 Nov 2026, 1 h 30 min.");
  });

  it.each([
    ["log @lea abc CV", "« abc » n'est pas une durée. Écrivez par exemple `45m`, `1h` ou `1h30`."],
    ["log @lea 0 CV", "Une séance dure au moins 5 minutes. Écrivez par exemple `45m`."],
    ["log @lea 20h CV", "Une séance dure au plus 8 heures. Pour une journée entière, notez plusieurs séances."],
    ["log @lea 2026-12-01 45m CV", "La date est dans le futur. Notez la séance une fois qu'elle a eu lieu."],
    ["log @ines 45m CV", "« @ines » n'est pas l'un de vos mentorés. Vos mentorés : Hugo Moreau, Léa Petit."],
    [
      `log @lea 45m ${"x".repeat(5000)}`,
      "Sujets et prochaines étapes : 2000 caractères au plus. Raccourcissez votre texte.",
    ],
    ["dance", "Je ne connais pas « dance ». Tapez `/binome help` pour la liste des commandes."],
    ["", "Tapez `/binome help` pour voir ce que vous pouvez faire."],
  ])("refuses a bad command with one sentence and records nothing (%#)", async (line, expected) => {
    expect(text(await command(slack("UMARC"), line))).toBe(expected);
    expect(await sessionCount()).toBe(0);
  });

  it("refuses strangers and mentees who try to log", async () => {
    expect(text(await command(slack("UNOBODY"), "help"))).toMatch(/aucun programme binome/);
    expect(text(await command(slack("ULEA"), "log @hugo 45m CV"))).toMatch(/Seuls les mentors/);
    expect(await sessionCount()).toBe(0);
  });

  it("handles a delivery once", async () => {
    await command(slack("UMARC"), "log @lea 45m CV", "Ev1");
    const again = await command(slack("UMARC"), "log @lea 45m CV", "Ev1");
    expect(again.type).toBe("none");
    expect(await sessionCount()).toBe(1);
  });
});
