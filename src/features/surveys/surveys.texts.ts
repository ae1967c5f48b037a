import type { Language } from "../../core/i18n/index.js";

// The surveys' own sentences, kept beside the feature so that it owns its wording in both languages.
const fr = {
  "hint.scale": "Répondez par un nombre de {min} ({minLabel}) à {max} ({maxLabel}), ou touchez un bouton.",
  "hint.choice": "Répondez par le numéro d'une option ou par son intitulé, ou touchez un bouton : {options}",
  "hint.yesno": "Répondez par oui ou par non, ou touchez un bouton.",
  "hint.textEmpty": "Votre réponse est vide : écrivez quelques mots, ou passez la question.",
  "hint.textTooLong": "Votre réponse fait {length} caractères, pour {max} au plus. Pouvez-vous la raccourcir ?",
  "hint.outdated": "Cette question n'est plus celle en cours : répondez à la dernière question affichée.",
  "hint.nothingToUndo": "Vous êtes à la première question : il n'y a pas de réponse précédente.",
  progress: "Question {index}/{total}",
  optional: "(facultatif)",
  yes: "Oui",
  no: "Non",
  skip: "Passer",
  back: "Retour",
  typedReply: "Répondez par un message dans cette conversation.",
  scaleEnds: "{min} = {minLabel} · {max} = {maxLabel}",
  done: "Merci ! Vos réponses sont enregistrées.",
  doneDifficulty: "Vous avez signalé une difficulté : votre coordinateur ou coordinatrice va revenir vers vous.",
  alreadyDone: "Vous avez déjà répondu à ce questionnaire : vos réponses sont enregistrées. Merci !",
  closed: "Ce questionnaire est clos : il n'accepte plus de réponses.",
  closedOn: "Ce questionnaire est clos depuis le {date} : il n'accepte plus de réponses.",
  reminder:
    "Petit rappel : votre questionnaire vous attend, jusqu'au {date}. Vous reprenez là où vous vous étiez arrêté·e.",
  gone: "Ce questionnaire n'existe plus. Rien n'a été enregistré.",
} as const;

export type SurveyTextKey = keyof typeof fr;

const en: Record<SurveyTextKey, string> = {
  "hint.scale": "Reply with a number from {min} ({minLabel}) to {max} ({maxLabel}), or tap a button.",
  "hint.choice": "Reply with the number of an option or its wording, or tap a button: {options}",
  "hint.yesno": "Reply yes or no, or tap a button.",
  "hint.textEmpty": "Your reply is empty: write a few words, or skip the question.",
  "hint.textTooLong": "Your reply is {length} characters long, and {max} is the most. Could you shorten it?",
  "hint.outdated": "This question is no longer the current one: please answer the last question shown.",
  "hint.nothingToUndo": "This is the first question: there is no previous answer.",
  progress: "Question {index}/{total}",
  optional: "(optional)",
  yes: "Yes",
  no: "No",
  skip: "Skip",
  back: "Back",
  typedReply: "Reply with a message in this conversation.",
  scaleEnds: "{min} = {minLabel} · {max} = {maxLabel}",
  done: "Thank you! Your answers have been saved.",
  doneDifficulty: "You reported a difficulty: your coordinator will get back to you.",
  alreadyDone: "You have already answered this survey: your answers are saved. Thank you!",
  closed: "This survey is closed: it no longer accepts answers.",
  closedOn: "This survey closed on {date}: it no longer accepts answers.",
  reminder: "A gentle reminder: your survey is waiting for you until {date}. You pick up where you left off.",
  gone: "This survey no longer exists. Nothing was recorded.",
};

const catalogs: Record<Language, Record<SurveyTextKey, string>> = { fr, en };

/** A sentence that a caller renders in the person's language: a key and its parameters. */
export interface SurveyHint {
  key: SurveyTextKey;
  params?: Record<string, string | number>;
}

/** The sentence for `key` in `lang`, with `{name}` placeholders filled. */
export function surveyText(lang: Language, key: SurveyTextKey, params: Record<string, string | number> = {}): string {
  return catalogs[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
