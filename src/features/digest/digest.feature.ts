import { t } from "../../core/i18n/index.js";
import { hasRole } from "../commands/caller.js";
import type { Feature } from "../commands/feature.js";
import { DIGEST_ACTIONS } from "./digest.cards.js";
import { digestCommand, markAttentionHandled, reassignHint } from "./digest.usecases.js";

/**
 * The weekly digest as coordinators meet it: `/binome digest` on demand, and the digest's buttons
 * "Mark handled" and "Reassign" ("Nudge now" is the engagement feature's `coord.nudge`). The
 * weekly message itself is written by digest.task.ts.
 */
export const digestFeature: Feature = {
  aliases: { synthese: "digest", synthèse: "digest", hebdo: "digest" },
  commands: { digest: (caller, args, deps) => digestCommand(deps, caller, args) },
  actions: {
    [DIGEST_ACTIONS.handled]: (caller, value, deps) => markAttentionHandled(deps, caller, value),
    [DIGEST_ACTIONS.reassign]: (caller, value, deps) => reassignHint(deps, caller, value),
  },
  help: (caller) => (hasRole(caller, "coordinator") ? [t(caller.language, "help.digest")] : []),
};
