import { t } from "../../core/i18n/index.js";
import { decodePersonRef } from "../../core/ids.js";
import { hasRole } from "../commands/caller.js";
import type { Feature } from "../commands/feature.js";
import { MENTION } from "../participants/names.js";
import { findParticipantByIdentity } from "../participants/participants.repository.js";
import { LOG_FORM_ID } from "./sessions.cards.js";
import { listSessions, logSession, submitLogForm } from "./sessions.usecases.js";

/** Session logging and listing: `/binome log`, `/binome sessions`, the log form. */
export const sessionsFeature: Feature = {
  aliases: { note: "log", noter: "log", séances: "sessions", seances: "sessions" },
  commands: {
    log: async (caller, args, deps) => {
      const first = args.split(/\s+/)[0] ?? "";
      const mention = MENTION.exec(first);
      if (!mention?.[1]) return logSession(deps, caller, args);
      const user = decodePersonRef(mention[1]);
      const participant = user ? await findParticipantByIdentity(deps.db, user.platform, user.userId) : undefined;
      // A mention of someone binome does not know still names a person who is not the caller's mentee.
      const label = participant ? `@${participant.name}` : t(caller.language, "log.unknownPerson");
      return logSession(deps, caller, args, { participantId: participant?.id, label });
    },
    sessions: (caller, _args, deps) => listSessions(deps, caller),
  },
  forms: { [LOG_FORM_ID]: (caller, values, deps) => submitLogForm(deps, caller, values) },
  help: (caller) => [
    ...(hasRole(caller, "mentor") ? [t(caller.language, "help.mentor.log")] : []),
    t(caller.language, hasRole(caller, "coordinator") ? "help.sessions.coordinator" : "help.sessions.own"),
  ],
};
