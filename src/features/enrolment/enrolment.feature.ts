import { t } from "../../core/i18n/index.js";
import type { Feature } from "../commands/feature.js";
import { CHOOSE_ROLE_ACTION, EDIT_PROFILE_ACTION, PROFILE_FORM_ID } from "./enrolment.cards.js";
import { openProfileForm, showProfile, startJoin, submitProfileForm } from "./enrolment.usecases.js";

/** Enrolment in chat: `/binome join` (the profile questionnaire), `/binome profile` (see and edit it). */
export const enrolmentFeature: Feature = {
  aliases: { rejoindre: "join", inscription: "join", profil: "profile" },
  commands: {
    join: (caller, args, deps) => startJoin(deps, caller, args),
    profile: (caller, _args, deps) => showProfile(deps, caller),
  },
  actions: {
    [CHOOSE_ROLE_ACTION]: (caller, value, deps) => openProfileForm(deps, caller, value),
    [EDIT_PROFILE_ACTION]: (caller, value, deps) => openProfileForm(deps, caller, value),
  },
  forms: { [PROFILE_FORM_ID]: (caller, values, deps, meta) => submitProfileForm(deps, caller, values, meta) },
  // People a coordinator imported but enrolled nowhere may enrol themselves: the coordinator still approves every pair.
  forNewcomers: ["join", CHOOSE_ROLE_ACTION, PROFILE_FORM_ID],
  help: (caller) =>
    caller.enrolments.some((e) => e.role !== "coordinator")
      ? [t(caller.language, "help.join"), t(caller.language, "help.profile")]
      : [t(caller.language, "help.join")],
};
