import type { SeedSpec } from "../../src/features/participants/seed.js";

/** A small programme used across tests: one coordinator, two mentors, three mentees. */
export const programmeFixture: SeedSpec = {
  programme: { slug: "cohorte-test", name: "Cohorte test", coordinatorChannel: "slack:C0COORD" },
  people: [
    {
      key: "claire",
      name: "Claire Martin",
      email: "claire@example.org",
      roles: ["coordinator"],
      identities: [{ platform: "slack", tenantId: "T0TEST", userId: "UCLAIRE" }],
    },
    {
      key: "marc",
      name: "Marc Dubois",
      email: "marc@example.org",
      roles: ["mentor"],
      identities: [{ platform: "slack", tenantId: "T0TEST", userId: "UMARC" }],
    },
    {
      key: "sophie",
      name: "Sophie Bernard",
      email: "sophie@example.org",
      roles: ["mentor"],
      language: "en",
      identities: [{ platform: "slack", tenantId: "T0TEST", userId: "USOPHIE" }],
    },
    {
      key: "lea",
      name: "Léa Petit",
      email: "lea@example.org",
      roles: ["mentee"],
      identities: [{ platform: "slack", tenantId: "T0TEST", userId: "ULEA" }],
    },
    {
      key: "hugo",
      name: "Hugo Moreau",
      email: "hugo@example.org",
      roles: ["mentee"],
      identities: [{ platform: "slack", tenantId: "T0TEST", userId: "UHUGO" }],
    },
    {
      key: "ines",
      name: "Inès Laurent",
      email: "ines@example.org",
      roles: ["mentee"],
      identities: [{ platform: "slack", tenantId: "T0TEST", userId: "UINES" }],
    },
  ],
  pairs: [
    ["marc", "lea"],
    ["marc", "hugo"],
    ["sophie", "ines"],
  ],
};
