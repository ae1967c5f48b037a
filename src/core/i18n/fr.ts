/** French, the default language. Its keys are the catalog's keys. */
export const fr = {
  "command.empty": "Tapez `/binome help` pour voir ce que vous pouvez faire.",
  "command.unknown": "Je ne connais pas « {command} ». Tapez `/binome help` pour la liste des commandes.",
  "command.notParticipant":
    "Vous ne faites partie d'aucun programme binome. Demandez à votre coordinateur ou coordinatrice de vous inscrire.",
  "command.forbidden": "Cette commande est réservée aux {role}.",
  "command.internal": "Quelque chose s'est mal passé de notre côté. Réessayez dans un instant.",

  "role.coordinator": "coordinateurs",
  "role.mentor": "mentors",
  "role.mentee": "mentorés",

  "help.title": "binome : ce que vous pouvez faire",
  "help.mentor.log":
    "`/binome log @personne 45m sujets; next: prochaines étapes` : noter une séance avec votre mentoré (sans argument, un formulaire s'ouvre)",
  "help.sessions.own": "`/binome sessions` : vos séances récentes",
  "help.sessions.coordinator": "`/binome sessions` : les séances récentes de vos programmes",
  "help.help": "`/binome help` : cette aide",
  "help.roles": "Vos rôles : {roles}",

  "log.notMentor":
    "Seuls les mentors notent des séances. Si vous êtes mentoré, votre mentor la notera pour vous deux.",
  "log.missingMentee": "Indiquez avec qui, par exemple : `/binome log @lea 45m révision du CV`.",
  "log.menteeNotFound":
    "« {name} » n'est pas l'un de vos mentorés. Vos mentorés : {mentees}.",
  "log.menteeAmbiguous": "« {name} » désigne plusieurs de vos mentorés ({mentees}). Précisez le nom complet.",
  "log.noMentees": "Vous n'avez pas encore de mentoré. Votre coordinateur ou coordinatrice vous en attribuera un.",
  "log.unknownPerson": "cette personne",
  "log.missingDuration": "Indiquez la durée, par exemple `45m` ou `1h30`.",
  "log.durationInvalid": "« {value} » n'est pas une durée. Écrivez par exemple `45m`, `1h` ou `1h30`.",
  "log.durationZero": "Une séance dure au moins 5 minutes. Écrivez par exemple `45m`.",
  "log.durationTooLong": "Une séance dure au plus 8 heures. Pour une journée entière, notez plusieurs séances.",
  "log.dateInvalid": "« {value} » n'est pas une date. Écrivez par exemple `2026-11-20` ou `20/11`.",
  "log.dateFuture": "La date est dans le futur. Notez la séance une fois qu'elle a eu lieu.",
  "log.dateTooOld": "La date est trop ancienne (plus d'un an). Vérifiez l'année.",
  "log.missingTopics": "Indiquez au moins un sujet abordé, par exemple `révision du CV`.",
  "log.textTooLong": "Sujets et prochaines étapes : {max} caractères au plus. Raccourcissez votre texte.",
  "log.saved": "Séance notée avec {mentee} : {date}, {duration}.",
  "log.savedTopics": "Sujets : {topics}",
  "log.savedNext": "Prochaines étapes : {next}",

  "log.form.title": "Noter une séance",
  "log.form.submit": "Enregistrer",
  "log.form.cancel": "Annuler",
  "log.form.mentee": "Mentoré",
  "log.form.date": "Date",
  "log.form.duration": "Durée",
  "log.form.durationHint": "Par exemple 45m, 1h ou 1h30",
  "log.form.topics": "Sujets abordés",
  "log.form.next": "Prochaines étapes",

  "outbox.dead": "Message non remis ({kind}) à {people} : {reason}. binome a cessé d'essayer ; contactez cette personne autrement.",

  "sessions.title": "Séances récentes",
  "sessions.titleCoordinator": "Séances récentes du programme {programme}",
  "sessions.empty": "Aucune séance notée pour l'instant.",
  "sessions.line": "{date} · {mentor} → {mentee} · {duration}",
  "sessions.more": "… et {count} plus anciennes.",
  "teams.welcome.title": "Bienvenue dans binome",
  "teams.welcome.body":
    "Je vous aide à suivre votre mentorat : notez vos séances et retrouvez-les ici. Écrivez `help` pour voir ce que vous pouvez faire.",
  "teams.formErrors": "Rien n'est enregistré : corrigez le formulaire.",
  "teams.pending": "C'est noté, je vous réponds dans un instant.",
} as const;
