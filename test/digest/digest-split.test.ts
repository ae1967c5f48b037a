import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMessage as renderSlack, SLACK_LIMITS } from "../../adapters/slack/render.js";
import { renderMessage as renderTeams } from "../../adapters/teams/renderer.js";
import type { DatabaseHandle } from "../../db/client.js";
import { outbox, pairs } from "../../db/schema.js";
import type { Card } from "../../src/core/card.js";
import { ManualClock } from "../../src/core/clock.js";
import { createBot } from "../../src/features/commands/router.js";
import { writeDueDigests } from "../../src/features/digest/digest.task.js";
import { createTestDatabase } from "../support/db.js";
import { cardText, DIGEST_AT, seedProgramme, slackActor, WEEK } from "./seed.js";

/** Teams takes about 28 KB per message: each part must stay well under it. */
const TEAMS_BUDGET = 24 * 1024;
const PAIRS = 300;

describe(`a digest with ${PAIRS} pairs needing attention`, () => {
  let handle: DatabaseHandle;
  let cards: Card[];
  let dueAts: Date[];

  beforeAll(async () => {
    handle = await createTestDatabase();
    const { programme } = await seedProgramme(handle.db, { extraPairs: PAIRS });
    // Every generated pair has been quiet since some day of October.
    await handle.db.execute(sql`
      update pairs set last_activity_on = date '2026-10-01' + (abs(hashtext(id::text)) % 30)
      where programme_id = ${programme.id} and mentee_id in (select id from participants where email like 'e%')`);
    const keys = await writeDueDigests(handle.db, DIGEST_AT);
    expect(keys.length).toBeGreaterThan(1);
    const rows = await handle.db
      .select()
      .from(outbox)
      .where(sql`${outbox.key} like ${`digest:cohorte-test:${WEEK}:%`}`)
      .orderBy(outbox.id);
    expect(rows.map((r) => r.key)).toEqual(keys);
    expect(keys).toEqual(keys.map((_, i) => `digest:cohorte-test:${WEEK}:${i + 1}`));
    cards = rows.map((r) => (r.payload as { card: Card }).card);
    dueAts = rows.map((r) => r.dueAt);
  });
  afterAll(() => handle.close());

  it("is split into parts that each fit Block Kit's limits, without Slack cutting anything", () => {
    for (const card of cards) {
      const message = renderSlack(card);
      expect(card.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
      // The renderer cuts a card over 50 blocks: the rendered count equals the card's.
      expect(message.blocks).toHaveLength(card.blocks.length);
      for (const block of message.blocks) {
        const text = (block.text as { text?: string } | undefined)?.text;
        if (text !== undefined) expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
        if (block.type === "header") expect(text?.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
        if (block.type === "actions") {
          expect((block.elements as unknown[]).length).toBeLessThanOrEqual(SLACK_LIMITS.actionsElements);
        }
      }
      for (const block of card.blocks) {
        if (block.type === "actions") expect(block.buttons.length).toBeLessThanOrEqual(SLACK_LIMITS.actionsElements);
      }
      expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    }
  });

  it("is split into Adaptive Cards each well under Teams' 28 KB", () => {
    const sizes = cards.map((card) => Buffer.byteLength(JSON.stringify(renderTeams(card)), "utf8"));
    for (const size of sizes) expect(size).toBeLessThan(TEAMS_BUDGET);
    // Parts are filled, not one pair each.
    expect(cards.length).toBeLessThan(PAIRS / 10);
  });

  it("lists every pair exactly once, across numbered parts sent in order", async () => {
    const listed = cards.flatMap((card) =>
      card.blocks.flatMap((b) =>
        b.type === "actions" ? b.buttons.filter((x) => x.actionId === "digest.handled").map((x) => x.value) : [],
      ),
    );
    const pairIds = listed.map((v) => v.split(" ")[0]);
    expect(new Set(pairIds).size).toBe(PAIRS);
    expect(pairIds).toHaveLength(PAIRS);
    const quiet = await handle.db
      .select({ id: pairs.id })
      .from(pairs)
      .where(sql`${pairs.lastActivityOn} < '2026-11-01'`);
    expect(new Set(pairIds)).toEqual(new Set(quiet.map((p) => p.id)));
    // Longest quiet first.
    const days = cards.flatMap((card) =>
      [...cardText(card).matchAll(/aucune activité depuis (\d+) jours/g)].map((m) => Number(m[1])),
    );
    expect(days).toEqual([...days].sort((a, b) => b - a));

    const n = cards.length;
    cards.forEach((card, i) => {
      expect(card.blocks[0]).toEqual({ type: "header", text: `Digest de la semaine · Cohorte test (${i + 1}/${n})` });
      expect(card.fallback).toContain(`(${i + 1}/${n})`);
    });
    expect(cardText(cards[0] as Card)).toContain(`À suivre : ${PAIRS} binôme(s)`);
    for (let i = 1; i < dueAts.length; i++) {
      expect((dueAts[i] as Date).getTime()).toBeGreaterThan((dueAts[i - 1] as Date).getTime());
    }
  });

  it("`/binome digest 2` shows the second part, with the command for the third", async () => {
    const bot = createBot({ db: handle.db, clock: new ManualClock(DIGEST_AT) });
    const second = await bot.handle({ type: "command", text: "digest 2", actor: slackActor("UCLAIRE"), origin: {} });
    if (second.type !== "reply") throw new Error(JSON.stringify(second));
    const text = cardText(second.card);
    expect(text).toContain("Digest de la semaine · Cohorte test (2/");
    expect(text).toMatch(/Partie 2\/\d+\. La suite : `\/binome digest 3`/);
    expect(renderSlack(second.card).blocks).toHaveLength(second.card.blocks.length);
    expect(second.card.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    const beyond = await bot.handle({ type: "command", text: "digest 99", actor: slackActor("UCLAIRE"), origin: {} });
    expect(beyond.type === "reply" && cardText(beyond.card)).toMatch(/Ce digest n'a que \d+ partie\(s\)\./);
  });
});
