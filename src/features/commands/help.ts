import type { Card } from "../../core/card.js";
import { t } from "../../core/i18n/index.js";
import { type Caller, hasRole } from "./caller.js";

/** What the caller can do, by role. */
export function helpCard(caller: Caller): Card {
  const lang = caller.language;
  const roles = [...new Set(caller.enrolments.map((e) => e.role))];
  const lines: string[] = [];
  if (hasRole(caller, "mentor")) lines.push(t(lang, "help.mentor.log"));
  lines.push(t(lang, hasRole(caller, "coordinator") ? "help.sessions.coordinator" : "help.sessions.own"));
  lines.push(t(lang, "help.help"));
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
