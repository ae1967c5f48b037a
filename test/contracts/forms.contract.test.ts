import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Participant } from "../../src/features/participants/participants.repository.js";
import { LOG_FORM_ID, logForm } from "../../src/features/sessions/sessions.cards.js";
import { contractPeople, drivers, neutral, type RunningAdapter } from "./drivers.js";

const mentee = (id: string, name: string) => ({ id, name, email: `${id}@example.org` }) as Participant;
const pairs = [
  { pairId: "3f0c6a52-9a1e-4c7b-8d2f-5e6a7b8c9d01", mentee: mentee("hugo", "Hugo Moreau") },
  { pairId: "8b2d4e61-0c3f-4a5b-9e7d-1f2a3b4c5d02", mentee: mentee("lea", "Léa Petit") },
];
const form = logForm("fr", pairs, "2026-11-27");

const filled = {
  pair: "8b2d4e61-0c3f-4a5b-9e7d-1f2a3b4c5d02",
  date: "2026-11-26",
  duration: "1h30",
  topics: "Révision du CV\nPréparer l'entretien « stage » & le pitch",
  next: "",
};

describe.each(drivers)(
  "$platform: the session form, filled and submitted, reaches the core as the same form",
  (driver) => {
    let adapter: RunningAdapter;
    beforeAll(async () => {
      adapter = await driver.start();
    });
    afterAll(() => adapter?.close());

    it("gives log-session with the mentee's pair, the date, the duration, the topics and empty next steps", async () => {
      const submissions = await adapter.submitForm(form, filled, contractPeople.marc);
      expect(submissions.length).toBeGreaterThan(0);
      for (const { way, event } of submissions) {
        expect(neutral(event), way).toEqual({
          type: "form",
          formId: LOG_FORM_ID,
          values: filled,
          actor: driver.userOf(contractPeople.marc),
        });
      }
    });

    it("gives back the form's opaque meta unchanged", async () => {
      const meta = "programme:cohorte-2026|conversation:é";
      const withMeta = { ...form, meta };
      const typed = { ...filled, next: "Contacter deux entreprises" };
      for (const { way, event } of await adapter.submitForm(withMeta, typed, contractPeople.marc)) {
        expect(neutral(event), way).toEqual({
          type: "form",
          formId: LOG_FORM_ID,
          values: typed,
          meta,
          actor: driver.userOf(contractPeople.marc),
        });
      }
    });
  },
);
