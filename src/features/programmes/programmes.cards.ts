import type { Block, Card } from "../../core/card.js";
import { formatDate, type Language, t } from "../../core/i18n/index.js";
import type { Programme, Role } from "../participants/participants.repository.js";
import { definitionFromSettings } from "./programme-file.js";

/** One programme as `/binome programme` shows it. */
export interface ProgrammeEntry {
  programme: Programme;
  coordinators: string[];
  roles: Role[];
}

/** A period of the programme file (`2w`, `10d`) as a phrase: "toutes les 2 semaines", "every 10 days". */
export function formatPeriod(lang: Language, period: string): string {
  const match = /^(\d+)\s*([dw])$/.exec(period.trim());
  const count = Number(match?.[1] ?? 1);
  const unit = match?.[2] === "d" ? "Day" : "Week";
  return count === 1 ? t(lang, `period.every${unit}`) : t(lang, `period.every${unit}s`, { count });
}

function programmeBlocks(lang: Language, entry: ProgrammeEntry): { blocks: Block[]; summary: string } {
  const { programme, coordinators, roles } = entry;
  const definition = definitionFromSettings(programme.settings);
  const start = definition?.start ?? programme.startsOn;
  const end = definition?.end ?? programme.endsOn;
  const dates =
    start && end
      ? t(lang, "programme.datesValue", { start: formatDate(lang, start), end: formatDate(lang, end) })
      : t(lang, "programme.datesUnknown");
  const role = roles.map((r) => t(lang, `roleName.${r}`)).join(", ");
  const fields = [
    { label: t(lang, "programme.dates"), value: dates },
    { label: t(lang, "programme.yourRole"), value: role },
  ];
  if (definition) {
    const checkIns = t(
      lang,
      definition.checkIns.audience === "both" ? "programme.checkInsBoth" : "programme.checkInsMentee",
      {
        every: formatPeriod(lang, definition.checkIns.every),
      },
    );
    fields.push(
      {
        label: t(lang, "programme.cadence"),
        value: t(lang, "programme.cadenceValue", { every: formatPeriod(lang, definition.cadence.every) }),
      },
      { label: t(lang, "programme.checkIns"), value: checkIns },
      {
        label: t(lang, "programme.surveys"),
        value: t(lang, "programme.surveysValue", {
          midterm: formatDate(lang, definition.surveys.midterm),
          end: formatDate(lang, definition.surveys.end),
        }),
      },
    );
  }
  fields.push({
    label: t(lang, "programme.coordinators"),
    value: coordinators.length > 0 ? coordinators.join(", ") : t(lang, "programme.nobody"),
  });
  const blocks: Block[] = [
    { type: "header", text: programme.name },
    { type: "fields", fields },
  ];
  if (definition && definition.objectives.length > 0) {
    blocks.push({ type: "text", text: t(lang, "programme.objectives"), style: "bold" });
    blocks.push({ type: "text", text: definition.objectives.map((o) => `• ${o}`).join("\n") });
  }
  if (!definition) blocks.push({ type: "text", text: t(lang, "programme.noSettings"), style: "muted" });
  return { blocks, summary: `${programme.name} (${dates}) · ${role}` };
}

/** The caller's programmes, one section each, separated by a divider. */
export function programmesCard(lang: Language, entries: ProgrammeEntry[]): Card {
  const sections = entries.map((entry) => programmeBlocks(lang, entry));
  return {
    fallback: sections.map((s) => s.summary).join("\n"),
    blocks: sections.flatMap((s, index) => (index === 0 ? s.blocks : [{ type: "divider" as const }, ...s.blocks])),
  };
}
