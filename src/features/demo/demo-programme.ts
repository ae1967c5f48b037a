import { count } from "drizzle-orm";
import type { Database } from "../../../db/client.js";
import { programmes } from "../../../db/schema.js";
import { applySeed, type SeedSpec } from "../participants/seed.js";

/** The playground channel the demo coordinators read, as stored on the programme. */
export const DEMO_COORDINATOR_CHANNEL = "playground:coordinateurs";

const person = (
  key: string,
  name: string,
  roles: SeedSpec["people"][number]["roles"],
  extra: Partial<SeedSpec["people"][number]> = {},
) => ({
  key,
  name,
  email: `${key}@demo.binome.example`,
  roles,
  identities: [{ platform: "playground" as const, userId: key }],
  ...extra,
});

/**
 * The demo programme a newcomer plays with: a coordinator, three mentors (one English-speaking),
 * five mentees of whom one is not paired yet. Playground ids are the people's first names.
 */
export const demoProgramme: SeedSpec = {
  programme: { slug: "demo", name: "Tremplin (démo)", coordinatorChannel: DEMO_COORDINATOR_CHANNEL },
  people: [
    person("claire", "Claire Fontaine", ["coordinator"]),
    person("thomas", "Thomas Lefèvre", ["mentor"], { skills: ["CV", "entretien", "reconversion"] }),
    person("nadia", "Nadia Benali", ["mentor"], { skills: ["développement web", "portfolio", "entretien"] }),
    person("sophie", "Sophie Marchand", ["mentor"], {
      language: "en",
      skills: ["anglais professionnel", "gestion de projet"],
    }),
    person("lea", "Léa Petit", ["mentee"], { skills: ["CV", "entretien"] }),
    person("hugo", "Hugo Moreau", ["mentee"], { skills: ["reconversion"] }),
    person("ines", "Inès Laurent", ["mentee"], { skills: ["développement web", "portfolio"] }),
    person("lucas", "Lucas Girard", ["mentee"], { skills: ["gestion de projet", "anglais professionnel"] }),
    person("camille", "Camille Roux", ["mentee"], { skills: ["entretien", "portfolio"] }),
  ],
  pairs: [
    ["thomas", "lea"],
    ["thomas", "hugo"],
    ["nadia", "ines"],
    ["sophie", "lucas"],
  ],
};

/** Seeds the demo programme when the database holds no programme at all, so real data is never touched; true when it did. */
export async function seedDemoIfEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(programmes);
  if ((row?.n ?? 0) > 0) return false;
  await applySeed(db, demoProgramme);
  return true;
}
