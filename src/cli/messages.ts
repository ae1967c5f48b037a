/** The languages the command line speaks to operators. */
export type CliLanguage = "fr" | "en";

const fr = {
  usage: `binome — programmes de mentorat dans Slack et Teams

Utilisation :
  binome import <fichier.csv> [--programme <slug>] [--programme-name <nom>] [--no-slack-lookup]
      Importe coordinateurs, mentors, mentorés et binômes. Un fichier avec une erreur n'écrit rien ;
      le réimporter met à jour sans dupliquer. Programme par défaut : « default » (créé s'il manque).
  binome programme apply <fichier.yaml>
      Crée ou met à jour un programme (dates, objectifs, rythme, coordination) depuis son fichier.
      Un fichier avec une erreur n'écrit rien ; le réappliquer met à jour sans dupliquer.
  binome export evidence --programme <slug> [--out <dossier>] [--organisation <nom>] [--font <police.ttf>]
      Écrit les preuves du suivi : une fiche PDF par bénéficiaire (séances, points d'étape, relances,
      questionnaires, difficultés), les mêmes données en CSV et la synthèse du programme (PDF et CSV).
      Dossier par défaut : ./exports/<slug>-<date>/.
  binome export person <e-mail> [--out <fichier.json>]
      Tout ce que binome garde sur une personne, en JSON, table par table.
  binome erase person <e-mail> [--yes]
      Efface les données personnelles d'une personne et ne garde que des chiffres anonymes ;
      sans --yes, montre ce qui serait effacé sans rien changer.
  binome migrate
      Met à jour le schéma de la base de données, puis s'arrête.
  binome help
      Affiche cette aide.

Base de données : DATABASE_URL (PostgreSQL) ou, sinon, PGlite dans DATA_DIR (./data).
Comptes Slack : avec SLACK_BOT_TOKEN, les personnes sans slack_user_id sont cherchées par e-mail.`,
  unknownCommand: "Commande inconnue : « {command} ».",
  unknownOption: "Option inconnue : « {option} ».",
  missingValue: "L'option {option} attend une valeur.",
  missingFile: "Indiquez le fichier à importer : binome import <fichier.csv>.",
  extraArgument: "Argument en trop : « {value} ».",
  badSlug:
    "Le slug de programme « {value} » ne convient pas : lettres minuscules, chiffres et tirets seulement (ex. cohorte-2026).",
  unreadableFile: "Impossible de lire {file} : {reason}",
  failed: "Échec : {reason}",
  migrated: "Base de données à jour ({kind}).",
  errorsHeader: "{file} : {count} erreur(s), rien n'a été importé.",
  warningsHeader: "À noter :",
  line: "ligne {line} : {text}",
  summaryProgramme: "Programme « {name} » ({slug}){created}.",
  summaryCreatedSuffix: ", créé",
  summaryPeople: "Personnes : {created} créée(s), {updated} mise(s) à jour, {unchanged} inchangée(s).",
  summaryEnrolments: "Rôles ajoutés : {count}.",
  summaryPairs: "Binômes : {created} créé(s), dont {replaced} en remplacement d'un binôme terminé.",
  summaryIdentities: "Comptes Slack/Teams liés : {linked}, dont {resolved} trouvé(s) sur Slack par e-mail.",
  "file.notUtf8":
    "le fichier n'est pas en UTF-8. Dans Excel, enregistrez-le au format « CSV UTF-8 (délimité par des points-virgules) ».",
  "file.empty": "le fichier ne contient aucune ligne de participant après l'en-tête.",
  "file.malformed": "le fichier CSV est mal formé ({reason}).",
  "header.missingColumn": "l'en-tête n'a pas de colonne « {column} », qui est obligatoire.",
  "header.unknownColumn": "colonne inconnue « {column} ». Colonnes possibles : {expected}.",
  "header.duplicateColumn": "la colonne « {column} » apparaît deux fois.",
  "row.columnCount": "{count} colonne(s) au lieu de {expected}. Vérifiez les séparateurs et les guillemets.",
  "name.required": "le nom est vide.",
  "name.tooLong": "le nom dépasse 200 caractères.",
  "email.required": "l'e-mail est vide.",
  "email.invalid": "« {value} » n'est pas une adresse e-mail valide.",
  "role.required":
    "le rôle est vide. Rôles possibles : coordinator, mentor, mentee (ou coordinateur, coordinatrice, mentoré, mentorée).",
  "role.unknown":
    "rôle inconnu « {value} ». Rôles possibles : coordinator, mentor, mentee (ou coordinateur, coordinatrice, mentoré, mentorée).",
  "language.unknown": "langue inconnue « {value} ». Écrivez fr ou en, ou laissez vide pour la langue du programme.",
  "timezone.unknown": "fuseau horaire inconnu « {value} ». Écrivez un nom IANA comme Europe/Paris, ou laissez vide.",
  "skills.tooLong": "une compétence dépasse 100 caractères. Séparez les compétences par « | ».",
  "slackUserId.invalid": "« {value} » n'est pas un identifiant Slack (de la forme U0123ABCD).",
  "teamsAadId.invalid":
    "« {value} » n'est pas un identifiant Teams (un GUID comme 2b6c2f4e-1a7d-4c1e-9a55-0c1f3e5d7a91).",
  "mentorEmail.invalid": "mentor_email « {value} » n'est pas une adresse e-mail valide.",
  "mentorEmail.notMentee": "mentor_email ne s'utilise que sur une ligne de mentoré (cette ligne a le rôle {role}).",
  "mentorEmail.self": "mentor_email est l'e-mail de la personne elle-même.",
  "mentorEmail.unknown":
    "mentor_email « {value} » ne désigne aucun mentor de ce fichier ni du programme « {programme} ».",
  "mentorEmail.notMentor":
    "mentor_email « {value} » désigne {name}, qui n'est pas mentor dans ce fichier ni dans le programme « {programme} ».",
  "person.conflict": "{column} « {value} » contredit la ligne {otherLine} (« {otherValue} ») pour la même personne.",
  "role.duplicate": "cette personne a déjà le rôle {role} à la ligne {otherLine}.",
  "mentee.twoMentors":
    "ce mentoré a déjà un autre mentor à la ligne {otherLine} ({otherValue}) ; un mentoré a un seul mentor par programme.",
  "platformId.shared": "{column} {value} est déjà celui de {otherEmail} (ligne {otherLine}).",
  "slack.lookupFailed":
    "la recherche Slack de {value} a échoué ({reason}). Rien n'a été écrit ; vérifiez SLACK_BOT_TOKEN ou relancez avec --no-slack-lookup.",
  "slack.notFound": "aucun compte Slack pour {value} ; la personne sera reconnue par son e-mail à son premier message.",
  "identity.moved": "le compte {value} était lié à {from} ; il est maintenant lié à {to}.",
  programmeUsage: "Utilisation : binome programme apply <fichier.yaml>.",
  programmeMissingFile: "Indiquez le fichier du programme : binome programme apply <fichier.yaml>.",
  programmeErrorsHeader: "{file} : {count} erreur(s), rien n'a été appliqué.",
  programmeUnknownCoordinator:
    "{email} n'est pas encore un participant ; importez d'abord cette personne avec son nom (binome import <fichier.csv> --programme {slug}), puis réappliquez.",
  programmeCreated: "Programme « {name} » ({slug}) créé.",
  programmeUpdated: "Programme « {name} » ({slug}) mis à jour.",
  programmeDates: "Du {start} au {end}.",
  programmeCoordinators: "Coordination : {added} personne(s) ajoutée(s), {already} déjà inscrite(s).",
  "pair.replaced":
    "le mentor de {value} change : {from} → {to} (l'ancien binôme est terminé, son historique est gardé).",
  exportUsage:
    "Utilisation : binome export evidence --programme <slug> [--out <dossier>] ou binome export person <e-mail> [--out <fichier.json>].",
  eraseUsage: "Utilisation : binome erase person <e-mail> [--yes].",
  exportMissingProgramme: "Indiquez le programme : binome export evidence --programme <slug>.",
  missingEmail: "Indiquez l'e-mail de la personne : binome {command} person <e-mail>.",
  unknownProgramme: "Aucun programme n'a le slug « {slug} ».",
  unknownPerson: "Aucune personne n'a l'e-mail {email}.",
  evidenceWritten:
    "Preuves du programme « {name} » écrites dans {dir} : {learners} fiche(s) de suivi (PDF), la synthèse (summary.pdf, summary.csv) et {tables} tableaux CSV.",
  personWritten: "Données de {name} écrites dans {file} : {rows} ligne(s) dans {tables} table(s).",
  erasePlanHeader: "Effacement de {name} <{email}> ; voici ce qui serait fait :",
  eraseDoneHeader: "{name} <{email}> est effacé(e) :",
  eraseDeleted:
    "  supprimé : {identities} compte(s) Slack/Teams, {profiles} profil(s), {references} référence(s) de conversation ;",
  eraseCleared:
    "  vidé (dates et durées gardées) : {notes} note(s) de point d'étape, {messages} message(s) qui lui étaient adressés, {answers} réponse(s) libre(s) de questionnaire, {difficulties} texte(s) de difficulté, {sessions} séance(s) (thèmes et prochaines étapes) ;",
  eraseKept: "  gardé au nom de « Personne effacée » ({tombstone}) pour les chiffres du programme : {rows} ;",
  eraseRedacted: "  nom et identifiants masqués dans : {rows} ;",
  eraseCancelled: "  message(s) de groupe en attente annulé(s) : {count}.",
  eraseNone: "rien",
  eraseConfirm: "Rien n'a été effacé : relancez la commande avec --yes pour effacer ces données.",
  eraseIncomplete:
    "Effacement annulé, rien n'a été modifié : la personne serait encore mentionnée dans {tables}. Signalez-le à l'équipe binome.",
} satisfies Record<string, string>;

/** A sentence of the catalog; every import problem code is one, so `say` checks that each has a text. */
export type CliMessageKey = keyof typeof fr;

const en: Record<CliMessageKey, string> = {
  usage: `binome — mentoring programmes in Slack and Teams

Usage:
  binome import <file.csv> [--programme <slug>] [--programme-name <name>] [--no-slack-lookup]
      Imports coordinators, mentors, mentees and pairs. A file with any error writes nothing;
      importing it again updates without duplicating. Default programme: "default" (created if missing).
  binome programme apply <file.yaml>
      Creates or updates a programme (dates, objectives, rhythm, coordinators) from its file.
      A file with any error writes nothing; applying it again updates without duplicating.
  binome export evidence --programme <slug> [--out <folder>] [--organisation <name>] [--font <font.ttf>]
      Writes the follow-up evidence: a PDF record per learner (sessions, check-ins, reminders,
      surveys, difficulties), the same data as CSV, and the programme summary (PDF and CSV).
      Default folder: ./exports/<slug>-<date>/.
  binome export person <email> [--out <file.json>]
      Everything binome holds about one person, as JSON, table by table.
  binome erase person <email> [--yes]
      Erases a person's personal data and keeps only anonymous figures;
      without --yes, shows what would be erased and changes nothing.
  binome migrate
      Brings the database schema up to date, then exits.
  binome help
      Shows this help.

Database: DATABASE_URL (PostgreSQL) or else PGlite in DATA_DIR (./data).
Slack accounts: with SLACK_BOT_TOKEN, people without a slack_user_id are looked up by email.`,
  unknownCommand: 'Unknown command: "{command}".',
  unknownOption: 'Unknown option: "{option}".',
  missingValue: "Option {option} needs a value.",
  missingFile: "Give the file to import: binome import <file.csv>.",
  extraArgument: 'Unexpected argument: "{value}".',
  badSlug: 'Programme slug "{value}" is not valid: lowercase letters, digits and hyphens only (e.g. cohort-2026).',
  unreadableFile: "Cannot read {file}: {reason}",
  failed: "Failed: {reason}",
  migrated: "Database up to date ({kind}).",
  errorsHeader: "{file}: {count} error(s), nothing was imported.",
  warningsHeader: "Please note:",
  line: "line {line}: {text}",
  summaryProgramme: 'Programme "{name}" ({slug}){created}.',
  summaryCreatedSuffix: ", created",
  summaryPeople: "People: {created} created, {updated} updated, {unchanged} unchanged.",
  summaryEnrolments: "Roles added: {count}.",
  summaryPairs: "Pairs: {created} created, {replaced} of them replacing an ended pair.",
  summaryIdentities: "Slack/Teams accounts linked: {linked}, {resolved} of them found on Slack by email.",
  "file.notUtf8": 'the file is not UTF-8. In Excel, save it as "CSV UTF-8".',
  "file.empty": "the file has no participant row after the header.",
  "file.malformed": "the CSV file is malformed ({reason}).",
  "header.missingColumn": 'the header has no "{column}" column, which is required.',
  "header.unknownColumn": 'unknown column "{column}". Possible columns: {expected}.',
  "header.duplicateColumn": 'column "{column}" appears twice.',
  "row.columnCount": "{count} column(s) instead of {expected}. Check separators and quotes.",
  "name.required": "the name is empty.",
  "name.tooLong": "the name is longer than 200 characters.",
  "email.required": "the email is empty.",
  "email.invalid": '"{value}" is not a valid email address.',
  "role.required": "the role is empty. Possible roles: coordinator, mentor, mentee.",
  "role.unknown": 'unknown role "{value}". Possible roles: coordinator, mentor, mentee.',
  "language.unknown": 'unknown language "{value}". Write fr or en, or leave it empty for the programme\'s language.',
  "timezone.unknown": 'unknown time zone "{value}". Write an IANA name such as Europe/Paris, or leave it empty.',
  "skills.tooLong": 'a skill is longer than 100 characters. Separate skills with "|".',
  "slackUserId.invalid": '"{value}" is not a Slack user id (like U0123ABCD).',
  "teamsAadId.invalid": '"{value}" is not a Teams id (a GUID such as 2b6c2f4e-1a7d-4c1e-9a55-0c1f3e5d7a91).',
  "mentorEmail.invalid": 'mentor_email "{value}" is not a valid email address.',
  "mentorEmail.notMentee": "mentor_email belongs on a mentee row only (this row's role is {role}).",
  "mentorEmail.self": "mentor_email is the person's own email.",
  "mentorEmail.unknown": 'mentor_email "{value}" names no mentor of this file or of programme "{programme}".',
  "mentorEmail.notMentor":
    'mentor_email "{value}" names {name}, who is not a mentor in this file or in programme "{programme}".',
  "person.conflict": '{column} "{value}" contradicts line {otherLine} ("{otherValue}") for the same person.',
  "role.duplicate": "this person already has role {role} on line {otherLine}.",
  "mentee.twoMentors":
    "this mentee already has another mentor on line {otherLine} ({otherValue}); a mentee has one mentor per programme.",
  "platformId.shared": "{column} {value} already belongs to {otherEmail} (line {otherLine}).",
  "slack.lookupFailed":
    "the Slack lookup of {value} failed ({reason}). Nothing was written; check SLACK_BOT_TOKEN or run again with --no-slack-lookup.",
  "slack.notFound": "no Slack account for {value}; they will be recognised by email when they first write.",
  "identity.moved": "account {value} was linked to {from}; it is now linked to {to}.",
  programmeUsage: "Usage: binome programme apply <file.yaml>.",
  programmeMissingFile: "Give the programme file: binome programme apply <file.yaml>.",
  programmeErrorsHeader: "{file}: {count} error(s), nothing was applied.",
  programmeUnknownCoordinator:
    "{email} is not a participant yet; import them with their name first (binome import <file.csv> --programme {slug}), then apply again.",
  programmeCreated: 'Programme "{name}" ({slug}) created.',
  programmeUpdated: 'Programme "{name}" ({slug}) updated.',
  programmeDates: "From {start} to {end}.",
  programmeCoordinators: "Coordinators: {added} added, {already} already enrolled.",
  "pair.replaced": "{value}'s mentor changes: {from} → {to} (the old pair is ended, its history kept).",
  exportUsage:
    "Usage: binome export evidence --programme <slug> [--out <folder>] or binome export person <email> [--out <file.json>].",
  eraseUsage: "Usage: binome erase person <email> [--yes].",
  exportMissingProgramme: "Give the programme: binome export evidence --programme <slug>.",
  missingEmail: "Give the person's email: binome {command} person <email>.",
  unknownProgramme: 'No programme has the slug "{slug}".',
  unknownPerson: "Nobody has the email {email}.",
  evidenceWritten:
    'Evidence of programme "{name}" written to {dir}: {learners} follow-up record(s) (PDF), the summary (summary.pdf, summary.csv) and {tables} CSV tables.',
  personWritten: "Data about {name} written to {file}: {rows} row(s) in {tables} table(s).",
  erasePlanHeader: "Erasing {name} <{email}> would do this:",
  eraseDoneHeader: "{name} <{email}> is erased:",
  eraseDeleted:
    "  deleted: {identities} Slack/Teams account(s), {profiles} profile(s), {references} conversation reference(s);",
  eraseCleared:
    "  emptied (dates and durations kept): {notes} check-in note(s), {messages} message(s) addressed to them, {answers} typed survey answer(s), {difficulties} difficulty text(s), {sessions} session(s) (topics and next steps);",
  eraseKept: '  kept under "Personne effacée" ({tombstone}) for the programme figures: {rows};',
  eraseRedacted: "  name and ids blotted out in: {rows};",
  eraseCancelled: "  waiting group message(s) cancelled: {count}.",
  eraseNone: "nothing",
  eraseConfirm: "Nothing was erased: run the command again with --yes to erase this data.",
  eraseIncomplete:
    "Erasure cancelled, nothing was changed: the person would still be mentioned in {tables}. Please report it to the binome team.",
};

const catalogs: Record<CliLanguage, Record<CliMessageKey, string>> = { fr, en };

/** The operator's language from the POSIX locale variables: English when it starts with `en`, French otherwise. */
export function operatorLanguage(env: Record<string, string | undefined>): CliLanguage {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value && value.trim() !== "");
  return locale?.toLowerCase().startsWith("en") ? "en" : "fr";
}

/** A sentence of the command line in the operator's language, with `{name}` placeholders filled. */
export function say(lang: CliLanguage, key: CliMessageKey, params: Record<string, string | number> = {}): string {
  return catalogs[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
