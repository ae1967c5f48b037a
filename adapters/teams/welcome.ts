import type { Card } from "../../src/core/card.js";
import { type Language, t } from "../../src/core/i18n/index.js";

/** The card Teams users see when they add binome. */
export function welcomeCard(lang: Language): Card {
  const title = t(lang, "teams.welcome.title");
  const body = t(lang, "teams.welcome.body");
  return {
    fallback: `${title}\n${body}`,
    blocks: [
      { type: "header", text: title },
      { type: "text", text: body },
    ],
  };
}

/** A refused Action.Submit form: the sentences beside which inputs, as one chat message. */
export function formErrorsText(lang: Language, errors: Record<string, string>): string {
  return [t(lang, "teams.formErrors"), ...Object.values(errors).map((e) => `- ${e}`)].join("\n");
}
