// What the survey-step bench's processes agree on: the respondents, the steps they take, what arrives.

import { benchSeed } from "./slack-ack-shared.js";

/** A message binome posted (to a channel or user id), or a private answer on a response_url id. */
export interface Arrival {
  to: string;
  at: number;
  text: string;
}

/** A mentee of the bench programme with the mid-term survey binome sent them. */
export interface Respondent {
  userId: string;
  responseId: string;
}

/** The Slack user ids of the bench programme's 50 mentees, who take the survey. */
export function respondentUserIds(): string[] {
  return benchSeed()
    .people.filter((p) => p.roles.includes("mentee"))
    .map((p) => p.identities?.[0]?.userId ?? "");
}

/**
 * The steps each respondent takes, round after round, on the default mid-term mentee survey: two
 * answers then two Backs, so that the survey never ends and every round is a real step (lock, read,
 * save, next question written to the outbox). `next` is how the question that follows is counted.
 */
export const STEP_CYCLE = [
  { actionId: "survey.answer", questionId: "relationship", value: "yes", next: "Question 2/5" },
  { actionId: "survey.answer", questionId: "satisfaction", value: "4", next: "Question 3/4" },
  { actionId: "survey.back", questionId: "difficulty", value: "", next: "Question 2/5" },
  { actionId: "survey.back", questionId: "satisfaction", value: "", next: "Question 1/5" },
] as const;
