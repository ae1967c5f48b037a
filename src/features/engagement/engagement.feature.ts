import { t } from "../../core/i18n/index.js";
import { hasRole } from "../commands/caller.js";
import type { Feature } from "../commands/feature.js";
import { CHECKIN_NOTE_FORM } from "./engagement.cards.js";
import {
  answerCheckin,
  type CheckinAnswer,
  checkinAwaitingSince,
  checkinHelp,
  homeBlocks,
  ladderReply,
  logFromReminder,
  noteForm,
  nudgeButton,
  nudgeCommand,
  optOut,
  pause,
  rateCheckin,
  resume,
  status,
  submitNote,
  typedReply,
} from "./engagement.usecases.js";

const ANSWERS = new Set<CheckinAnswer>(["met", "not_yet", "planned"]);

/** `checkinId:value` from a button. */
function split(value: string): [string, string] {
  const at = value.lastIndexOf(":");
  return [value.slice(0, at), value.slice(at + 1)];
}

/**
 * The engagement loop as people meet it: check-in answers (clicked or typed), help after "not
 * yet", the ladder's private question, pause/resume/stop, `/binome status`, `/binome nudge`, and
 * the home view. The scheduled side lives in due-work.ts, the attention rules in attention/gate.ts.
 */
export const engagementFeature: Feature = {
  aliases: {
    reprendre: "resume",
    arret: "stop",
    arrêt: "stop",
    optout: "stop",
    etat: "status",
    état: "status",
    relancer: "nudge",
    relance: "nudge",
  },
  commands: {
    pause: (caller, args, deps) => pause(deps, caller, args),
    resume: (caller, _args, deps) => resume(deps, caller),
    stop: (caller, _args, deps) => optOut(deps, caller),
    status: (caller, _args, deps) => status(deps, caller),
    nudge: (caller, args, deps) => nudgeCommand(deps, caller, args),
  },
  actions: {
    "checkin.answer": async (caller, value, deps) => {
      const [id, answer] = split(value);
      if (!ANSWERS.has(answer as CheckinAnswer)) return { type: "none" };
      await answerCheckin(deps, caller, id, answer as CheckinAnswer);
      return { type: "none" };
    },
    "checkin.useful": async (caller, value, deps) => {
      const [id, n] = split(value);
      await rateCheckin(deps, caller, id, Number(n));
      return { type: "none" };
    },
    "checkin.addNote": (caller, value, deps) => noteForm(deps, caller, split(value)[0]),
    "checkin.help": (caller, value, deps) => {
      const [id, help] = split(value);
      return checkinHelp(deps, caller, id, help);
    },
    "ladder.reply": (caller, value, deps) => ladderReply(deps, caller, value),
    "coord.nudge": (caller, value, deps) => nudgeButton(deps, caller, value),
    "engagement.log": (caller, _value, deps) => logFromReminder(deps, caller),
    "engagement.pause": (caller, value, deps) => pause(deps, caller, value),
    "engagement.resume": (caller, _value, deps) => resume(deps, caller),
  },
  forms: {
    [CHECKIN_NOTE_FORM]: (caller, values, deps, meta) => submitNote(deps, caller, values, meta),
  },
  freeText: (caller, text, deps, pass) => typedReply(deps, caller, text, pass),
  awaitingSince: (caller, deps) => checkinAwaitingSince(deps, caller),
  home: (caller, deps) => homeBlocks(deps, caller),
  help: (caller) => [
    t(caller.language, hasRole(caller, "coordinator") ? "help.status.coordinator" : "help.status"),
    ...(hasRole(caller, "coordinator") ? [t(caller.language, "help.nudge")] : []),
    ...(hasRole(caller, "mentor") || hasRole(caller, "mentee") ? [t(caller.language, "help.pause")] : []),
  ],
};
