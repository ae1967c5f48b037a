import { t } from "../../core/i18n/index.js";
import { hasRole } from "../commands/caller.js";
import type { Feature } from "../commands/feature.js";
import { DIFFICULTY_FORM, markHandled, raiseCommand, submitDifficultyForm } from "./difficulties.usecases.js";

/**
 * A private route for difficulties: `/binome help me …` (or `/binome difficulty …`) reaches the
 * coordinators, who mark it handled; the register keeps who raised what, and who handled it when.
 */
export const difficultiesFeature: Feature = {
  aliases: { difficulte: "difficulty", difficulté: "difficulty", probleme: "difficulty", problème: "difficulty" },
  commands: { difficulty: (caller, args, deps) => raiseCommand(deps, caller, args) },
  actions: { "difficulty.handle": (caller, value, deps) => markHandled(deps, caller, value) },
  forms: { [DIFFICULTY_FORM]: (caller, values, deps) => submitDifficultyForm(deps, caller, values) },
  help: (caller) =>
    hasRole(caller, "mentee") || hasRole(caller, "mentor") ? [t(caller.language, "help.difficulty")] : [],
};
