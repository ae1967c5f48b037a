import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { conversationReferences, identities } from "../../db/schema.js";
import type { PlatformUser } from "../../src/core/ids.js";
import type { TeamsActivity } from "./activity.js";
import { teamsUserOf, tenantOf } from "./ids.js";

/** What binome keeps of a Teams conversation to write into it later. */
export type StoredReference = typeof conversationReferences.$inferSelect;

/** The stored reference of an inbound activity, or undefined when Teams left out what a reply needs. */
export function referenceOf(activity: TeamsActivity, now: Date): StoredReference | undefined {
  const conversation = activity.conversation;
  if (!conversation?.id || !activity.serviceUrl || !activity.recipient?.id) return undefined;
  const type = conversation.conversationType ?? (conversation.isGroup ? "groupChat" : "personal");
  const personal = type === "personal" && activity.from?.id;
  return {
    platform: "teams",
    conversationId: conversation.id,
    conversationType: type,
    userId: personal && activity.from ? teamsUserOf(activity.from, undefined).userId : null,
    channelUserId: personal && activity.from ? activity.from.id : null,
    tenantId: tenantOf(activity) ?? null,
    serviceUrl: activity.serviceUrl,
    botId: activity.recipient.id,
    updatedAt: now,
  };
}

/** Conversation references and reachability of Teams people, on binome's database. */
export function createReferenceStore(db: Database) {
  return {
    /** Saves (or refreshes) a reference; returns whether this conversation was new to binome. */
    async save(reference: StoredReference): Promise<boolean> {
      const { platform: _p, conversationId: _c, ...changes } = reference;
      const [row] = await db
        .insert(conversationReferences)
        .values(reference)
        .onConflictDoUpdate({
          target: [conversationReferences.platform, conversationReferences.conversationId],
          set: changes,
        })
        // Why: `xmax = 0` is PostgreSQL's way to tell an inserted row from an updated one in one round trip.
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      return row?.inserted === true;
    },

    async forget(conversationId: string): Promise<void> {
      await db
        .delete(conversationReferences)
        .where(
          and(eq(conversationReferences.platform, "teams"), eq(conversationReferences.conversationId, conversationId)),
        );
    },

    /** The latest 1:1 conversation with a person. */
    async personal(userId: string): Promise<StoredReference | undefined> {
      const rows = await db
        .select()
        .from(conversationReferences)
        .where(and(eq(conversationReferences.platform, "teams"), eq(conversationReferences.userId, userId)))
        .orderBy(desc(conversationReferences.updatedAt))
        .limit(1);
      return rows[0];
    },

    async conversation(conversationId: string): Promise<StoredReference | undefined> {
      const rows = await db
        .select()
        .from(conversationReferences)
        .where(
          and(eq(conversationReferences.platform, "teams"), eq(conversationReferences.conversationId, conversationId)),
        )
        .limit(1);
      return rows[0];
    },

    /** Any conversation of the tenant: gives the service URL and bot id to open a chat with someone new. */
    async anyInTenant(tenantId: string): Promise<StoredReference | undefined> {
      const rows = await db
        .select()
        .from(conversationReferences)
        .where(and(eq(conversationReferences.platform, "teams"), eq(conversationReferences.tenantId, tenantId)))
        .orderBy(desc(conversationReferences.updatedAt))
        .limit(1);
      return rows[0];
    },

    /**
     * Called when a person writes: whether binome knows them (if not, the turn asks Teams for their email),
     * and, since they wrote, they can be reached again.
     */
    async seen(user: PlatformUser): Promise<{ known: boolean }> {
      const rows = await db
        .select({ unreachableAt: identities.unreachableAt })
        .from(identities)
        .where(and(eq(identities.platform, "teams"), eq(identities.userId, user.userId)))
        .limit(1);
      if (rows[0]?.unreachableAt) await this.markReachable(user);
      return { known: rows.length > 0 };
    },

    async isUnreachable(user: PlatformUser): Promise<boolean> {
      const rows = await db
        .select({ id: identities.id })
        .from(identities)
        .where(
          and(
            eq(identities.platform, "teams"),
            eq(identities.userId, user.userId),
            isNotNull(identities.unreachableAt),
          ),
        )
        .limit(1);
      return rows.length > 0;
    },

    async markUnreachable(user: PlatformUser, at: Date): Promise<void> {
      await db
        .update(identities)
        .set({ unreachableAt: at })
        .where(and(eq(identities.platform, "teams"), eq(identities.userId, user.userId)));
    },

    /** The person wrote or reinstalled the app: they can be reached again. */
    async markReachable(user: PlatformUser): Promise<void> {
      await db
        .update(identities)
        .set({ unreachableAt: null })
        .where(
          and(
            eq(identities.platform, "teams"),
            eq(identities.userId, user.userId),
            isNotNull(identities.unreachableAt),
          ),
        );
    },
  };
}

/** The conversation reference store of a Teams adapter. */
export type ReferenceStore = ReturnType<typeof createReferenceStore>;
