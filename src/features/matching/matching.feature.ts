import { t } from "../../core/i18n/index.js";
import { hasRole } from "../commands/caller.js";
import type { Feature } from "../commands/feature.js";
import { agreeToCharter } from "../introductions/introductions.usecases.js";
import { chooseMentor, clearChoices, showCatalogue } from "./catalogue.js";
import { approveMatch, pairByHand, rerunMatch, runMatch } from "./proposals.usecases.js";

/** Matching and introductions: `/binome match`, `pair`, `reassign`, the review buttons and the charter. */
export const matchingFeature: Feature = {
  aliases: { catalogue: "mentors", apparier: "pair", binomer: "pair", reaffecter: "reassign", réaffecter: "reassign" },
  commands: {
    match: (caller, args, deps) => runMatch(deps, caller, args),
    pair: (caller, args, deps) => pairByHand(deps, caller, args, "pair"),
    reassign: (caller, args, deps) => pairByHand(deps, caller, args, "reassign"),
    mentors: (caller, _args, deps) => showCatalogue(deps, caller),
  },
  actions: {
    "match.approve": (caller, value, deps) => approveMatch(deps, caller, value),
    "match.rerun": (caller, value, deps) => rerunMatch(deps, caller, value),
    "charter.agree": (caller, value, deps) => agreeToCharter(deps, caller, value),
    "catalogue.choose": (caller, value, deps) => chooseMentor(deps, caller, value),
    "catalogue.clear": (caller, value, deps) => clearChoices(deps, caller, value),
  },
  help: (caller) => [
    ...(hasRole(caller, "mentee") ? [t(caller.language, "help.mentors")] : []),
    ...(hasRole(caller, "coordinator")
      ? [t(caller.language, "help.match"), t(caller.language, "help.pair"), t(caller.language, "help.reassign")]
      : []),
  ],
};
