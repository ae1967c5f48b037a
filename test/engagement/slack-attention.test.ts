import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox, participants, programmes } from "../../db/schema.js";
import { parseProgrammeFile } from "../../src/features/programmes/programme-file.js";
import type { SlackCall } from "../support/fake-slack.js";
import { buttonsOf, type Journey, startJourney } from "./slack-journey.js";

const HOUR = 3_600_000;

/** Paris wall clock of an instant: weekday, `YYYY-MM-DD`, `HH:MM`. */
function paris(at: Date): { weekday: string; date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Paris",
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    weekday: parts.weekday as string,
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
  };
}

/** The Monday (Paris date) opening the ISO week of an instant. */
function mondayOf(at: Date): string {
  const { date } = paris(at);
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/** A message binome posted on its own initiative, with the instant the clock showed. */
interface Delivery {
  at: Date;
  to: string;
  call: SlackCall;
}

const isCheckin = (call: SlackCall) => buttonsOf(call).some((b) => b.action_id === "checkin.answer");

/**
 * Runs the engagement loop every hour from `from` to `to` (as a cron would, but coarser), skipping
 * the hours `down` says binome was not running; returns every message posted, with when.
 */
async function runHourly(j: Journey, from: string, to: string, down: (at: Date) => boolean = () => false) {
  const deliveries: Delivery[] = [];
  for (let at = Date.parse(from); at <= Date.parse(to); at += HOUR) {
    if (down(new Date(at))) continue;
    for (const call of await j.tick(new Date(at).toISOString())) {
      if (call.method === "chat.postMessage")
        deliveries.push({ at: new Date(at), to: String(call.args.channel), call });
    }
  }
  return deliveries;
}

describe("attention over Slack: pause, resume and stop", () => {
  let j: Journey;
  const pausedUntil = async (key: string) =>
    (
      await j.slack.db.db
        .select({ until: participants.pausedUntil })
        .from(participants)
        .where(eq(participants.id, j.ids[key] as string))
    )[0]?.until ?? null;

  beforeAll(async () => {
    j = await startJourney();
    await j.tick("2026-11-27T10:15:00Z");
  });
  afterAll(() => j.close());

  it("confirms /binome pause 2w with the date it ends", async () => {
    expect(await (await j.slack.command("ULEA", "pause 2w")).reply()).toBe(
      "C'est noté : pas de point d'étape ni de relance avant le 11 déc. 2026. `/binome resume` pour reprendre plus tôt.",
    );
    expect((await pausedUntil("lea"))?.toISOString()).toBe("2026-12-11T10:15:00.000Z");
  });

  it.each([
    ["pause 3x", "Je ne comprends pas la durée « 3x ». Écrivez par exemple 2w, 10j ou 1 mois."],
    ["pause 0d", "Une pause doit durer au moins un jour. Écrivez par exemple `/binome pause 1w`."],
    ["pause 9 mois", "Une pause dure au plus 6 mois. Pour arrêter tout à fait, tapez `/binome stop`."],
    ["pause", "Indiquez une durée, par exemple `/binome pause 2w` (2 semaines) ou `/binome pause 10j`."],
  ])("answers `/binome %s` with one sentence and keeps the pause as it was", async (text, sentence) => {
    expect(await (await j.slack.command("ULEA", text)).reply()).toBe(sentence);
    expect((await pausedUntil("lea"))?.toISOString()).toBe("2026-12-11T10:15:00.000Z");
    expect(await (await j.slack.command("UHUGO", text)).reply()).toBe(sentence);
    expect(await pausedUntil("hugo")).toBeNull();
  });

  it("lifts a pause with /binome resume", async () => {
    await (await j.slack.command("UHUGO", "pause 3 semaines")).reply();
    expect(await pausedUntil("hugo")).not.toBeNull();
    expect(await (await j.slack.command("UHUGO", "resume")).reply()).toBe(
      "C'est reparti : binome vous écrira de nouveau, avec modération.",
    );
    expect(await pausedUntil("hugo")).toBeNull();
  });

  it("stops everything for a person with /binome stop, in their language", async () => {
    expect(await (await j.slack.command("UINES", "stop")).reply()).toBe(
      "Noted: no more check-ins or reminders. Your sessions stay recorded. `/binome resume` to come back.",
    );
  });

  it("holds a paused person's check-in until the pause ends, cancels an opted-out one, sends the others", async () => {
    // 09:30 in Paris on the day the first check-ins are due.
    const morning = await j.tick("2026-12-11T08:30:00Z");
    expect([...j.checkinsIn(morning).keys()]).toEqual(["UHUGO"]);
    expect(j.dmsTo("ULEA", morning)).toEqual([]);
    expect(j.dmsTo("UINES", morning)).toEqual([]);
    const [inesCheckin] = await j.slack.db.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.recipientId, j.ids.ines as string), eq(outbox.kind, "checkin")));
    expect(inesCheckin?.kind).toBe("checkin");
    expect(inesCheckin?.status).toBe("cancelled");

    expect(j.dmsTo("ULEA", await j.tick("2026-12-11T10:00:00Z")), "still paused at 11:00").toEqual([]);
    const afterPause = await j.tick("2026-12-11T10:15:00Z");
    expect([...j.checkinsIn(afterPause).keys()]).toEqual(["ULEA"]);
    expect(j.checkinsIn(afterPause).get("ULEA")?.args.text).toBe(
      "Bonjour ! Avez-vous échangé avec Marc depuis le 27 nov. 2026 ?",
    );
  });

  it("writes again to someone who stopped and then resumed", async () => {
    expect(await (await j.slack.command("UINES", "resume")).reply()).toBe(
      "Welcome back: binome will write to you again, sparingly.",
    );
    // The next round falls on Christmas Day; it goes on Monday 28 December.
    await j.tick("2026-12-25T10:00:00Z");
    const monday = await j.tick("2026-12-28T08:00:00Z");
    expect([...j.checkinsIn(monday).keys()].sort()).toEqual(["UHUGO", "UINES", "ULEA"]);
  });
});

describe("attention over Slack: two unsolicited messages a week at most", () => {
  let j: Journey;
  let deliveries: Delivery[];

  beforeAll(async () => {
    j = await startJourney();
    const parsed = parseProgrammeFile(
      [
        "slug: cohorte-test",
        "name: Cohorte test",
        "start: 2026-09-01",
        "end: 2027-06-30",
        "checkIns:",
        "  every: 1w",
      ].join("\n"),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    await j.slack.db.db.update(programmes).set({ settings: parsed.programme });
    deliveries = await runHourly(j, "2026-11-27T11:00:00Z", "2026-12-11T09:00:00Z");
  });
  afterAll(() => j.close());

  it("lets a coordinator's nudge wait for next Monday when Léa had her two messages this week", async () => {
    // Friday 11 December: Léa got her weekly check-in and the ladder's 14-day reminder this morning.
    const thisWeek = deliveries.filter((d) => d.to === "ULEA" && mondayOf(d.at) === "2026-12-07");
    expect(thisWeek).toHaveLength(2);
    expect(await (await j.slack.command("UCLAIRE", "nudge <@ULEA>")).reply()).toBe(
      "Relance envoyée à Marc Dubois et Léa Petit, pendant leurs heures de travail et dans la limite de 2 messages par semaine.",
    );
    deliveries.push(...(await runHourly(j, "2026-12-11T10:00:00Z", "2026-12-31T23:00:00Z")));

    const nudge = deliveries.filter((d) => d.to === "ULEA" && d.at >= new Date("2026-12-11T10:00:00Z"))[0];
    expect(nudge?.call.args.text).toMatch(/^Cela fait \d+ jours sans échange avec Marc\./);
    expect(paris(nudge?.at as Date)).toEqual({ weekday: "Mon", date: "2026-12-14", time: "09:00" });
  });

  it("never sends anyone more than two check-ins and nudges in one ISO week", async () => {
    const perWeek = new Map<string, number>();
    for (const d of deliveries.filter((d) => d.to.startsWith("U"))) {
      const key = `${d.to} ${mondayOf(d.at)}`;
      perWeek.set(key, (perWeek.get(key) ?? 0) + 1);
    }
    expect(Math.max(...perWeek.values())).toBe(2);
    // Weekly check-ins still reach the mentees: one for each week of the run, held ones included.
    const leaCheckins = deliveries.filter((d) => d.to === "ULEA" && isCheckin(d.call));
    expect(leaCheckins.map((d) => paris(d.at).date)).toEqual(["2026-12-04", "2026-12-11", "2026-12-18", "2026-12-28"]);
  });

  it("sends nothing to a person outside working hours, on a weekend or on a French public holiday", async () => {
    for (const d of deliveries.filter((d) => d.to.startsWith("U"))) {
      const local = paris(d.at);
      expect(["Mon", "Tue", "Wed", "Thu", "Fri"], `${d.to} at ${d.at.toISOString()}`).toContain(local.weekday);
      expect(local.time >= "09:00" && local.time < "18:00", `${d.to} at ${d.at.toISOString()}`).toBe(true);
      expect(local.date).not.toBe("2026-12-25");
    }
  });
});

describe("attention over Slack: quiet hours, weekends and public holidays", () => {
  let j: Journey;
  let deliveries: Delivery[];
  const checkinTimes = (user: string) =>
    deliveries.filter((d) => d.to === user && isCheckin(d.call)).map((d) => d.at.toISOString());

  beforeAll(async () => {
    // Léa's pair was made on a Friday, Hugo's on a Saturday, Inès's on a Wednesday.
    j = await startJourney({
      pairedAt: { lea: "2026-11-27T10:00:00Z", hugo: "2026-11-28T10:00:00Z", ines: "2026-11-25T10:00:00Z" },
    });
    // binome is down on Wednesday 9 December until 22:00 in Paris, when Inès's check-in is due.
    const down = (at: Date) => at >= new Date("2026-12-08T23:00:00Z") && at < new Date("2026-12-09T21:00:00Z");
    deliveries = await runHourly(j, "2026-11-28T11:00:00Z", "2026-12-29T12:00:00Z", down);
  });
  afterAll(() => j.close());

  it("sends a check-in due at 22:00 in Paris at 09:00 the next working day", () => {
    expect(checkinTimes("UINES")[0]).toBe("2026-12-10T08:00:00.000Z");
  });

  it("sends a check-in due on a Saturday on Monday at 09:00", () => {
    expect(checkinTimes("UHUGO")[0]).toBe("2026-12-14T08:00:00.000Z");
  });

  it("skips Christmas Day: the check-in due then goes on the next working day, Monday 28 December", () => {
    expect(checkinTimes("ULEA")).toEqual(["2026-12-11T08:00:00.000Z", "2026-12-28T08:00:00.000Z"]);
  });

  it("posts nothing to anyone on a weekend, at night or on Christmas Day", () => {
    for (const d of deliveries) {
      const local = paris(d.at);
      const where = `${d.to} at ${d.at.toISOString()}: ${String(d.call.args.text)}`;
      expect(["Sat", "Sun"], where).not.toContain(local.weekday);
      expect(local.time >= "09:00" && local.time < "18:00", where).toBe(true);
      expect(local.date, where).not.toBe("2026-12-25");
    }
  });
});
