/** A name or handle folded for comparison: no accents, lower case, no leading `@`. */
export function foldName(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/^@/, "").trim();
}

/** A mention in neutral command text: `<@slack:T1:U2>`. Adapters turn platform mentions into this. */
export const MENTION = /^<@([^>|\s]+)(?:\|[^>]*)?>$/;
