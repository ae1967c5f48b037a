import type { Block, Card, Form } from "../../core/card.js";
import { type Language, t } from "../../core/i18n/index.js";
import type { ProfileRole, StoredProfile } from "./enrolment.repository.js";
import { DAY_LABELS, type ProfileAnswers } from "./profile-answers.js";

export const PROFILE_FORM_ID = "profile";
export const CHOOSE_ROLE_ACTION = "join.role";
export const EDIT_PROFILE_ACTION = "profile.edit";

/** Which profile a form or a button is about: `<programme id>:<role>`. */
export function profileTarget(programmeId: string, role: ProfileRole): string {
  return `${programmeId}:${role}`;
}

/** What the form prefills: the answers given before, or what binome already knows of the person. */
export interface ProfileDraft {
  skills: string[];
  languages: string[];
  timeZone: string;
  days: ProfileAnswers["availability"]["days"];
  parts: ProfileAnswers["availability"]["parts"];
  domain?: string | undefined;
  style?: number | undefined;
  capacity?: number | undefined;
}

const daysText = (lang: Language, days: ProfileDraft["days"]) => days.map((d) => DAY_LABELS[lang][d]).join(", ");
const partsText = (lang: Language, parts: ProfileDraft["parts"]) =>
  parts.map((p) => t(lang, `profile.part.${p}`)).join(", ");

/** Asks a person enrolling themselves which role they take; each button opens the matching form. */
export function chooseRoleCard(lang: Language, programme: { id: string; name: string }): Card {
  const question = t(lang, "join.chooseRole", { programme: programme.name });
  return {
    fallback: question,
    blocks: [
      { type: "text", text: question },
      {
        type: "actions",
        buttons: [
          {
            actionId: CHOOSE_ROLE_ACTION,
            label: t(lang, "join.asMentor"),
            value: profileTarget(programme.id, "mentor"),
          },
          {
            actionId: CHOOSE_ROLE_ACTION,
            label: t(lang, "join.asMentee"),
            value: profileTarget(programme.id, "mentee"),
          },
        ],
      },
    ],
  };
}

/**
 * The profile questionnaire for one role: mentors say what they offer and how many mentees they
 * take, mentees their goals. Days and parts of the day are typed as short lists, which every
 * platform's single-value inputs can hold.
 */
export function profileForm(
  lang: Language,
  programme: { id: string; name: string },
  role: ProfileRole,
  draft: ProfileDraft,
): Form {
  const blocks: Block[] = [
    {
      type: "text",
      text: t(lang, "profile.form.intro", { programme: programme.name, role: t(lang, `roleName.${role}`) }),
      style: "muted",
    },
    {
      type: "input",
      id: "skills",
      label: t(lang, role === "mentor" ? "profile.form.skills" : "profile.form.goals"),
      kind: "multiline",
      required: true,
      maxLength: 700,
      hint: t(lang, role === "mentor" ? "profile.form.skillsHint" : "profile.form.goalsHint"),
      ...(draft.skills.length > 0 ? { initial: draft.skills.join(", ") } : {}),
    },
    {
      type: "input",
      id: "domain",
      label: t(lang, "profile.form.domain"),
      kind: "text",
      required: false,
      maxLength: 100,
      hint: t(lang, "profile.form.domainHint"),
      ...(draft.domain ? { initial: draft.domain } : {}),
    },
    {
      type: "input",
      id: "days",
      label: t(lang, "profile.form.days"),
      kind: "text",
      required: true,
      maxLength: 100,
      placeholder: t(lang, "profile.form.daysPlaceholder"),
      hint: t(lang, "profile.form.daysHint"),
      ...(draft.days.length > 0 ? { initial: daysText(lang, draft.days) } : {}),
    },
    {
      type: "input",
      id: "parts",
      label: t(lang, "profile.form.parts"),
      kind: "text",
      required: true,
      maxLength: 100,
      placeholder: t(lang, "profile.form.partsPlaceholder"),
      hint: t(lang, "profile.form.partsHint"),
      ...(draft.parts.length > 0 ? { initial: partsText(lang, draft.parts) } : {}),
    },
    {
      type: "input",
      id: "timeZone",
      label: t(lang, "profile.form.timeZone"),
      kind: "text",
      required: true,
      maxLength: 60,
      hint: t(lang, "profile.form.timeZoneHint"),
      initial: draft.timeZone,
    },
    {
      type: "input",
      id: "languages",
      label: t(lang, "profile.form.languages"),
      kind: "text",
      required: true,
      maxLength: 100,
      hint: t(lang, "profile.form.languagesHint"),
      initial: draft.languages.join(", "),
    },
    {
      type: "input",
      id: "style",
      label: t(lang, "profile.form.style"),
      kind: "select",
      required: true,
      options: [1, 2, 3, 4, 5].map((n) => ({
        label: t(lang, `profile.form.style${n as 1 | 2 | 3 | 4 | 5}`),
        value: String(n),
      })),
      initial: String(draft.style ?? 3),
    },
  ];
  if (role === "mentor") {
    blocks.push({
      type: "input",
      id: "capacity",
      label: t(lang, "profile.form.capacity"),
      kind: "number",
      required: true,
      hint: t(lang, "profile.form.capacityHint"),
      initial: String(draft.capacity ?? 1),
    });
  }
  return {
    formId: PROFILE_FORM_ID,
    title: t(lang, "profile.form.title"),
    submitLabel: t(lang, "profile.form.submit"),
    cancelLabel: t(lang, "profile.form.cancel"),
    meta: profileTarget(programme.id, role),
    blocks,
  };
}

function profileFields(
  lang: Language,
  role: ProfileRole,
  answers: ProfileAnswers,
): Array<{ label: string; value: string }> {
  const fields = [
    { label: t(lang, "profile.role"), value: t(lang, `roleName.${role}`) },
    {
      label: t(lang, role === "mentor" ? "profile.form.skills" : "profile.form.goals"),
      value: answers.skills.join(", "),
    },
  ];
  if (answers.domain) fields.push({ label: t(lang, "profile.domain"), value: answers.domain });
  fields.push(
    {
      label: t(lang, "profile.availability"),
      value: `${daysText(lang, answers.availability.days)} · ${partsText(lang, answers.availability.parts)}`,
    },
    { label: t(lang, "profile.form.timeZone"), value: answers.timeZone },
    { label: t(lang, "profile.form.languages"), value: answers.languages.join(", ") },
  );
  if (answers.style !== undefined)
    fields.push({
      label: t(lang, "profile.style"),
      value: t(lang, `profile.form.style${answers.style as 1 | 2 | 3 | 4 | 5}`),
    });
  if (role === "mentor") fields.push({ label: t(lang, "profile.capacity"), value: String(answers.capacity ?? 1) });
  return fields;
}

/** Shown once the questionnaire is saved: what binome now knows, and the enrolment when it is new. */
export function savedCard(
  lang: Language,
  programmeName: string,
  role: ProfileRole,
  answers: ProfileAnswers,
  enrolled: boolean,
): Card {
  const roleName = t(lang, `roleName.${role}`);
  const headline = t(lang, "profile.saved", { programme: programmeName, role: roleName });
  const blocks: Block[] = [{ type: "text", text: headline, style: "bold" }];
  if (enrolled)
    blocks.push({ type: "text", text: t(lang, "profile.enrolled", { programme: programmeName, role: roleName }) });
  blocks.push({ type: "fields", fields: profileFields(lang, role, answers) });
  blocks.push({ type: "text", text: t(lang, "profile.howToEdit"), style: "muted" });
  return { fallback: headline, blocks };
}

/** `/binome profile`: each profile with a button that opens the questionnaire prefilled. */
export function profilesCard(lang: Language, stored: StoredProfile[]): Card {
  const blocks: Block[] = [];
  for (const [index, profile] of stored.entries()) {
    if (index > 0) blocks.push({ type: "divider" });
    blocks.push(
      { type: "header", text: t(lang, "profile.title", { programme: profile.programmeName }) },
      { type: "fields", fields: profileFields(lang, profile.role, profile.answers) },
      {
        type: "actions",
        buttons: [
          {
            actionId: EDIT_PROFILE_ACTION,
            label: t(lang, "profile.edit"),
            value: profileTarget(profile.programmeId, profile.role),
          },
        ],
      },
    );
  }
  const titles = stored.map(
    (p) => `${t(lang, "profile.title", { programme: p.programmeName })} (${t(lang, `roleName.${p.role}`)})`,
  );
  return { fallback: titles.join("\n"), blocks };
}
