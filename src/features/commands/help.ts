import type { Card } from "../../core/card.js";
import { t } from "../../core/i18n/index.js";
import type { Caller } from "./caller.js";
import type { Feature } from "./feature.js";

/** What the caller can do, by role: each feature's lines, then this help. */
export function helpCard(caller: Caller, features: Feature[]): Card {
  const lang = caller.language;
  const roles = [...new Set(caller.enrolments.map((e) => e.role))];
  const lines = [...features.flatMap((f) => f.help?.(caller) ?? []), t(lang, "help.help")];
  const roleNames = roles.map((r) => t(lang, `role.${r}`)).join(", ");
  const title = t(lang, "help.title");
  return {
    fallback: `${title}\n${lines.join("\n")}`,
    blocks: [
      { type: "header", text: title },
      ...lines.map((text) => ({ type: "text" as const, text })),
      { type: "text", text: t(lang, "help.roles", { roles: roleNames }), style: "muted" },
    ],
  };
}
