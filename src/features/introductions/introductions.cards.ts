import type { Block, Card } from "../../core/card.js";
import { type Language, t } from "../../core/i18n/index.js";
import { dayList, partList, reasonText } from "../matching/reasons.js";
import type { Reason } from "../matching/scoring.js";
import { formatPeriod } from "../programmes/programmes.cards.js";

/** A person as an introduction presents them. */
export interface IntroPerson {
  id: string;
  name: string;
  skills: string[];
  domain?: string | undefined;
}

export interface IntroContext {
  pairId: string;
  programmeName: string;
  /** `4w`, `10d`: the least the pair should meet. */
  cadence: string;
  mentor: IntroPerson;
  mentee: IntroPerson;
  reasons: Reason[];
}

const firstName = (name: string) => name.split(/\s+/)[0] ?? name;

/** Three conversation starters drawn from what the pair shares, then general ones. */
export function conversationStarters(lang: Language, context: IntroContext): string[] {
  const starters: string[] = [];
  for (const reason of context.reasons) {
    if (reason.kind === "skills" && reason.values.shared[0])
      starters.push(t(lang, "intro.starter.skill", { skill: reason.values.shared[0] }));
    if (reason.kind === "domain" && reason.values.domain)
      starters.push(t(lang, "intro.starter.domain", { domain: reason.values.domain }));
    if (reason.kind === "availability" && reason.values.days[0]) {
      starters.push(
        t(lang, "intro.starter.availability", {
          day: dayList(lang, [reason.values.days[0]]),
          part: partList(lang, reason.values.parts.slice(0, 1)),
        }),
      );
    }
  }
  starters.push(
    t(lang, "intro.starter.expectations"),
    t(lang, "intro.starter.journey"),
    t(lang, "intro.starter.format"),
  );
  return starters.slice(0, 3);
}

function commonBlocks(lang: Language, context: IntroContext): Block[] {
  const blocks: Block[] = [];
  const reasons = context.reasons.map((r) => reasonText(lang, r));
  if (reasons.length > 0) {
    blocks.push({ type: "text", text: t(lang, "intro.why"), style: "bold" });
    blocks.push({ type: "text", text: reasons.map((r) => `• ${r}`).join("\n") });
  }
  blocks.push({ type: "text", text: t(lang, "intro.starters"), style: "bold" });
  blocks.push({
    type: "text",
    text: conversationStarters(lang, context)
      .map((s) => `• ${s}`)
      .join("\n"),
  });
  blocks.push({ type: "text", text: t(lang, "intro.cadence", { period: formatPeriod(lang, context.cadence) }) });
  blocks.push({ type: "divider" });
  blocks.push({ type: "text", text: t(lang, "intro.charter.title"), style: "bold" });
  blocks.push({ type: "text", text: t(lang, "intro.charter.body"), style: "muted" });
  blocks.push({
    type: "actions",
    buttons: [
      { actionId: "charter.agree", label: t(lang, "intro.charter.agree"), value: context.pairId, style: "primary" },
    ],
  });
  return blocks;
}

function describe(lang: Language, person: IntroPerson, role: "mentor" | "mentee"): { label: string; value: string } {
  const skills = person.skills.length > 0 ? person.skills.join(", ") : "—";
  return {
    label: `${person.name} · ${t(lang, role === "mentor" ? "intro.role.mentor" : "intro.role.mentee")}`,
    value:
      t(lang, role === "mentor" ? "intro.offers" : "intro.wants", { skills }) +
      (person.domain ? ` · ${person.domain}` : ""),
  };
}

/** The introduction posted in a group conversation with both people and the bot. */
export function groupIntroCard(lang: Language, context: IntroContext): Card {
  const greeting = t(lang, "intro.group.greeting", {
    mentor: firstName(context.mentor.name),
    mentee: firstName(context.mentee.name),
    programme: context.programmeName,
  });
  return {
    fallback: greeting,
    blocks: [
      { type: "header", text: t(lang, "intro.group.title") },
      { type: "text", text: greeting },
      { type: "fields", fields: [describe(lang, context.mentor, "mentor"), describe(lang, context.mentee, "mentee")] },
      ...commonBlocks(lang, context),
    ],
  };
}

/** The introduction sent to one person of the pair, when no group conversation is possible. */
export function personalIntroCard(lang: Language, context: IntroContext, recipient: "mentor" | "mentee"): Card {
  const other = recipient === "mentor" ? context.mentee : context.mentor;
  const otherRole = recipient === "mentor" ? "mentee" : "mentor";
  const greeting = t(lang, recipient === "mentor" ? "intro.personal.toMentor" : "intro.personal.toMentee", {
    name: firstName(recipient === "mentor" ? context.mentor.name : context.mentee.name),
    other: other.name,
    programme: context.programmeName,
  });
  return {
    fallback: greeting,
    blocks: [
      { type: "header", text: t(lang, "intro.group.title") },
      { type: "text", text: greeting },
      { type: "fields", fields: [describe(lang, other, otherRole)] },
      { type: "text", text: t(lang, "intro.personal.reachOut", { other: firstName(other.name) }), style: "muted" },
      ...commonBlocks(lang, context),
    ],
  };
}

/** Told kindly to a mentee left waiting, with the reason. */
export function waitingCard(lang: Language, name: string, programmeName: string, why: string): Card {
  const text = t(lang, "intro.waiting", { name: firstName(name), programme: programmeName, why });
  return { fallback: text, blocks: [{ type: "text", text }] };
}
