/**
 * Every sentence the `vigie` command shows a person, in French (the default)
 * and in English (`--lang en` or `VIGIE_LANG=en`). `{name}` marks a value
 * filled in at run time; both languages of an entry use the same ones (a
 * test checks it). One table on purpose: a translator reads it top to bottom.
 */

export type Lang = 'fr' | 'en';
export type Params = Record<string, string | number>;

interface Entry {
  fr: string;
  en: string;
}

export const MESSAGES = {
  // ── Words and placeholders ────────────────────────────────────────────────
  'word.agencyId': { fr: 'identifiant d’organisme', en: 'agency id' },
  'word.inboxId': { fr: 'adresse de boîte de réception', en: 'inbox address' },
  'word.memberId': { fr: 'identifiant de membre', en: 'member id' },
  'word.messageId': { fr: 'identifiant de message', en: 'message id' },
  'arg.agencyId': { fr: '<organisme>', en: '<agency-id>' },
  'arg.categories': { fr: '<catégorie>[,…]', en: '<category>[,…]' },
  'arg.code': { fr: '<code>', en: '<code>' },
  'arg.command': { fr: 'commande', en: 'command' },
  'arg.cursor': { fr: '<curseur>', en: '<cursor>' },
  'arg.desk': { fr: '<poste>', en: '<desk>' },
  'arg.dir': { fr: '<dossier>', en: '<dir>' },
  'arg.fileOrStdin': { fr: '<fichier|->', en: '<file|->' },
  'arg.hours': { fr: '<heures>', en: '<hours>' },
  'arg.inbox': { fr: '<organisme/poste>', en: '<agency/desk>' },
  'arg.inboxes': { fr: '<boîte>[,<boîte>…]', en: '<inbox>[,<inbox>…]' },
  'arg.kind': { fr: '<type>', en: '<kind>' },
  'arg.label': { fr: '<libellé>', en: '<label>' },
  'arg.lang': { fr: 'fr|en', en: 'fr|en' },
  'arg.legalBasis': { fr: '<fondement>', en: '<basis>' },
  'arg.memberId': { fr: '<id-membre>', en: '<member-id>' },
  'arg.messageId': { fr: '<id-message>', en: '<message-id>' },
  'arg.options': { fr: 'options', en: 'options' },
  'arg.roles': { fr: '<rôle>[,<rôle>…]', en: '<role>[,<role>…]' },
  'arg.seconds': { fr: '<secondes>', en: '<seconds>' },
  'arg.text': { fr: '<texte>', en: '<text>' },
  'arg.type': { fr: '<type>', en: '<type>' },
  'arg.urgency': { fr: '<urgence>', en: '<urgency>' },
  'arg.url': { fr: '<url>', en: '<url>' },

  'synopsis.admit': { fr: '<organisme> --kind <type> --name-fr <texte> --name-en <texte>', en: '<agency-id> --kind <kind> --name-fr <text> --name-en <text>' },
  'synopsis.agencyRegister': { fr: '--code <code> --kind <type> --name-fr <texte> --name-en <texte>', en: '--code <code> --kind <kind> --name-fr <text> --name-en <text>' },
  'synopsis.inboxCreate': { fr: '<poste> --name-fr <texte> --name-en <texte>', en: '<desk> --name-fr <text> --name-en <text>' },
  'synopsis.memberEnrol': { fr: '--public <fichier|-> --roles <rôle>[,…] --inbox <organisme/poste>', en: '--public <file|-> --roles <role>[,…] --inbox <agency/desk>' },
  'synopsis.send': { fr: '--to <boîte>[,…] --type <type> (--text <texte> | --file <fichier|->)', en: '--to <inbox>[,…] --type <type> (--text <text> | --file <file|->)' },

  // ── Message types, urgencies, delivery states ─────────────────────────────
  'type.danger_alert': { fr: 'Alerte de danger', en: 'Danger alert' },
  'type.cir_activation': { fr: 'Activation de la cellule d’intervention rapide', en: 'Rapid-intervention cell activation' },
  'type.risk_assessment': { fr: 'Évaluation du risque', en: 'Risk assessment' },
  'type.bail_safety_input': { fr: 'Avis de sécurité pour la mise en liberté', en: 'Bail safety input' },
  'type.release_conditions': { fr: 'Conditions de mise en liberté', en: 'Release conditions' },
  'type.condition_breach': { fr: 'Bris de condition', en: 'Condition breach' },
  'type.custody_event': { fr: 'Événement de détention', en: 'Custody event' },
  'type.victim_representation': { fr: 'Représentations de la victime', en: 'Victim representation' },
  'type.program_status': { fr: 'Suivi de programme', en: 'Program status' },
  'type.note': { fr: 'Note', en: 'Note' },
  'urgency.immediate': { fr: 'immédiate', en: 'immediate' },
  'urgency.urgent': { fr: 'urgente', en: 'urgent' },
  'urgency.routine': { fr: 'courante', en: 'routine' },
  'state.accepted': { fr: 'accepté par le carrefour, pas encore transmis', en: 'accepted by the hub, not yet pushed' },
  'state.pushed': { fr: 'transmis, pas encore reçu par un appareil', en: 'pushed, not yet received by a device' },
  'state.delivered': { fr: 'reçu par un appareil, pas encore pris en charge', en: 'received by a device, not yet acknowledged' },
  'state.acknowledged': { fr: 'pris en charge', en: 'acknowledged' },

  // ── Prompts ───────────────────────────────────────────────────────────────
  'prompt.passphrase': { fr: 'Phrase de passe pour {file} : ', en: 'Passphrase for {file}: ' },
  'prompt.newPassphrase': { fr: 'Nouvelle phrase de passe pour {file} : ', en: 'New passphrase for {file}: ' },
  'prompt.confirmPassphrase': { fr: 'Confirmez la phrase de passe : ', en: 'Confirm the passphrase: ' },

  // ── Results ───────────────────────────────────────────────────────────────
  'keys.agencyCreated': {
    fr: 'Clé racine de l’organisme {agency} créée et chiffrée sous votre phrase de passe : {file}',
    en: 'Root key of agency {agency} created and encrypted under your passphrase: {file}',
  },
  'keys.rootKey': { fr: 'Clé racine publique : {key}', en: 'Public root key: {key}' },
  'keys.agencyNext': {
    fr: 'Étape suivante : obtenez un code d’admission de l’exploitant du carrefour, puis « vigie agency register --code … ».',
    en: 'Next: get an admission code from the hub operator, then run "vigie agency register --code …".',
  },
  'keys.memberCreated': {
    fr: 'Clés de l’appareil {member} créées et chiffrées sous votre phrase de passe : {file}',
    en: 'Device keys {member} created and encrypted under your passphrase: {file}',
  },
  'keys.fingerprint': {
    fr: 'Empreinte de l’appareil : {fingerprint} (comparez-la de vive voix avec l’administrateur)',
    en: 'Device fingerprint: {fingerprint} (compare it aloud with the administrator)',
  },
  'keys.memberNext': {
    fr: 'Remettez ce JSON (aussi dans {file}) à l’administrateur de votre organisme : « vigie member enrol --public <fichier> ». Il ne contient aucune clé privée.',
    en: 'Give this JSON (also in {file}) to your agency administrator: "vigie member enrol --public <file>". It contains no private key.',
  },
  'keys.dir': { fr: 'Dossier des clés : {dir}', en: 'Key directory: {dir}' },
  'keys.showAgency': { fr: 'Organisme {agency} — clé racine publique {key}', en: 'Agency {agency} — public root key {key}' },
  'keys.showMember': {
    fr: 'Appareil {member} de l’organisme {agency} — empreinte {fingerprint}',
    en: 'Device {member} of agency {agency} — fingerprint {fingerprint}',
  },
  'keys.none': { fr: 'Aucune clé dans ce dossier.', en: 'No keys in this directory.' },
  'admit.done': {
    fr: 'Organisme {agency} admis. Code d’admission à usage unique (valide jusqu’au {time}) :',
    en: 'Agency {agency} admitted. One-time admission code (valid until {time}):',
  },
  'admit.next': {
    fr: 'Remettez ce code à l’administrateur de {agency} par un canal sûr (pas par courriel).',
    en: 'Give this code to the administrator of {agency} over a safe channel (not email).',
  },
  'agency.registered': {
    fr: 'Organisme {agency} inscrit : sa clé racine est maintenant celle que le carrefour reconnaît.',
    en: 'Agency {agency} registered: its root key is now the one the hub recognises.',
  },
  'inbox.created': { fr: 'Boîte de réception {inbox} certifiée par la clé racine.', en: 'Inbox {inbox} certified by the root key.' },
  'inbox.keyStored': {
    fr: 'Sa clé privée est conservée, chiffrée, dans {file}.',
    en: 'Its private key is kept, encrypted, in {file}.',
  },
  'member.enrolled': {
    fr: 'Appareil {member} certifié : libellé « {label} », rôles {roles}, boîtes {inboxes}.',
    en: 'Device {member} certified: label "{label}", roles {roles}, inboxes {inboxes}.',
  },
  'member.revoked': {
    fr: 'Appareil {member} révoqué : il ne peut plus s’authentifier ni signer.',
    en: 'Device {member} revoked: it can no longer authenticate or sign.',
  },
  'send.sent': { fr: 'Message envoyé : {id}', en: 'Message sent: {id}' },
  'send.accepted': {
    fr: 'Chiffré et signé sur cet appareil, accepté durablement par le carrefour le {time}, pour {recipients}.',
    en: 'Encrypted and signed on this device, durably accepted by the hub at {time}, for {recipients}.',
  },
  'send.waiting': { fr: 'En attente d’une prise en charge ({seconds} s au plus)…', en: 'Waiting for an acknowledgement (at most {seconds} s)…' },
  'send.acknowledged': {
    fr: 'PRIS EN CHARGE : le message {id} a été pris en charge par {label} ({inbox}) le {time}.',
    en: 'ACKNOWLEDGED: message {id} was acknowledged by {label} ({inbox}) at {time}.',
  },
  'send.timeout': {
    fr: 'AUCUNE PRISE EN CHARGE après {seconds} s pour le message {id}. Ne comptez pas sur cet envoi : joignez directement l’organisme (911 en cas de danger immédiat).',
    en: 'NO ACKNOWLEDGEMENT after {seconds} s for message {id}. Do not rely on this message: contact the agency directly (911 in immediate danger).',
  },
  'send.interrupted': {
    fr: 'Attente interrompue : le message {id} est envoyé mais personne ne l’a encore pris en charge. Suivi : vigie status {id}',
    en: 'Wait interrupted: message {id} was sent but nobody has acknowledged it yet. Follow up: vigie status {id}',
  },
  'ack.done': { fr: 'Prise en charge signée et envoyée pour {id} ({inbox}).', en: 'Acknowledgement signed and sent for {id} ({inbox}).' },
  'ack.already': { fr: 'Vous aviez déjà pris en charge {id} ({inbox}).', en: 'You had already acknowledged {id} ({inbox}).' },
  'msg.from': { fr: 'De : {label} — {agency} ({inbox})', en: 'From: {label} — {agency} ({inbox})' },
  'msg.to': { fr: 'À : {inbox}', en: 'To: {inbox}' },
  'msg.sentAt': { fr: 'Envoyé le : {time}', en: 'Sent at: {time}' },
  'msg.categories': { fr: 'Catégories de renseignements : {categories}', en: 'Data categories: {categories}' },
  'msg.legalBasis': { fr: 'Fondement juridique : {basis}', en: 'Legal basis: {basis}' },
  'msg.replyTo': { fr: 'En réponse à : {id}', en: 'In reply to: {id}' },
  'msg.content': { fr: 'Contenu (signature vérifiée, déchiffré sur cet appareil) :', en: 'Content (signature verified, decrypted on this device):' },
  'msg.id': { fr: 'Message : {id}', en: 'Message: {id}' },
  'receipt.delivered': {
    fr: 'Accusé de réception : {id} reçu par l’appareil {label} ({inbox}) le {time}',
    en: 'Delivery receipt: {id} received by device {label} ({inbox}) at {time}',
  },
  'receipt.acknowledged': {
    fr: 'Prise en charge : {id} pris en charge par {label} ({inbox}) le {time}',
    en: 'Acknowledgement: {id} acknowledged by {label} ({inbox}) at {time}',
  },
  'status.header': { fr: 'Message {id} — {type}, accepté le {time}', en: 'Message {id} — {type}, accepted at {time}' },
  'status.line': { fr: '{inbox} : {state}', en: '{inbox}: {state}' },
  'status.delivered': { fr: 'reçu le {time} par {by}', en: 'received at {time} by {by}' },
  'status.acknowledged': { fr: 'pris en charge le {time} par {by}', en: 'acknowledged at {time} by {by}' },
  'listen.ready': {
    fr: 'À l’écoute de {inboxes} (curseur {cursor}). Ctrl-C pour quitter.',
    en: 'Listening to {inboxes} (cursor {cursor}). Ctrl-C to quit.',
  },
  'listen.reconnected': { fr: 'Reconnecté (curseur {cursor}).', en: 'Reconnected (cursor {cursor}).' },
  'listen.disconnected': { fr: 'Connexion perdue; nouvelle tentative…', en: 'Connection lost; retrying…' },
  'listen.invalid': {
    fr: 'Message {id} REFUSÉ : il ne s’ouvre pas ou sa signature n’est pas valide ({reason}).',
    en: 'Message {id} REFUSED: it does not open or its signature is not valid ({reason}).',
  },
  'listen.stopped': { fr: 'Écoute arrêtée; la prochaine reprendra où celle-ci s’est arrêtée.', en: 'Stopped listening; the next listen resumes from here.' },

  // ── Errors (exit 1) ───────────────────────────────────────────────────────
  'error.hub': { fr: 'le carrefour a refusé : {message} [{code}, HTTP {status}]', en: 'the hub refused: {message} [{code}, HTTP {status}]' },
  'error.unreachable': {
    fr: 'carrefour injoignable à {hub}. Vérifiez --hub ou VIGIE_HUB, et votre connexion.',
    en: 'hub unreachable at {hub}. Check --hub or VIGIE_HUB, and your connection.',
  },
  'error.wrongPassphrase': {
    fr: 'phrase de passe incorrecte (ou fichier de clés endommagé) : impossible d’ouvrir {file}.',
    en: 'wrong passphrase (or damaged key file): cannot open {file}.',
  },
  'error.passphraseRequired': {
    fr: 'phrase de passe requise : définissez VIGIE_PASSPHRASE ou lancez la commande dans un terminal.',
    en: 'passphrase required: set VIGIE_PASSPHRASE or run the command in a terminal.',
  },
  'error.passphraseMismatch': { fr: 'les deux phrases de passe diffèrent.', en: 'the two passphrases differ.' },
  'error.passphraseTooShort': {
    fr: 'phrase de passe trop courte : au moins {min} caractères.',
    en: 'passphrase too short: at least {min} characters.',
  },
  'error.interrupted': { fr: 'interrompu.', en: 'interrupted.' },
  'error.keyFileMissing': { fr: 'aucun fichier de clés {file}. {hint}', en: 'no key file {file}. {hint}' },
  'error.keyFileExists': {
    fr: '{file} existe déjà; il n’est jamais remplacé. Choisissez un autre dossier avec --keys.',
    en: '{file} already exists; it is never replaced. Choose another directory with --keys.',
  },
  'error.keyFileDamaged': { fr: 'le fichier de clés {file} est endommagé ou n’est pas du bon type.', en: 'key file {file} is damaged or of the wrong kind.' },
  'error.fileUnreadable': { fr: 'impossible de lire {file}.', en: 'cannot read {file}.' },
  'error.notJson': { fr: '{file} n’est pas du JSON valide.', en: '{file} is not valid JSON.' },
  'error.badPublicKeys': {
    fr: '{file} ne contient pas les clés publiques d’un appareil (sortie de « vigie keys member »).',
    en: '{file} does not hold a device’s public keys (output of "vigie keys member").',
  },
  'error.deviceOtherAgency': {
    fr: 'cet appareil a été créé pour l’organisme {agency}, pas pour {own}.',
    en: 'this device was created for agency {agency}, not {own}.',
  },
  'error.inboxKeyMissing': {
    fr: 'le fichier de clés de l’organisme ne contient pas la clé de {inbox}. Créez-la d’abord : vigie inbox create <poste>.',
    en: 'the agency key file holds no key for {inbox}. Create it first: vigie inbox create <desk>.',
  },
  'error.operatorTokenMissing': {
    fr: 'jeton d’exploitant requis dans VIGIE_OPERATOR_TOKEN (jamais sur la ligne de commande).',
    en: 'operator token required in VIGIE_OPERATOR_TOKEN (never on the command line).',
  },
  'error.noInbox': { fr: 'cet appareil n’est membre d’aucune boîte de réception.', en: 'this device is a member of no inbox.' },
  'error.notARecipient': {
    fr: 'le message {id} n’est adressé à aucune boîte de cet appareil.',
    en: 'message {id} is not addressed to any inbox of this device.',
  },
  'error.notYourInbox': { fr: 'cet appareil n’est pas membre de {inbox}.', en: 'this device is not a member of {inbox}.' },
  'error.streamRefused': {
    fr: 'le carrefour a fermé le flux : cet appareil a peut-être été révoqué.',
    en: 'the hub closed the stream: this device may have been revoked.',
  },
  'error.rootKeyChanged': {
    fr: 'ALERTE : la clé racine d’un organisme diffère de celle déjà connue de cet appareil. Rien n’a été envoyé ni accepté. Prévenez votre administrateur. ({detail})',
    en: 'WARNING: an agency’s root key differs from the one this device already knows. Nothing was sent or accepted. Tell your administrator. ({detail})',
  },
  'error.certificateInvalid': {
    fr: 'un certificat n’est pas signé par la clé racine de son organisme ({detail}).',
    en: 'a certificate is not signed by its agency’s root key ({detail}).',
  },
  'error.senderRevoked': { fr: 'l’appareil signataire a été révoqué ({detail}).', en: 'the signing device has been revoked ({detail}).' },
  'error.protocol': { fr: 'vérification cryptographique impossible [{code}].', en: 'cryptographic check failed [{code}].' },
  'error.unexpected': {
    fr: 'erreur inattendue : {message} (VIGIE_DEBUG=1 pour les détails)',
    en: 'unexpected error: {message} (VIGIE_DEBUG=1 for details)',
  },
  'hint.createAgencyKeys': {
    fr: 'Créez-le avec « vigie keys agency <organisme> », ou indiquez le dossier avec --keys ou VIGIE_HOME.',
    en: 'Create it with "vigie keys agency <agency-id>", or point to the directory with --keys or VIGIE_HOME.',
  },
  'hint.createMemberKeys': {
    fr: 'Créez-le avec « vigie keys member <organisme> », ou indiquez le dossier avec --keys ou VIGIE_HOME.',
    en: 'Create it with "vigie keys member <agency-id>", or point to the directory with --keys or VIGIE_HOME.',
  },

  // ── Usage errors (exit 2) ─────────────────────────────────────────────────
  'usage.unknownCommand': { fr: 'commande inconnue : {command}', en: 'unknown command: {command}' },
  'usage.unknownOption': { fr: 'option inconnue : {option}', en: 'unknown option: {option}' },
  'usage.optionValue': { fr: 'valeur manquante ou invalide pour {option}', en: 'missing or invalid value for {option}' },
  'usage.invalidLine': { fr: 'ligne de commande invalide.', en: 'invalid command line.' },
  'usage.missingOption': { fr: 'option requise : {option}', en: 'required option: {option}' },
  'usage.missingArgument': { fr: 'argument manquant : {arg}', en: 'missing argument: {arg}' },
  'usage.extraArgument': { fr: 'argument en trop : {value}', en: 'unexpected argument: {value}' },
  'usage.seeHelp': { fr: 'Aide : vigie {command}--help', en: 'Help: vigie {command}--help' },
  'usage.invalidIdentifier': { fr: '{kind} invalide.', en: 'invalid {kind}.' },
  'usage.badLang': { fr: 'langue inconnue : {value} (fr ou en)', en: 'unknown language: {value} (fr or en)' },
  'usage.badHub': { fr: 'adresse de carrefour invalide : {hub} (http:// ou https://)', en: 'invalid hub address: {hub} (http:// or https://)' },
  'usage.badKdf': { fr: 'VIGIE_KDF invalide : {value} (interactive ou moderate)', en: 'invalid VIGIE_KDF: {value} (interactive or moderate)' },
  'usage.badAgencyId': {
    fr: 'identifiant d’organisme invalide : « {value} » (minuscules, chiffres et tirets, ex. police-laval)',
    en: 'invalid agency id: "{value}" (lowercase letters, digits and hyphens, e.g. police-laval)',
  },
  'usage.badDesk': {
    fr: 'nom de poste invalide : « {value} » (minuscules, chiffres et tirets, ex. repartition)',
    en: 'invalid desk name: "{value}" (lowercase letters, digits and hyphens, e.g. dispatch)',
  },
  'usage.badInbox': {
    fr: 'adresse de boîte invalide : « {value} » (organisme/poste, ex. police-laval/repartition)',
    en: 'invalid inbox address: "{value}" (agency/desk, e.g. police-laval/dispatch)',
  },
  'usage.badMemberId': { fr: 'identifiant de membre invalide : « {value} » (UUID)', en: 'invalid member id: "{value}" (UUID)' },
  'usage.badMessageId': { fr: 'identifiant de message invalide : « {value} » (UUID)', en: 'invalid message id: "{value}" (UUID)' },
  'usage.badKind': {
    fr: 'type d’organisme invalide : « {value} » (ex. shelter, police, prosecution, corrections, parole_board, partner_program)',
    en: 'invalid agency kind: "{value}" (e.g. shelter, police, prosecution, corrections, parole_board, partner_program)',
  },
  'usage.badName': { fr: '{option} doit compter de 1 à 120 caractères.', en: '{option} must be 1 to 120 characters.' },
  'usage.badLabel': { fr: '--label doit compter de 1 à 80 caractères.', en: '--label must be 1 to 80 characters.' },
  'usage.badRole': { fr: 'rôle inconnu : {value} (parmi {allowed})', en: 'unknown role: {value} (one of {allowed})' },
  'usage.badType': { fr: 'type de message inconnu : {value} (parmi {allowed})', en: 'unknown message type: {value} (one of {allowed})' },
  'usage.badUrgency': { fr: 'urgence inconnue : {value} (parmi {allowed})', en: 'unknown urgency: {value} (one of {allowed})' },
  'usage.badLegalBasis': { fr: 'fondement juridique inconnu : {value} (parmi {allowed})', en: 'unknown legal basis: {value} (one of {allowed})' },
  'usage.badCategory': {
    fr: 'catégorie invalide : « {value} » (minuscules, chiffres et _, ex. location)',
    en: 'invalid category: "{value}" (lowercase letters, digits and _, e.g. location)',
  },
  'usage.tooMany': { fr: 'trop de valeurs pour {option} (au plus {max}).', en: 'too many values for {option} (at most {max}).' },
  'usage.badCursor': { fr: 'curseur invalide : « {value} » (un nombre)', en: 'invalid cursor: "{value}" (a number)' },
  'usage.badSeconds': { fr: '{option} : durée invalide « {value} » (secondes, > 0)', en: '{option}: invalid duration "{value}" (seconds, > 0)' },
  'usage.badHours': { fr: '--valid-hours invalide : « {value} » (1 à 720)', en: 'invalid --valid-hours: "{value}" (1 to 720)' },
  'usage.textOrFile': { fr: 'indiquez le contenu avec --text ou --file (un seul des deux).', en: 'give the content with --text or --file (exactly one).' },

  // ── Help ──────────────────────────────────────────────────────────────────
  'help.title': {
    fr: 'vigie — client du carrefour sécurisé d’alertes interorganismes (violence conjugale)\nChiffré de bout en bout et signé sur cet appareil : le carrefour ne lit jamais le contenu.',
    en: 'vigie — client of the secure inter-agency alert hub (conjugal violence)\nEnd-to-end encrypted and signed on this device: the hub never reads content.',
  },
  'help.usage': { fr: 'Usage :', en: 'Usage:' },
  'help.commands': { fr: 'Commandes :', en: 'Commands:' },
  'help.options': { fr: 'Options :', en: 'Options:' },
  'help.globalOptions': { fr: 'Options générales :', en: 'Global options:' },
  'help.environment': { fr: 'Variables d’environnement :', en: 'Environment:' },
  'help.environmentList': {
    fr: '  VIGIE_HUB, VIGIE_HOME, VIGIE_LANG   équivalents de --hub, --keys, --lang\n  VIGIE_PASSPHRASE                    phrase de passe des fichiers de clés (sinon demandée sans écho)\n  VIGIE_OPERATOR_TOKEN                jeton de l’exploitant du carrefour (vigie admit)\n  VIGIE_KDF=interactive               Argon2id plus léger (tests); « moderate » par défaut',
    en: '  VIGIE_HUB, VIGIE_HOME, VIGIE_LANG   same as --hub, --keys, --lang\n  VIGIE_PASSPHRASE                    key file passphrase (otherwise asked for without echo)\n  VIGIE_OPERATOR_TOKEN                hub operator token (vigie admit)\n  VIGIE_KDF=interactive               lighter Argon2id (tests); "moderate" by default',
  },
  'help.exitCodes': {
    fr: 'Codes de sortie : 0 succès, 1 erreur, 2 usage, 3 aucune prise en charge dans le délai.',
    en: 'Exit codes: 0 success, 1 error, 2 usage, 3 no acknowledgement in time.',
  },
  'help.more': { fr: 'Aide d’une commande : vigie <commande> --help', en: 'Help on a command: vigie <command> --help' },
  'help.keysAgency.summary': { fr: 'Générer la clé racine d’un organisme (administrateur)', en: 'Generate an agency root key (administrator)' },
  'help.keysAgency.details': {
    fr: 'La clé est chiffrée sous votre phrase de passe (Argon2id) dans <dossier>/agency.key, mode 0600. Elle signe tout ce que l’organisme certifie : personne d’autre, pas même l’exploitant du carrefour, ne peut le faire à sa place.',
    en: 'The key is encrypted under your passphrase (Argon2id) in <dir>/agency.key, mode 0600. It signs everything the agency certifies: nobody else, not even the hub operator, can do so in its name.',
  },
  'help.keysMember.summary': { fr: 'Générer les clés de cet appareil; affiche ses clés publiques en JSON', en: 'Generate this device’s keys; prints its public keys as JSON' },
  'help.keysMember.details': {
    fr: 'Les clés privées sont chiffrées dans <dossier>/member.key. Le JSON affiché (clés publiques seulement) va à l’administrateur de l’organisme, qui le certifie avec « vigie member enrol ».',
    en: 'Private keys are encrypted in <dir>/member.key. The JSON printed (public keys only) goes to the agency administrator, who certifies it with "vigie member enrol".',
  },
  'help.keysShow.summary': { fr: 'Afficher les clés publiques du dossier de clés', en: 'Show the public keys of the key directory' },
  'help.admit.summary': { fr: 'Admettre un organisme et obtenir son code à usage unique (exploitant)', en: 'Admit an agency and get its one-time code (operator)' },
  'help.admit.details': {
    fr: 'Le jeton d’exploitant est lu dans VIGIE_OPERATOR_TOKEN. Le code affiché se remet à l’administrateur de l’organisme par un canal sûr.',
    en: 'The operator token is read from VIGIE_OPERATOR_TOKEN. Hand the printed code to the agency administrator over a safe channel.',
  },
  'help.agencyRegister.summary': { fr: 'Inscrire l’organisme et sa clé racine avec le code d’admission', en: 'Register the agency and its root key with the admission code' },
  'help.agencyRegister.details': {
    fr: 'Utilise <dossier>/agency.key. Le type et les noms doivent être ceux de l’admission.',
    en: 'Uses <dir>/agency.key. The kind and names must match the admission.',
  },
  'help.inboxCreate.summary': { fr: 'Créer et certifier une boîte de réception de l’organisme', en: 'Create and certify an inbox of the agency' },
  'help.inboxCreate.details': {
    fr: 'La paire de clés de la boîte est ajoutée au fichier de clés de l’organisme (rechiffré) avant d’être inscrite au carrefour.',
    en: 'The inbox key pair is added to the agency key file (re-encrypted) before it is registered with the hub.',
  },
  'help.memberEnrol.summary': { fr: 'Certifier un appareil à partir de ses clés publiques (administrateur)', en: 'Certify a device from its public keys (administrator)' },
  'help.memberEnrol.details': {
    fr: 'Rôles : sender, receiver, admin, auditor. La clé de chaque boîte indiquée est scellée pour cet appareil. Comparez l’empreinte affichée avec celle de l’appareil.',
    en: 'Roles: sender, receiver, admin, auditor. The key of each inbox given is sealed to this device. Compare the fingerprint shown with the device’s.',
  },
  'help.memberRevoke.summary': { fr: 'Révoquer un appareil (administrateur)', en: 'Revoke a device (administrator)' },
  'help.memberRevoke.details': {
    fr: 'L’appareil ne peut plus s’authentifier; ses connexions en cours sont fermées.',
    en: 'The device can no longer authenticate; its open connections are closed.',
  },
  'help.send.summary': { fr: 'Chiffrer, signer et envoyer un message', en: 'Encrypt, sign and send a message' },
  'help.send.details': {
    fr: 'Types : danger_alert, cir_activation, risk_assessment, bail_safety_input, release_conditions, condition_breach, custody_event, victim_representation, program_status, note.\nUrgence par défaut : immediate pour danger_alert, routine sinon.\nAvec --wait-ack, attend la première prise en charge signée; code 3 si personne ne l’a prise en charge dans le délai.',
    en: 'Types: danger_alert, cir_activation, risk_assessment, bail_safety_input, release_conditions, condition_breach, custody_event, victim_representation, program_status, note.\nDefault urgency: immediate for danger_alert, routine otherwise.\nWith --wait-ack, waits for the first signed acknowledgement; exit 3 when nobody acknowledged in time.',
  },
  'help.listen.summary': { fr: 'Recevoir en direct les messages et accusés de cet appareil', en: 'Receive this device’s messages and receipts live' },
  'help.listen.details': {
    fr: 'Chaque message est vérifié (signature, certificat) et déchiffré ici. La position est sauvegardée : l’écoute suivante reprend où celle-ci s’est arrêtée. Ctrl-C pour quitter.',
    en: 'Each message is verified (signature, certificate) and decrypted here. The position is saved: the next listen resumes where this one stopped. Ctrl-C to quit.',
  },
  'help.ack.summary': { fr: 'Ouvrir, vérifier et prendre en charge un message', en: 'Open, verify and acknowledge a message' },
  'help.ack.details': {
    fr: 'Signe un accusé « acknowledged » : une personne a lu ce message.',
    en: 'Signs an "acknowledged" receipt: a person has read this message.',
  },
  'help.status.summary': { fr: 'Suivre la réception et la prise en charge d’un message', en: 'Track delivery and acknowledgement of a message' },

  // ── Options ───────────────────────────────────────────────────────────────
  'opt.hub': { fr: 'adresse du carrefour (défaut http://127.0.0.1:8080)', en: 'hub address (default http://127.0.0.1:8080)' },
  'opt.keys': { fr: 'dossier des clés (défaut ~/.vigie)', en: 'key directory (default ~/.vigie)' },
  'opt.lang': { fr: 'langue des messages (défaut fr)', en: 'language of messages (default fr)' },
  'opt.json': { fr: 'sortie JSON, une valeur par ligne', en: 'JSON output, one value per line' },
  'opt.help': { fr: 'afficher l’aide', en: 'show help' },
  'opt.kind': { fr: 'type d’organisme (shelter, police, prosecution…)', en: 'agency kind (shelter, police, prosecution…)' },
  'opt.nameFr': { fr: 'nom en français', en: 'name in French' },
  'opt.nameEn': { fr: 'nom en anglais', en: 'name in English' },
  'opt.validHours': { fr: 'validité du code en heures (défaut 72)', en: 'code validity in hours (default 72)' },
  'opt.code': { fr: 'code d’admission reçu de l’exploitant', en: 'admission code from the operator' },
  'opt.public': { fr: 'JSON des clés publiques de l’appareil (- : entrée standard)', en: 'device public-key JSON (-: standard input)' },
  'opt.roles': { fr: 'rôles : sender, receiver, admin, auditor', en: 'roles: sender, receiver, admin, auditor' },
  'opt.inbox': { fr: 'boîte que l’appareil lira (répétable)', en: 'inbox the device will read (repeatable)' },
  'opt.label': { fr: 'libellé du poste, pas un nom de personne', en: 'desk or device label, not a person’s name' },
  'opt.to': { fr: 'boîtes destinataires', en: 'recipient inboxes' },
  'opt.type': { fr: 'type de message (danger_alert, note…)', en: 'message type (danger_alert, note…)' },
  'opt.urgency': { fr: 'immediate, urgent ou routine', en: 'immediate, urgent or routine' },
  'opt.text': { fr: 'contenu en texte', en: 'text content' },
  'opt.file': { fr: 'contenu JSON (- : entrée standard)', en: 'JSON content (-: standard input)' },
  'opt.category': { fr: 'catégories de renseignements (identity, location…)', en: 'data categories (identity, location…)' },
  'opt.from': { fr: 'boîte d’envoi (défaut : la première de l’appareil)', en: 'sending inbox (default: the device’s first)' },
  'opt.legalBasis': { fr: 'consent, apprehended_danger ou legal_obligation', en: 'consent, apprehended_danger or legal_obligation' },
  'opt.replyTo': { fr: 'message auquel celui-ci répond', en: 'message this one replies to' },
  'opt.waitAck': { fr: 'attendre une prise en charge, au plus ce délai', en: 'wait for an acknowledgement, at most this long' },
  'opt.after': { fr: 'reprendre après ce curseur (défaut : le dernier sauvegardé)', en: 'resume after this cursor (default: the last saved)' },
  'opt.ack': { fr: 'prendre en charge chaque message après l’avoir affiché', en: 'acknowledge each message after printing it' },
  'opt.listenInbox': { fr: 'n’écouter que cette boîte (répétable)', en: 'listen to this inbox only (repeatable)' },
} as const satisfies Record<string, Entry>;

export type MessageKey = keyof typeof MESSAGES;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(MESSAGES, key);
}

/** The sentence in this language, with `{name}` replaced by its value. */
export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** `fr`, `en`, or a locale of them (`fr-CA`, `en_US.UTF-8`); null otherwise. */
export function parseLang(value: string | undefined): Lang | null {
  const m = /^(fr|en)(?:[-_.].*)?$/i.exec(value?.trim() ?? '');
  return m ? (m[1]!.toLowerCase() as Lang) : null;
}
