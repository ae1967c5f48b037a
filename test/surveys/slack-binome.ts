import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import { createSlackAdapter } from "../../adapters/slack/index.js";
import type { DatabaseHandle } from "../../db/client.js";
import type { ManualClock } from "../../src/core/clock.js";
import { silentLogger } from "../../src/core/logger.js";
import { attentionGate } from "../../src/features/attention/gate.js";
import { createBot } from "../../src/features/commands/router.js";
import { OutboxWorker } from "../../src/features/outbox/outbox.worker.js";
import { createHttpServer } from "../../src/http/server.js";
import { buttonsOf, readableText, type SlackButton } from "../engagement/slack-journey.js";
import type { FakeSlack, SlackCall } from "../support/fake-slack.js";
import { SIGNING_SECRET } from "../support/slack-harness.js";
import { dmEventBody, postSigned } from "../support/slack-requests.js";

/** binome's Slack front door, in this process or in another one. */
export interface SlackFrontDoor {
  /** The Events API and interactivity URL. */
  url: string;
  /** Delivers what the outbox may send now (a separate process delivers on its own). */
  deliver(): Promise<void>;
  close(): Promise<void>;
}

/** binome over Slack in this process, as `startBinome` composes it, on an open database. */
export async function slackBinomeInProcess(
  db: DatabaseHandle,
  fake: FakeSlack,
  clock: ManualClock,
): Promise<SlackFrontDoor> {
  const bot = createBot({ db: db.db, clock, log: silentLogger });
  const adapter = createSlackAdapter({
    bot,
    clock,
    log: silentLogger,
    botToken: "xoxb-test",
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.apiUrl,
  });
  await adapter.start?.();
  const worker = new OutboxWorker({
    db: db.db,
    clock,
    log: silentLogger,
    ports: [adapter.chatPort],
    gate: attentionGate(db.db),
  });
  const server: Server = createHttpServer([...adapter.routes], silentLogger);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    deliver: async () => {
      await worker.drain();
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await adapter.stop?.();
    },
  };
}

/** The labels of a message's buttons with `actionId`, in order. */
export function labels(message: SlackCall | undefined, actionId?: string): string[] {
  return buttonsOf(message)
    .filter((b) => actionId === undefined || b.action_id === actionId)
    .map((b) => b.label);
}

/** What a person reads in a message. */
export const textOf = (message: SlackCall | undefined): string => readableText(message?.args.blocks);

/** The button labelled `label`; fails with what the message shows when there is none. */
export function buttonOf(message: SlackCall | undefined, label: string): SlackButton {
  const found = buttonsOf(message).find((b) => b.label === label);
  if (!found) throw new Error(`no button "${label}" in:\n${textOf(message)}`);
  return found;
}

/** A person on Slack talking to binome through `door()`, which may change as binome restarts. */
export class SlackPerson {
  private static sequence = 0;

  constructor(
    readonly userId: string,
    private readonly fake: FakeSlack,
    private readonly door: () => SlackFrontDoor,
  ) {}

  /** Messages binome posted on its own (outbox) into this person's DM, oldest first. */
  posted(): SlackCall[] {
    return this.fake.callsOf("chat.postMessage").filter((c) => c.args.channel === this.userId);
  }

  /** The next message binome posts into the DM after `before` posts, delivering the outbox meanwhile. */
  async nextPost(before: number): Promise<SlackCall> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      await this.door().deliver();
      const found = this.posted()[before];
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`nothing posted to ${this.userId}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Clicks a button of `message` as Slack sends it. Returns the next message binome posts in the
   * DM, or with `expectReply`, the private answer it gives on response_url instead.
   */
  async click(message: SlackCall | undefined, label: string): Promise<SlackCall>;
  async click(message: SlackCall | undefined, label: string, expectReply: "reply"): Promise<string>;
  async click(message: SlackCall | undefined, label: string, expectReply?: "reply"): Promise<SlackCall | string> {
    const button = buttonOf(message, label);
    const id = `survey-click-${++SlackPerson.sequence}`;
    const channel = String(message?.response?.channel ?? `D${this.userId.slice(1)}`);
    const ts = String(message?.response?.ts ?? "1700000000.000100");
    const before = this.posted().length;
    const ack = await postSigned(
      this.door().url,
      SIGNING_SECRET,
      new URLSearchParams({
        payload: JSON.stringify({
          type: "block_actions",
          team: { id: "T0TEST", domain: "test" },
          user: { id: this.userId, team_id: "T0TEST" },
          api_app_id: "A0BINOME",
          trigger_id: `trigger-${id}`,
          response_url: this.fake.responseUrl(id),
          container: { type: "message", message_ts: ts, channel_id: channel, is_ephemeral: false },
          channel: { id: channel, name: "directmessage" },
          message: { type: "message", ts, text: message?.args.text ?? "", blocks: message?.args.blocks ?? [] },
          actions: [
            {
              type: "button",
              action_id: button.action_id,
              block_id: "b1",
              value: button.value,
              text: { type: "plain_text", text: button.label },
              action_ts: "1",
            },
          ],
        }),
      }).toString(),
      "application/x-www-form-urlencoded",
    );
    expect(ack.status).toBe(200);
    if (expectReply) {
      const path = `/respond/${id}`;
      const response = await this.fake.waitFor(() => this.fake.responses.find((r) => r.path === path), 10_000);
      return String(response.body.text);
    }
    return this.nextPost(before);
  }

  /** Types a DM to binome; returns binome's answer in that DM (what it shows, blocks included). */
  async type(text: string): Promise<SlackCall> {
    const n = ++SlackPerson.sequence;
    const dm = `D${this.userId.slice(1)}`;
    const before = this.fake.calls.length;
    const result = await postSigned(
      this.door().url,
      SIGNING_SECRET,
      dmEventBody({
        eventId: `EvSurvey${n}`,
        userId: this.userId,
        text,
        ts: `1700100${String(n).padStart(3, "0")}.000200`,
      }),
      "application/json",
    );
    expect(result.status).toBe(200);
    return this.fake.waitFor(
      () => this.fake.calls.slice(before).find((c) => c.method === "chat.postMessage" && c.args.channel === dm),
      10_000,
    );
  }
}
