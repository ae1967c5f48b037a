import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { identities, outbox, participants, programmes } from "../../../db/schema.js";
import type { Card } from "../../core/card.js";
import type { ChatPort, SentMessage } from "../../core/chat-port.js";
import type { Clock } from "../../core/clock.js";
import { PermanentDeliveryError, RateLimitedError, RecipientUnreachableError } from "../../core/errors.js";
import { hasMessage, pickLanguage, t } from "../../core/i18n/index.js";
import type { Platform, PlatformUser } from "../../core/ids.js";
import type { Logger } from "../../core/logger.js";
import {
  claimDue,
  enqueue,
  markCancelled,
  markDead,
  markSent,
  nextDueAt,
  type OutboxPayload,
  type OutboxRow,
  retryLater,
  type SentRef,
  sentRefOf,
} from "./outbox.repository.js";

/** Transient failures are retried this many times (rate limits do not count) before the row is parked. */
export const MAX_ATTEMPTS = 6;

export interface OutboxWorkerDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  /** The platforms binome can send through, in order of preference for people on several. */
  ports: ChatPort[];
  /** Rows sent at once; the ports pace themselves to each platform's limits. */
  concurrency?: number;
  /** How long a claim lasts before another worker may take the row over. */
  leaseMs?: number;
  /**
   * Asked before each send whether the message may go now (attention: pauses, quiet hours, weekly
   * caps). Sends everything when absent.
   */
  gate?: OutboxGate;
}

/** Whether a claimed row goes now, waits until a later instant, or is dropped. */
export type GateDecision =
  | { action: "send" }
  | { action: "defer"; until: Date; why: string }
  | { action: "cancel"; why: string };

export type OutboxGate = (row: OutboxRow, now: Date) => Promise<GateDecision>;

/**
 * Every account the person has on a connected platform was found unreachable before: the message is
 * parked without calling the platform (the coordinators were told when it was found).
 */
class UnreachableEverywhereError extends PermanentDeliveryError {
  override name = "UnreachableEverywhereError";
  constructor(readonly since: Date) {
    super(`unreachable on every connected platform since ${since.toISOString()}`);
  }
}

/** An update waits this long, without spending an attempt, for the message it updates to be sent. */
const ORIGINAL_WAIT_MS = 1_000;

/** The message an update was for was never sent (cancelled, or parked): the update is dropped. */
class NothingToUpdate extends Error {
  override name = "NothingToUpdate";
  constructor(key: string) {
    super(`${key} was not sent: nothing to update`);
  }
}

/** Why a message was parked, for the coordinators' notice. */
type DeadReason = {
  key: "outbox.reason.unreachable" | "outbox.reason.refused" | "outbox.reason.failing";
  detail?: string;
};

export interface RunReport {
  sent: number;
  retried: number;
  dead: number;
  /** Put back for later by the gate (quiet hours, pause, weekly cap). */
  held: number;
  cancelled: number;
}

const emptyReport = (): RunReport => ({ sent: 0, retried: 0, dead: 0, held: 0, cancelled: 0 });

function backoffMs(attempt: number): number {
  const base = Math.min(30 * 60_000, 5_000 * 2 ** (attempt - 1));
  return base / 2 + Math.random() * (base / 2);
}

/** Delivers the outbox: claims due rows, sends them through the right ChatPort, records the outcome. */
export class OutboxWorker {
  readonly #deps: Required<Omit<OutboxWorkerDeps, "gate">> & Pick<OutboxWorkerDeps, "gate">;
  readonly #ports = new Map<Platform, ChatPort>();
  #timer: NodeJS.Timeout | undefined;
  #wake: NodeJS.Timeout | undefined;
  #running: Promise<RunReport> | undefined;
  #again = false;

  constructor(deps: OutboxWorkerDeps) {
    this.#deps = { concurrency: 8, leaseMs: 5 * 60_000, ...deps };
    for (const port of deps.ports) this.#ports.set(port.platform, port);
  }

  /** Sends everything due now, batch after batch, until nothing is due. */
  async drain(): Promise<RunReport> {
    const total = emptyReport();
    for (;;) {
      const report = await this.runOnce();
      let any = 0;
      for (const key of Object.keys(total) as Array<keyof RunReport>) {
        total[key] += report[key];
        any += report[key];
      }
      if (any === 0) return total;
    }
  }

  /** Claims one batch of due rows and delivers it. */
  async runOnce(): Promise<RunReport> {
    const { db, clock, concurrency, leaseMs } = this.#deps;
    const rows = await claimDue(db, clock.now(), concurrency * 4, leaseMs);
    const report = emptyReport();
    let next = 0;
    const lanes = Array.from({ length: Math.min(concurrency, rows.length) }, async () => {
      while (next < rows.length) {
        const row = rows[next++] as OutboxRow;
        report[await this.#deliverOne(row)] += 1;
      }
    });
    await Promise.all(lanes);
    return report;
  }

  /** Polls every `intervalMs`; `kick()` runs a pass at once. */
  start(intervalMs = 5_000): void {
    this.#timer ??= setInterval(() => this.kick(), intervalMs);
    this.kick();
  }

  /** Runs a delivery pass now, or right after the one under way. */
  kick(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.drain()
      .catch((error: unknown) => {
        this.#deps.log.error({ err: error }, "outbox pass failed");
        return emptyReport();
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.kick();
        } else if (this.#timer) {
          void this.#wakeAtNextDue();
        }
      });
  }

  /** Rows waiting for a Retry-After or their working hours are sent when due, not at the next poll. */
  async #wakeAtNextDue(): Promise<void> {
    const due = await nextDueAt(this.#deps.db).catch(() => undefined);
    if (!due || !this.#timer) return;
    const wait = due.getTime() - this.#deps.clock.now().getTime();
    if (this.#wake) clearTimeout(this.#wake);
    // Beyond an hour, the regular poll is as good (and survives a moved clock).
    if (wait < 60 * 60_000) this.#wake = setTimeout(() => this.kick(), Math.max(10, wait));
  }

  /** Stops polling and waits for the pass under way. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#wake) clearTimeout(this.#wake);
    this.#timer = undefined;
    this.#again = false;
    await this.#running;
  }

  async #deliverOne(row: OutboxRow): Promise<keyof RunReport> {
    const { db, clock, log, gate } = this.#deps;
    try {
      const decision = gate ? await gate(row, clock.now()) : { action: "send" as const };
      if (decision.action === "defer") {
        await retryLater(db, row, decision.until, decision.why, true);
        return "held";
      }
      if (decision.action === "cancel") {
        await markCancelled(db, row, decision.why);
        return "cancelled";
      }
      const sent = await this.#send(row);
      await markSent(db, row, sent, clock.now());
      return "sent";
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof NothingToUpdate) {
        await markCancelled(db, row, message);
        return "cancelled";
      }
      if (error instanceof RateLimitedError) {
        // Being asked to wait is not a failure of the message: it keeps its attempts.
        await retryLater(db, row, new Date(clock.now().getTime() + error.retryAfterMs), message, true);
        return "retried";
      }
      if (error instanceof RecipientUnreachableError) {
        await this.#markUnreachable(error.recipient);
        // Gone from one platform but still on another (a mentor on Slack and on Teams): try there now.
        if (row.recipientId && (await this.#targets([row.recipientId])).has(row.recipientId)) {
          await retryLater(db, row, clock.now(), message, true);
          return "retried";
        }
      }
      const unreachable = error instanceof RecipientUnreachableError || error instanceof UnreachableEverywhereError;
      const permanent = unreachable || error instanceof PermanentDeliveryError;
      if (!permanent && row.attempts < MAX_ATTEMPTS) {
        log.warn({ err: error, key: row.key, attempt: row.attempts }, "delivery failed; will retry");
        await retryLater(db, row, new Date(clock.now().getTime() + backoffMs(row.attempts)), message);
        return "retried";
      }
      log.error({ err: error, key: row.key }, "delivery parked as a dead letter");
      await markDead(db, row, message);
      const reason: DeadReason = unreachable
        ? { key: "outbox.reason.unreachable" }
        : permanent
          ? { key: "outbox.reason.refused", detail: message }
          : { key: "outbox.reason.failing", detail: message };
      await this.#tellCoordinators(
        row,
        reason,
        unreachable ? await this.#unreachableSince(row.recipientId) : undefined,
      );
      return "dead";
    }
  }

  async #update(ref: SentRef, card: Card): Promise<unknown> {
    const { platform, conversationId, messageId } = ref;
    const port = this.#ports.get(platform as Platform);
    if (!port?.updateMessage) throw new PermanentDeliveryError(`no ${platform} adapter to update a message`);
    await port.updateMessage({ conversationId, messageId }, card);
    return { ...ref, updated: true };
  }

  async #send(row: OutboxRow): Promise<unknown> {
    const payload = row.payload as OutboxPayload;
    if ("card" in payload && payload.updateOf) {
      // The message to update was on its way when this update was written: wait until it has gone.
      const [original] = await this.#deps.db
        .select({ status: outbox.status, dueAt: outbox.dueAt })
        .from(outbox)
        .where(eq(outbox.key, payload.updateOf));
      const ref = await sentRefOf(this.#deps.db, payload.updateOf);
      if (original && (original.status === "pending" || original.status === "sending")) {
        // Not before the message itself is due (a message held until Monday holds its update too).
        const wait = Math.max(ORIGINAL_WAIT_MS, original.dueAt.getTime() - this.#deps.clock.now().getTime());
        throw new RateLimitedError(wait, `waiting for ${payload.updateOf} to be sent`);
      }
      if (!ref) throw new NothingToUpdate(payload.updateOf);
      return this.#update(ref, payload.card);
    }
    if ("card" in payload && payload.update) return this.#update(payload.update, payload.card);
    if (row.channel) {
      const [platform, ...rest] = row.channel.split(":");
      const port = this.#ports.get(platform as Platform);
      if (!port || !("card" in payload)) throw new PermanentDeliveryError(`no ${platform} adapter for ${row.channel}`);
      return { platform, ...(await port.postToChannel(rest.join(":"), payload.card)) };
    }
    if (row.groupWith && "group" in payload) return this.#sendGroup(row, row.groupWith, payload);
    if (!row.recipientId || !("card" in payload)) throw new PermanentDeliveryError("outbox row without recipient");
    const target = (await this.#targets([row.recipientId])).get(row.recipientId);
    if (!target) {
      const since = await this.#unreachableSince(row.recipientId);
      if (since) throw new UnreachableEverywhereError(since);
      throw new PermanentDeliveryError("no account on a connected platform");
    }
    return { platform: target.port.platform, ...(await target.port.sendDirect(target.user, payload.card)) };
  }

  /**
   * A group message goes to one conversation with everyone when they share a platform that can
   * open one (Slack group DMs); otherwise it becomes one row per person, each with their own card.
   */
  async #sendGroup(
    row: OutboxRow,
    members: string[],
    payload: { group: Card; each: Record<string, Card>; chatLabel?: Record<string, string> },
  ): Promise<unknown> {
    const accounts = await this.#accountsOf(members);
    for (const port of this.#ports.values()) {
      if (!port.openGroup || !port.sendToConversation) continue;
      const users = members.map((m) => accounts.get(m)?.find((u) => u.platform === port.platform));
      const tenants = new Set(users.map((u) => u?.tenantId ?? ""));
      if (users.every((u): u is PlatformUser => u !== undefined) && tenants.size === 1) {
        const { conversationId } = await port.openGroup(users);
        const sent: SentMessage = await port.sendToConversation(conversationId, payload.group);
        return { platform: port.platform, ...sent };
      }
    }
    const now = this.#deps.clock.now();
    const emails = new Map(
      (
        await this.#deps.db
          .select({ id: participants.id, email: participants.email })
          .from(participants)
          .where(inArray(participants.id, members))
      ).map((p) => [p.id, p.email]),
    );
    const cardFor = (member: string): Card => {
      const card = payload.each[member] ?? payload.group;
      const port = accounts
        .get(member)
        ?.map((u) => this.#ports.get(u.platform))
        .find((p) => p !== undefined);
      const label = payload.chatLabel?.[member];
      const others = members.filter((m) => m !== member).map((m) => emails.get(m));
      if (!port?.chatWithLink || !label || others.some((e) => !e)) return card;
      // Where the bot cannot open a group, each person gets a link that opens a chat with the others.
      const link = { actionId: "intro.chat", label, value: "chat", url: port.chatWithLink(others as string[]) };
      return { ...card, blocks: [...card.blocks, { type: "actions", buttons: [link] }] };
    };
    await enqueue(
      this.#deps.db,
      members.map((member) => ({
        key: `${row.key}:${member}`,
        kind: row.kind,
        programmeId: row.programmeId,
        recipientId: member,
        payload: { card: cardFor(member) },
        dueAt: now,
      })),
      now,
    );
    return { expanded: members.length };
  }

  async #accountsOf(participantIds: string[]): Promise<Map<string, PlatformUser[]>> {
    const rows = await this.#deps.db
      .select()
      .from(identities)
      .where(and(inArray(identities.participantId, participantIds), isNull(identities.unreachableAt)));
    const accounts = new Map<string, PlatformUser[]>();
    const order = [...this.#ports.keys()];
    rows.sort((a, b) => order.indexOf(a.platform as Platform) - order.indexOf(b.platform as Platform));
    for (const row of rows) {
      const user: PlatformUser = {
        platform: row.platform as Platform,
        userId: row.userId,
        ...(row.tenantId ? { tenantId: row.tenantId } : {}),
      };
      accounts.set(row.participantId, [...(accounts.get(row.participantId) ?? []), user]);
    }
    return accounts;
  }

  async #targets(participantIds: string[]): Promise<Map<string, { user: PlatformUser; port: ChatPort }>> {
    const targets = new Map<string, { user: PlatformUser; port: ChatPort }>();
    for (const [id, users] of await this.#accountsOf(participantIds)) {
      const user = users.find((u) => this.#ports.has(u.platform));
      if (user) targets.set(id, { user, port: this.#ports.get(user.platform) as ChatPort });
    }
    return targets;
  }

  async #markUnreachable(user: PlatformUser): Promise<void> {
    await this.#deps.db
      .update(identities)
      .set({ unreachableAt: this.#deps.clock.now() })
      .where(and(eq(identities.platform, user.platform), eq(identities.userId, user.userId)));
  }

  /**
   * When every account a person has on a connected platform was found unreachable: the latest such
   * finding. Undefined when they have a reachable one, or none at all.
   */
  async #unreachableSince(participantId: string | null): Promise<Date | undefined> {
    if (!participantId) return undefined;
    const rows = await this.#deps.db
      .select({ platform: identities.platform, unreachableAt: identities.unreachableAt })
      .from(identities)
      .where(eq(identities.participantId, participantId));
    const connected = rows.filter((r) => this.#ports.has(r.platform as Platform));
    if (connected.length === 0 || connected.some((r) => !r.unreachableAt)) return undefined;
    return new Date(Math.max(...connected.map((r) => (r.unreachableAt as Date).getTime())));
  }

  /**
   * A dead letter about a person is reported in the programme's coordinator channel. A person found
   * unreachable is reported once per programme (and per day they were found so, should they come
   * back and leave again), not once per message: the check-ins and nudges that follow are parked
   * without a new notice.
   */
  async #tellCoordinators(row: OutboxRow, reason: DeadReason, unreachableSince?: Date): Promise<void> {
    if (row.channel || !row.programmeId) return;
    const { db, clock } = this.#deps;
    const [programme] = await db.select().from(programmes).where(eq(programmes.id, row.programmeId));
    if (!programme?.coordinatorChannel) return;
    const names = await db
      .select({ name: participants.name })
      .from(participants)
      .where(inArray(participants.id, row.recipientId ? [row.recipientId] : (row.groupWith ?? [])));
    const lang = pickLanguage(programme.defaultLanguage);
    const why = t(lang, reason.key, { detail: reason.detail ?? "", attempts: row.attempts });
    const kindKey = `outbox.kind.${row.kind}`;
    // The kind in words where the catalog has them ("point d'étape"), else its internal name.
    const kind = hasMessage(kindKey) ? t(lang, kindKey) : row.kind;
    const text = t(lang, "outbox.dead", { kind, people: names.map((n) => n.name).join(", "), reason: why });
    const key =
      unreachableSince && row.recipientId
        ? `unreachable:${row.programmeId}:${row.recipientId}:${unreachableSince.toISOString().slice(0, 10)}`
        : `dead:${row.id}`;
    await enqueue(
      db,
      [
        {
          key,
          kind: "dead-letter",
          programmeId: row.programmeId,
          channel: programme.coordinatorChannel,
          payload: { card: { fallback: text, blocks: [{ type: "text", text }] } },
          dueAt: clock.now(),
        },
      ],
      clock.now(),
    );
  }
}
