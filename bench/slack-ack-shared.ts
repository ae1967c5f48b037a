// What the acknowledgement bench's processes agree on: the secret, the people, the clock.

import type { SeedSpec } from "../src/features/participants/seed.js";
import type { FakeSlackUser } from "../test/support/fake-slack.js";

export const SIGNING_SECRET = "bench-signing-secret";
export const TEAM_ID = "T0TEST";
/** Mentors, each with one mentee: one concurrent request per mentor. */
export const MENTORS = 50;

const two = (i: number) => String(i + 1).padStart(2, "0");

/** The Slack user id of mentor `i`. */
export function mentorUserId(i: number): string {
  return `UMENTOR${two(i)}`;
}

/** How mentor `i` names their mentee in `/binome log <mentee> …`: the mentee's first name. */
export function menteeWord(i: number): string {
  return `eleve${two(i)}`;
}

/** The programme of the bench: 50 mentors, 50 mentees, one pair each, everyone on Slack. */
export function benchSeed(): SeedSpec {
  const people: SeedSpec["people"] = [];
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < MENTORS; i++) {
    people.push({
      key: `mentor${i}`,
      name: `Mentor${two(i)} Martin`,
      email: `mentor${two(i)}@example.org`,
      roles: ["mentor"],
      identities: [{ platform: "slack", tenantId: TEAM_ID, userId: mentorUserId(i) }],
    });
    people.push({
      key: `mentee${i}`,
      name: `Eleve${two(i)} Petit`,
      email: `eleve${two(i)}@example.org`,
      roles: ["mentee"],
      identities: [{ platform: "slack", tenantId: TEAM_ID, userId: `UELEVE${two(i)}` }],
    });
    pairs.push([`mentor${i}`, `mentee${i}`]);
  }
  return { programme: { slug: "bench", name: "Cohorte bench" }, people, pairs };
}

/** The fake Web API's users (users.info), so that replies come in each mentor's language. */
export function benchUsers(): FakeSlackUser[] {
  return Array.from({ length: MENTORS }, (_, i) => ({
    id: mentorUserId(i),
    teamId: TEAM_ID,
    name: `Mentor${two(i)} Martin`,
    locale: "fr-FR",
  }));
}

/** Milliseconds since the epoch with sub-millisecond resolution, comparable across processes. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
