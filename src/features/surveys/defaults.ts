import { type SurveyDefinition, type SurveyDefinitionInput, validateSurveyDefinition } from "./definition.js";

// Written as TypeScript rather than YAML files: `tsc` does not copy YAML into dist, and a
// typo here should fail the first import (and the tests), not a survey sent months later.

const satisfaction = { fr: ["décevants", "excellents"], en: ["disappointing", "excellent"] };
const notAtAllToALot = { fr: ["pas du tout", "beaucoup"], en: ["not at all", "a lot"] };

/** A yes/no "anything to report?" and, on yes, its description: both tell the coordinator. */
function difficultyQuestions(): SurveyDefinitionInput["questions"] {
  return [
    {
      id: "difficulty",
      kind: "yesno",
      text: {
        fr: "Rencontrez-vous une difficulté que vous souhaitez signaler à l'équipe du programme ?",
        en: "Is there a difficulty you would like to report to the programme team?",
      },
      raisesDifficulty: true,
    },
    {
      id: "difficulty-details",
      kind: "text",
      text: {
        fr: "Décrivez-la en quelques mots : l'équipe du programme reviendra vers vous.",
        en: "Describe it in a few words: the programme team will get back to you.",
      },
      optional: true,
      askIf: { question: "difficulty", op: "=", value: "yes" },
      raisesDifficulty: true,
    },
  ];
}

const midtermMentee: SurveyDefinitionInput = {
  id: "midterm-mentee",
  title: { fr: "Bilan de mi-parcours", en: "Mid-programme check-in" },
  intro: {
    fr: "Quelques questions sur votre binôme, deux minutes au plus. Vous pouvez passer une question à tout moment.",
    en: "A few questions about your mentoring, two minutes at most. You may skip any question.",
  },
  audience: "mentee",
  questions: [
    {
      id: "relationship",
      kind: "yesno",
      text: {
        fr: "Votre relation de mentorat est-elle bien lancée (premiers échanges faits, rythme trouvé) ?",
        en: "Is your mentoring relationship up and running (first conversations held, a rhythm found)?",
      },
    },
    {
      id: "satisfaction",
      kind: "scale",
      text: {
        fr: "Jusqu'ici, comment jugez-vous vos échanges avec votre mentor ?",
        en: "So far, how would you rate your conversations with your mentor?",
      },
      labels: satisfaction,
    },
    {
      id: "what-would-help",
      kind: "text",
      text: {
        fr: "Qu'est-ce qui rendrait ces échanges plus utiles pour vous ?",
        en: "What would make these conversations more useful to you?",
      },
      optional: true,
      askIf: { question: "satisfaction", op: "<=", value: 2 },
    },
    ...difficultyQuestions(),
  ],
};

const midtermMentor: SurveyDefinitionInput = {
  id: "midterm-mentor",
  title: { fr: "Bilan de mi-parcours", en: "Mid-programme check-in" },
  intro: {
    fr: "Quelques questions sur votre binôme, deux minutes au plus. Vous pouvez passer une question à tout moment.",
    en: "A few questions about your mentoring, two minutes at most. You may skip any question.",
  },
  audience: "mentor",
  questions: [
    {
      id: "relationship",
      kind: "yesno",
      text: {
        fr: "Votre binôme est-il bien lancé (premiers échanges faits, rythme trouvé) ?",
        en: "Is your mentoring relationship up and running (first conversations held, a rhythm found)?",
      },
    },
    {
      id: "frequency",
      kind: "scale",
      text: {
        fr: "Le rythme de vos échanges vous paraît-il adapté aux besoins de votre mentoré ?",
        en: "Does the frequency of your conversations suit your mentee's needs?",
      },
      labels: { fr: ["pas du tout", "tout à fait"], en: ["not at all", "completely"] },
    },
    ...difficultyQuestions(),
  ],
};

const endMentee: SurveyDefinitionInput = {
  id: "end-mentee",
  title: { fr: "Bilan de fin de programme", en: "End-of-programme review" },
  intro: {
    fr: "Le programme s'achève : quelques questions pour mesurer ce qu'il vous a apporté. Vous pouvez passer une question.",
    en: "The programme is ending: a few questions on what it brought you. You may skip any question.",
  },
  audience: "mentee",
  questions: [
    {
      id: "objectives",
      kind: "scale",
      text: {
        fr: "Dans quelle mesure avez-vous atteint les objectifs fixés au début du programme ?",
        en: "To what extent have you reached the objectives set at the start of the programme?",
      },
      labels: { fr: ["pas du tout", "entièrement"], en: ["not at all", "fully"] },
    },
    {
      id: "competence",
      kind: "scale",
      text: {
        fr: "Avez-vous gagné en compétences dans votre métier grâce au mentorat ?",
        en: "Has the mentoring made you more competent in your work?",
      },
      labels: notAtAllToALot,
    },
    {
      id: "confidence",
      kind: "scale",
      text: {
        fr: "Avez-vous gagné en confiance en vous grâce au mentorat ?",
        en: "Has the mentoring made you more confident?",
      },
      labels: notAtAllToALot,
    },
    {
      id: "impact",
      kind: "choice",
      text: {
        fr: "Le mentorat a-t-il déjà eu un effet concret ? Choisissez le principal.",
        en: "Has the mentoring had a concrete effect yet? Choose the main one.",
      },
      options: [
        { id: "new-job", fr: "Un nouvel emploi ou poste", en: "A new job or role" },
        { id: "certification", fr: "Une certification obtenue", en: "A certification obtained" },
        { id: "performance", fr: "De meilleurs résultats au travail", en: "Better performance at work" },
        { id: "none-yet", fr: "Pas encore", en: "Not yet" },
        { id: "other", fr: "Autre", en: "Other" },
      ],
    },
    {
      id: "impact-other",
      kind: "text",
      text: { fr: "Lequel ?", en: "Which one?" },
      optional: true,
      askIf: { question: "impact", op: "=", value: "other" },
    },
    {
      id: "comment",
      kind: "text",
      text: {
        fr: "Un dernier mot sur le programme ou sur votre mentor ?",
        en: "Anything else you would like to say about the programme or your mentor?",
      },
      optional: true,
    },
  ],
};

const endMentor: SurveyDefinitionInput = {
  id: "end-mentor",
  title: { fr: "Bilan de fin de programme", en: "End-of-programme review" },
  intro: {
    fr: "Le programme s'achève : trois questions sur votre expérience de mentor. Vous pouvez passer une question.",
    en: "The programme is ending: three questions on your experience as a mentor. You may skip any question.",
  },
  audience: "mentor",
  questions: [
    {
      id: "progress",
      kind: "scale",
      text: {
        fr: "Quels progrès avez-vous observés chez votre mentoré depuis le début du programme ?",
        en: "How much progress have you seen in your mentee since the start of the programme?",
      },
      labels: { fr: ["aucun", "très nets"], en: ["none", "a great deal"] },
    },
    {
      id: "mentor-again",
      kind: "yesno",
      text: {
        fr: "Accepteriez-vous d'accompagner une autre personne lors d'un prochain programme ?",
        en: "Would you mentor someone again in a future programme?",
      },
    },
    {
      id: "comment",
      kind: "text",
      text: {
        fr: "Un commentaire sur le programme, pour nous aider à l'améliorer ?",
        en: "Any comment on the programme, to help us improve it?",
      },
      optional: true,
    },
  ],
};

function validated(input: SurveyDefinitionInput): SurveyDefinition {
  const result = validateSurveyDefinition(input);
  if (!result.ok) throw new Error(`default survey "${input.id}" is invalid: ${result.errors.join("; ")}`);
  return result.survey;
}

export type SurveyMoment = "midterm" | "end";
export type SurveyAudience = SurveyDefinition["audience"];

/** The surveys binome sends when a programme names none of its own, by moment and audience. */
export const DEFAULT_SURVEYS: Record<SurveyMoment, Record<SurveyAudience, SurveyDefinition>> = {
  midterm: { mentee: validated(midtermMentee), mentor: validated(midtermMentor) },
  end: { mentee: validated(endMentee), mentor: validated(endMentor) },
};

export function defaultSurvey(moment: SurveyMoment, audience: SurveyAudience): SurveyDefinition {
  return DEFAULT_SURVEYS[moment][audience];
}
