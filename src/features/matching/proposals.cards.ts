import type { Block, Card } from "../../core/card.js";
import { type Language, t } from "../../core/i18n/index.js";
import type { Proposal } from "./matching.js";
import { reasonText, unmatchedText } from "./reasons.js";

/** The coordinators' review card: pairs with score and reasons, who is left and why, and the decisions. */
export function proposalCard(
  lang: Language,
  programmeName: string,
  proposalId: string,
  proposal: Proposal,
  names: Map<string, string>,
): Card {
  const name = (id: string) => names.get(id) ?? "?";
  const title = t(lang, "match.proposal.title", { programme: programmeName });
  const summary = t(lang, "match.proposal.summary", {
    pairs: proposal.pairs.length,
    unmatched: proposal.unmatched.filter((u) => u.role === "mentee").length,
  });
  const blocks: Block[] = [
    { type: "header", text: title },
    { type: "text", text: summary },
  ];
  for (const pair of proposal.pairs) {
    blocks.push({
      type: "text",
      text: t(lang, "match.proposal.pair", {
        mentor: name(pair.mentorId),
        mentee: name(pair.menteeId),
        score: Math.round(pair.score),
      }),
      style: "bold",
    });
    const reasons = pair.reasons.map((r) => reasonText(lang, r)).join(" · ");
    if (reasons) blocks.push({ type: "text", text: reasons, style: "muted" });
  }
  const waiting = proposal.unmatched.filter((u) => u.role === "mentee");
  const spare = proposal.unmatched.filter((u) => u.role === "mentor");
  if (waiting.length + spare.length > 0) blocks.push({ type: "divider" });
  for (const person of waiting) {
    blocks.push({
      type: "text",
      text: t(lang, "match.proposal.waiting", {
        name: name(person.participantId),
        why: unmatchedText(lang, person.why),
      }),
    });
  }
  for (const person of spare) {
    blocks.push({
      type: "text",
      text: t(lang, "match.proposal.spare", {
        name: name(person.participantId),
        why: unmatchedText(lang, person.why, person.spareCapacity),
      }),
      style: "muted",
    });
  }
  blocks.push({
    type: "actions",
    buttons: [
      ...(proposal.pairs.length > 0
        ? [
            {
              actionId: "match.approve",
              label: t(lang, "match.proposal.approve"),
              value: proposalId,
              style: "primary" as const,
            },
          ]
        : []),
      { actionId: "match.rerun", label: t(lang, "match.proposal.rerun"), value: proposalId },
    ],
  });
  blocks.push({ type: "text", text: t(lang, "match.proposal.change"), style: "muted" });
  return { fallback: `${title} — ${summary}`, blocks };
}
