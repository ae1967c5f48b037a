import { t } from "../../core/i18n/index.js";
import { hasRole } from "../commands/caller.js";
import type { Feature } from "../commands/feature.js";
import { agreeToCharter } from "../introductions/introductions.usecases.js";
import { approveMatch, pairByHand, rerunMatch, runMatch } from "./proposals.usecases.js";

/** Matching and introductions: `/binome match`, `pair`, `reassign`, the review buttons and the charter. */
export const matchingFeature: Feature = {
  aliases: { apparier: "pair", binomer: "pair", reaffecter: "reassign", réaffecter: "reassign" },
  commands: {
    match: (caller, args, deps) => runMatch(deps, caller, args),
    pair: (caller, args, deps) => pairByHand(deps, caller, args, "pair"),
    reassign: (caller, args, deps) => pairByHand(deps, caller, args, "reassign"),
  },
  actions: {
    "match.approve": (caller, value, deps) => approveMatch(deps, caller, value),
    "match.rerun": (caller, value, deps) => rerunMatch(deps, caller, value),
    "charter.agree": (caller, value, deps) => agreeToCharter(deps, caller, value),
  },
  help: (caller) =>
    hasRole(caller, "coordinator")
      ? [t(caller.language, "help.match"), t(caller.language, "help.pair"), t(caller.language, "help.reassign")]
      : [],
};
