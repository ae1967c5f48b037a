import type { Catalog } from "./index.js";

/** English, complete: every French key has its English sentence. */
export const en: Catalog = {
  "command.empty": "Type `/binome help` to see what you can do.",
  "command.unknown": "I don't know “{command}”. Type `/binome help` for the list of commands.",
  "command.notParticipant": "You are not in any binome programme. Ask your coordinator to enrol you.",
  "command.forbidden": "This command is for {role} only.",
  "command.internal": "Something went wrong on our side. Please try again in a moment.",

  "role.coordinator": "coordinators",
  "role.mentor": "mentors",
  "role.mentee": "mentees",

  "help.title": "binome: what you can do",
  "help.mentor.log":
    "`/binome log @person 45m topics; next: next steps`: record a session with your mentee (with no arguments, a form opens)",
  "help.sessions.own": "`/binome sessions`: your recent sessions",
  "help.sessions.coordinator": "`/binome sessions`: recent sessions of your programmes",
  "help.help": "`/binome help`: this help",
  "help.roles": "Your roles: {roles}",

  "log.notMentor": "Only mentors record sessions. If you are a mentee, your mentor records it for you both.",
  "log.missingMentee": "Say who with, for example: `/binome log @lea 45m CV review`.",
  "log.menteeNotFound": "“{name}” is not one of your mentees. Your mentees: {mentees}.",
  "log.menteeAmbiguous": "“{name}” matches several of your mentees ({mentees}). Use the full name.",
  "log.noMentees": "You have no mentee yet. Your coordinator will assign one.",
  "log.unknownPerson": "this person",
  "log.missingDuration": "Give the duration, for example `45m` or `1h30`.",
  "log.durationInvalid": "“{value}” is not a duration. Write for example `45m`, `1h` or `1h30`.",
  "log.durationZero": "A session lasts at least 5 minutes. Write for example `45m`.",
  "log.durationTooLong": "A session lasts at most 8 hours. For a whole day, record several sessions.",
  "log.dateInvalid": "“{value}” is not a date. Write for example `2026-11-20` or `20/11`.",
  "log.dateFuture": "That date is in the future. Record the session once it has taken place.",
  "log.dateTooOld": "That date is too old (over a year ago). Check the year.",
  "log.missingTopics": "Give at least one topic, for example `CV review`.",
  "log.textTooLong": "Topics and next steps: {max} characters at most. Please shorten your text.",
  "log.saved": "Session with {mentee} recorded: {date}, {duration}.",
  "log.savedTopics": "Topics: {topics}",
  "log.savedNext": "Next steps: {next}",

  "log.form.title": "Record a session",
  "log.form.submit": "Save",
  "log.form.cancel": "Cancel",
  "log.form.mentee": "Mentee",
  "log.form.date": "Date",
  "log.form.duration": "Duration",
  "log.form.durationHint": "For example 45m, 1h or 1h30",
  "log.form.topics": "Topics covered",
  "log.form.next": "Next steps",

  "outbox.dead": "Message not delivered ({kind}) to {people}: {reason}. binome has stopped trying; reach this person another way.",

  "sessions.title": "Recent sessions",
  "sessions.titleCoordinator": "Recent sessions of {programme}",
  "sessions.empty": "No session recorded yet.",
  "sessions.line": "{date} · {mentor} → {mentee} · {duration}",
  "sessions.more": "… and {count} older ones.",
  "teams.welcome.title": "Welcome to binome",
  "teams.welcome.body":
    "I help you keep track of your mentoring: record your sessions and find them here. Type `help` to see what you can do.",
  "teams.formErrors": "Nothing was saved: please correct the form.",
  "teams.pending": "Got it, I will answer in a moment.",
};
