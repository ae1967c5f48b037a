import { t } from "../../core/i18n/index.js";
import type { Feature } from "../commands/feature.js";
import { showProgrammes } from "./programmes.usecases.js";

/** `/binome programme`: the caller's programmes as their coordinators wrote them. */
export const programmesFeature: Feature = {
  aliases: { programmes: "programme", program: "programme" },
  commands: { programme: (caller, _args, deps) => showProgrammes(deps, caller) },
  help: (caller) => [t(caller.language, "help.programme")],
};
