import type { Feature } from "../commands/feature.js";
import { SURVEY_ANSWER_ACTION, SURVEY_BACK_ACTION, SURVEY_SKIP_ACTION } from "./survey.cards.js";
import { surveyAction, surveyAwaitingSince, typedSurveyReply } from "./surveys.usecases.js";

/** Mid-term and end-of-programme surveys, one question at a time in the DM, by click or typed reply. */
export const surveysFeature: Feature = {
  actions: {
    [SURVEY_ANSWER_ACTION]: (caller, value, deps) => surveyAction(deps, caller, "answer", value),
    [SURVEY_SKIP_ACTION]: (caller, value, deps) => surveyAction(deps, caller, "skip", value),
    [SURVEY_BACK_ACTION]: (caller, value, deps) => surveyAction(deps, caller, "back", value),
  },
  freeText: (caller, text, deps, pass) => typedSurveyReply(deps, caller, text, pass),
  awaitingSince: (caller, deps) => surveyAwaitingSince(deps, caller),
};
