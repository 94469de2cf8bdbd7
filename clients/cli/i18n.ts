/**
 * Every sentence the `vigie` command shows a person, in French (the default)
 * and in English (`--lang en` or `VIGIE_LANG=en`). `{name}` marks a value
 * filled in at run time; both languages of an entry use the same ones (a
 * test checks it). One table on purpose: a translator reads it top to bottom.
 */

import { vocabularyList } from './vocabulary.js';

export type Lang = 'fr' | 'en';
export type Params = Record<string, string | number>;

interface Entry {
  fr: string;
  en: string;
}

export const MESSAGES = {
  // ── Words and placeholders ────────────────────────────────────────────────
  'arg.agencyId': { fr: '<organisme>', en: '<agency-id>' },
  'arg.categories': { fr: '<catégorie>[,…]', en: '<category>[,…]' },
  'arg.code': { fr: '<code>', en: '<code>' },
  'arg.command': { fr: 'commande', en: 'command' },
  'arg.cursor': { fr: '<curseur>', en: '<cursor>' },
  'arg.desk': { fr: '<poste>', en: '<desk>' },
  'arg.dir': { fr: '<dossier>', en: '<dir>' },
  'arg.fileOrStdin': { fr: '<fichier|->', en: '<file|->' },
  'arg.file': { fr: '<fichier>', en: '<file>' },
  'arg.host': { fr: '<adresse>', en: '<address>' },
  'arg.hours': { fr: '<heures>', en: '<hours>' },
  'arg.inbox': { fr: '<organisme/poste>', en: '<agency/desk>' },
  'arg.inboxes': { fr: '<boîte>[,<boîte>…]', en: '<inbox>[,<inbox>…]' },
  'arg.kind': { fr: '<type>', en: '<kind>' },
  'arg.label': { fr: '<libellé>', en: '<label>' },
  'arg.lang': { fr: 'fr|en', en: 'fr|en' },
  'arg.legalBasis': { fr: '<fondement>', en: '<basis>' },
  'arg.memberId': { fr: '<id-membre>', en: '<member-id>' },
  'arg.invitation': { fr: '<invitation>', en: '<invitation>' },
  'arg.invitationLink': { fr: '<lien-ou-invitation>', en: '<link-or-invitation>' },
  'arg.fingerprint': { fr: '"<empreinte>"', en: '"<fingerprint>"' },
  'arg.logSpec': { fr: '<origine>=<vkey>', en: '<origin>=<vkey>' },
  'arg.messageId': { fr: '<id-message>', en: '<message-id>' },
  'arg.options': { fr: 'options', en: 'options' },
  'arg.port': { fr: '<port>', en: '<port>' },
  'arg.roles': { fr: '<rôle>[,<rôle>…]', en: '<role>[,<role>…]' },
  'arg.seconds': { fr: '<secondes>', en: '<seconds>' },
  'arg.databaseUrl': { fr: '<postgres://…>', en: '<postgres://…>' },
  'arg.text': { fr: '<texte>', en: '<text>' },
  'arg.type': { fr: '<type>', en: '<type>' },
  'arg.urgency': { fr: '<urgence>', en: '<urgency>' },
  'arg.count': { fr: '<nombre>', en: '<count>' },
  'arg.date': { fr: '<date>', en: '<date>' },
  'arg.fileOrStdout': { fr: '<fichier|->', en: '<file|->' },
  'arg.proofFile': { fr: '<fichier-de-preuve>', en: '<proof-file>' },
  'arg.vkey': { fr: '<vkey>', en: '<vkey>' },
  'arg.url': { fr: '<url>', en: '<url>' },
  'arg.witnessName': { fr: '<nom>', en: '<name>' },
  'arg.template': { fr: '<modèle>', en: '<template>' },
  'arg.binding': { fr: '<rôle>=<organisme>', en: '<role>=<agency-id>' },
  'arg.protocolId': { fr: '<protocole>', en: '<protocol-id>' },
  'arg.protocolRef': { fr: '<protocole>@<version>', en: '<protocol>@<version>' },
  'arg.version': { fr: '<version>', en: '<version>' },
  'arg.case': { fr: '<dossier>', en: '<case-ref>' },
  'arg.purpose': { fr: '<finalité>', en: '<purpose>' },
  'arg.purposes': { fr: '<finalité>[,…]', en: '<purpose>[,…]' },
  'arg.agencies': { fr: '<organisme>[,…]', en: '<agency-id>[,…]' },
  'arg.consentId': { fr: '<id-consentement>', en: '<consent-id>' },
  'arg.reason': { fr: '<motif>', en: '<reason>' },
  'arg.directive': { fr: '<directive>', en: '<directive>' },
  'arg.conditions': { fr: '<condition>[,…]', en: '<condition>[,…]' },
  'arg.reference': { fr: '<référence>', en: '<reference>' },
  'arg.consentState': { fr: '<état>', en: '<state>' },
  'arg.instrument': { fr: '<instrument>', en: '<instrument>' },

  'synopsis.admit': { fr: '<organisme> --kind <type> --name-fr <texte> --name-en <texte>', en: '<agency-id> --kind <kind> --name-fr <text> --name-en <text>' },
  'synopsis.agencyRegister': { fr: '--code <code> --kind <type> --name-fr <texte> --name-en <texte>', en: '--code <code> --kind <kind> --name-fr <text> --name-en <text>' },
  'synopsis.inboxCreate': { fr: '<poste> --name-fr <texte> --name-en <texte>', en: '<desk> --name-fr <text> --name-en <text>' },
  'synopsis.memberEnrol': { fr: '--public <fichier|-> --roles <rôle>[,…] --inbox <organisme/poste>', en: '--public <file|-> --roles <role>[,…] --inbox <agency/desk>' },
  'synopsis.memberInvite': { fr: '--label <libellé> --roles <rôle>[,…] [--inbox <organisme/poste>]', en: '--label <label> --roles <role>[,…] [--inbox <agency/desk>]' },
  'synopsis.witnessKey': { fr: '--name <nom>', en: '--name <name>' },
  'synopsis.witnessServe': { fr: '--log <origine>=<vkey> [--log …]', en: '--log <origin>=<vkey> [--log …]' },
  'synopsis.assess': { fr: '--instrument <instrument> [--version <version>] [--out <fichier|->]', en: '--instrument <instrument> [--version <version>] [--out <file|->]' },
  'synopsis.send': {
    fr: '--to <boîte>[,…] --type <type> (--text <texte> | --file <fichier|->) --protocol <protocole>@<version> --legal-basis <fondement> …',
    en: '--to <inbox>[,…] --type <type> (--text <text> | --file <file|->) --protocol <protocol>@<version> --legal-basis <basis> …',
  },
  'synopsis.protocolDraft': {
    fr: '--template <modèle> --party <rôle>=<organisme> [--party …] --out <fichier>',
    en: '--template <template> --party <role>=<agency-id> [--party …] --out <file>',
  },
  'synopsis.protocolFile': { fr: '--file <fichier>', en: '--file <file>' },
  'synopsis.consentRecord': {
    fr: '--case <dossier> --to <organisme>[,…] --purpose <finalité>[,…] --category <catégorie>[,…] --evidence <fichier>',
    en: '--case <case-ref> --to <agency-id>[,…] --purpose <purpose>[,…] --category <category>[,…] --evidence <file>',
  },

  // ── Prompts ───────────────────────────────────────────────────────────────
  'prompt.passphrase': { fr: 'Phrase de passe pour {file} : ', en: 'Passphrase for {file}: ' },
  'prompt.newPassphrase': { fr: 'Nouvelle phrase de passe pour {file} : ', en: 'New passphrase for {file}: ' },
  'prompt.confirmPassphrase': { fr: 'Confirmez la phrase de passe : ', en: 'Confirm the passphrase: ' },
  'prompt.signProtocol': {
    fr: 'Signer ce protocole au nom de {agency} avec sa clé racine ? [o/N] ',
    en: 'Sign this protocol on behalf of {agency} with its root key? [y/N] ',
  },
  'prompt.revokeMember': {
    fr: 'Révoquer l’appareil {member} de {agency} et remplacer la clé de chaque boîte qu’il lisait ({inboxes}) ? [o/N] ',
    en: 'Revoke device {member} of {agency} and replace the key of every inbox it read ({inboxes})? [y/N] ',
  },
  'prompt.sameFingerprint': {
    fr: 'La personne (« {label} ») lit-elle exactement cette empreinte sur son écran ? [o/N] ',
    en: 'Does the person (“{label}”) read exactly this fingerprint on their screen? [y/N] ',
  },
  'protocol.partnerUnpinned': {
    fr: '  {agency} : clé racine pas encore épinglée par cet appareil; comparez son empreinte ({fingerprint}) de vive voix avec {agency} avant de signer.',
    en: '  {agency}: root key not pinned by this device yet; compare its fingerprint ({fingerprint}) aloud with {agency} before signing.',
  },
  'prompt.retireProtocol': {
    fr: 'Retirer le protocole {id} au nom de {agency} ? Aucune de ses versions ne permettra plus de nouvelle communication. [o/N] ',
    en: 'Retire protocol {id} on behalf of {agency}? None of its versions will allow a new communication any more. [y/N] ',
  },
  'prompt.attestIntro': {
    fr: 'Danger appréhendé : communication sans le consentement de la victime. Attestez chacune des quatre conditions.',
    en: 'Apprehended danger: communication without the victim’s consent. Attest each of the four conditions.',
  },
  'prompt.attest': { fr: '{condition} : condition remplie ? [o/N] ', en: '{condition}: condition met? [y/N] ' },
  'prompt.ackMessage': { fr: 'Prendre en charge le message {id} ? [o/N] ', en: 'Acknowledge message {id}? [y/N] ' },

  // ── Risk assessment (vigie assess) ────────────────────────────────────────
  'assess.title': { fr: '{title} ({id}, version {version})', en: '{title} ({id}, version {version})' },
  'assess.publisher': { fr: 'Source : {publisher}', en: 'Source: {publisher}' },
  'assess.howTo': {
    fr: 'Pour chaque question, répondez oui (o), non (n), je ne sais pas (?) ou passer (p), puis donnez la source de la réponse : la victime (v), le dossier (d) ou votre observation (o). « Je ne sais pas » ne compte jamais comme un oui.',
    en: 'For each question, answer yes (y), no (n), don’t know (?) or skip (s), then give the source of the answer: the victim (v), the record (r) or your observation (o). “Don’t know” never counts as a yes.',
  },
  'assess.required': { fr: '(obligatoire)', en: '(required)' },
  'assess.help': { fr: 'Précision : {help}', en: 'Note: {help}' },
  'assess.answerPrompt': { fr: 'Réponse — oui, non, je ne sais pas, passer [o/n/?/p] : ', en: 'Answer — yes, no, don’t know, skip [y/n/?/s]: ' },
  'assess.answerRetry': {
    fr: 'Réponse non reconnue : tapez o (oui), n (non), ? (je ne sais pas) ou p (passer).',
    en: 'Answer not recognised: type y (yes), n (no), ? (don’t know) or s (skip).',
  },
  'assess.requiredRetry': {
    fr: 'Cette question est obligatoire : répondez oui, non ou je ne sais pas.',
    en: 'This question is required: answer yes, no or don’t know.',
  },
  'assess.sourcePrompt': { fr: 'Source — victime, dossier, observation de l’intervenante [V/d/o] : ', en: 'Source — victim, record, worker’s observation [V/r/o]: ' },
  'assess.sourceRetry': {
    fr: 'Source non reconnue : tapez v (victime), d (dossier) ou o (observation de l’intervenante).',
    en: 'Source not recognised: type v (victim), r (record) or o (worker’s observation).',
  },
  'assess.choicePrompt': { fr: 'Choix [1 à {max}; vide : passer] : ', en: 'Choice [1 to {max}; empty: skip]: ' },
  'assess.choiceRetry': { fr: 'Tapez un nombre de 1 à {max}.', en: 'Type a number from 1 to {max}.' },
  'assess.computed': { fr: 'Niveau calculé par l’instrument : {level}', en: 'Level computed by the instrument: {level}' },
  'assess.action': { fr: 'Action : {action}', en: 'Action: {action}' },
  'assess.overridePrompt': {
    fr: 'Retenir un autre niveau selon votre jugement professionnel ? [o/N] ',
    en: 'Set another level on your professional judgement? [y/N] ',
  },
  'assess.yesNoRetry': { fr: 'Tapez o (oui) ou n (non).', en: 'Type y (yes) or n (no).' },
  'assess.computedLevel': { fr: 'Niveau calculé : {level}. Niveau à retenir :', en: 'Computed level: {level}. Level to set:' },
  'assess.levelPrompt': { fr: 'Niveau retenu [1 à {max}] : ', en: 'Level set [1 to {max}]: ' },
  'assess.reasonPrompt': { fr: 'Motif (obligatoire) : ', en: 'Reason (required): ' },
  'assess.reasonRequired': {
    fr: 'Le motif est obligatoire : il accompagne le niveau retenu jusqu’au destinataire.',
    en: 'The reason is required: it goes with the level set to the recipient.',
  },
  'assess.reasonTooLong': { fr: 'Le motif ne peut dépasser 2 000 caractères.', en: 'The reason cannot exceed 2,000 characters.' },
  'assess.written': {
    fr: 'Évaluation écrite dans {file} (confidentielle : seul votre compte peut lire ce fichier; elle ne quitte cet appareil que chiffrée).',
    en: 'Assessment written to {file} (confidential: only your account can read this file; it leaves this device only encrypted).',
  },
  'assess.level': { fr: 'Niveau : {label} — {action}', en: 'Level: {label} — {action}' },
  'assess.overridden': {
    fr: 'Niveau retenu par jugement professionnel (niveau calculé : {computed}) — motif : {reason}',
    en: 'Level set on professional judgement (computed level: {computed}) — reason: {reason}',
  },
  'assess.next': { fr: 'Pour la joindre à un message : vigie send … --assessment {file}', en: 'To attach it to a message: vigie send … --assessment {file}' },

  // Why an assessment does not score (protocol/instrument.ts codes), inside a sentence.
  'assessError.ASSESSMENT_INVALID': { fr: 'le fichier n’a pas la forme d’une évaluation', en: 'the file does not have the shape of an assessment' },
  'assessError.ASSESSMENT_INSTRUMENT_MISMATCH': {
    fr: 'l’évaluation a été remplie avec un autre instrument ou une autre version',
    en: 'the assessment was filled with another instrument or another version',
  },
  'assessError.ASSESSMENT_UNKNOWN_ITEM': { fr: 'une réponse porte sur une question que l’instrument n’a pas', en: 'an answer is to a question the instrument does not have' },
  'assessError.ASSESSMENT_DUPLICATE_ITEM': { fr: 'une question a reçu deux réponses', en: 'a question was answered twice' },
  'assessError.ASSESSMENT_ANSWER_MISSING': {
    fr: 'une question obligatoire est restée sans réponse (oui, non ou je ne sais pas)',
    en: 'a required question was left unanswered (yes, no or don’t know)',
  },
  'assessError.ASSESSMENT_OVERRIDE_NOT_ALLOWED': {
    fr: 'cet instrument ne permet pas de retenir un autre niveau par jugement professionnel',
    en: 'this instrument does not allow another level to be set on professional judgement',
  },
  'assessError.ASSESSMENT_OVERRIDE_REASON_MISSING': {
    fr: 'un niveau retenu par jugement professionnel doit être motivé',
    en: 'a level set on professional judgement needs a reason',
  },
  'assessError.ASSESSMENT_UNKNOWN_LEVEL': { fr: 'le niveau retenu n’est pas un niveau de l’instrument', en: 'the level set is not a level of the instrument' },
  'assessError.ASSESSMENT_UNKNOWN_PERCEPTION': {
    fr: 'la perception de la victime n’est pas une des options de l’instrument',
    en: 'the victim’s perception is not one of the instrument’s options',
  },
  'assessError.ASSESSMENT_MISSING': {
    fr: 'le contenu déchiffré ne contient pas l’évaluation dont l’en-tête donne le niveau',
    en: 'the decrypted content does not hold the assessment whose level the header gives',
  },
  'assessError.INSTRUMENT_UNKNOWN': {
    fr: 'cet appareil ne connaît pas cette version de l’instrument (config/instruments)',
    en: 'this device does not know this version of the instrument (config/instruments)',
  },

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
  'keys.showPinnedRoot': { fr: 'Clé racine de {agency} épinglée par cet appareil : empreinte {fingerprint}', en: 'Root key of {agency} pinned by this device: fingerprint {fingerprint}' },
  'keys.showAgency': { fr: 'Organisme {agency} — clé racine publique {key}', en: 'Agency {agency} — public root key {key}' },
  'keys.showMember': {
    fr: 'Appareil {member} de l’organisme {agency} — empreinte {fingerprint}',
    en: 'Device {member} of agency {agency} — fingerprint {fingerprint}',
  },
  'keys.none': { fr: 'Aucune clé dans ce dossier.', en: 'No keys in this directory.' },
  'keys.joinAbout': {
    fr: 'Invitation de {agency} pour « {label} » : rôles {roles}, boîtes {inboxes}; valide jusqu’au {time}.',
    en: 'Invitation from {agency} for “{label}”: roles {roles}, inboxes {inboxes}; valid until {time}.',
  },
  'keys.joinAnswered': {
    fr: 'Clés de cet appareil créées et chiffrées sous votre phrase de passe ({file}); leur moitié publique a été remise avec le code.',
    en: 'This device’s keys created and encrypted under your passphrase ({file}); their public half was handed over with the code.',
  },
  'keys.joinFingerprint': {
    fr: 'Lisez cette empreinte à votre administrateur, qui doit voir la même avant d’approuver :\n\n    {fingerprint}\n',
    en: 'Read this fingerprint to your administrator, who must see the same one before approving:\n\n    {fingerprint}\n',
  },
  'keys.joinRoot': {
    fr: 'Empreinte de la clé racine de {agency} : {fingerprint} (votre administrateur la lit dans la console, Administration › Clés des partenaires).',
    en: 'Fingerprint of {agency}’s root key: {fingerprint} (your administrator reads it in the console, Administration › Partner keys).',
  },
  'keys.joinWaiting': { fr: 'En attente de l’approbation… (Ctrl-C pour arrêter d’attendre : les clés restent sur cet appareil)', en: 'Waiting for approval… (Ctrl-C to stop waiting: the keys stay on this device)' },
  'keys.joinLater': {
    fr: 'Une fois l’appareil approuvé, il est prêt (« vigie listen »…); l’état de l’invitation {invitation} se lit aussi dans la console.',
    en: 'Once the device is approved it is ready ("vigie listen"…); the state of invitation {invitation} can also be read in the console.',
  },
  'keys.joinApproved': { fr: 'Approuvé : cet appareil est maintenant « {label} » de {agency}.', en: 'Approved: this device is now “{label}” of {agency}.' },
  'keys.joinHub': { fr: 'Ce carrefour est {hub} : donnez --hub {hub} (ou VIGIE_HUB) aux commandes suivantes.', en: 'This hub is {hub}: give --hub {hub} (or VIGIE_HUB) to the next commands.' },
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
  'member.rootFingerprint': {
    fr: 'Empreinte de la clé racine de {agency} : {fingerprint}. À sa première connexion, l’appareil l’épingle; comparez-la avec celle qu’affiche « vigie keys show » sur l’appareil.',
    en: 'Fingerprint of {agency}’s root key: {fingerprint}. At its first connection the device pins it; compare it with the one “vigie keys show” prints on the device.',
  },
  'member.rotated': {
    fr: 'Nouvelles clés, scellées aux seuls membres restants, pour : {inboxes}. Les messages envoyés désormais sont chiffrés avec elles.',
    en: 'New keys, sealed to the remaining members only, for: {inboxes}. Messages sent from now on are encrypted to them.',
  },
  'member.revoked': {
    fr: 'Appareil {member} révoqué : il ne peut plus s’authentifier ni signer.',
    en: 'Device {member} revoked: it can no longer authenticate or sign.',
  },
  'member.invited': {
    fr: 'Invitation signée par la clé racine pour « {label} » : rôles {roles}, boîtes {inboxes}; valide jusqu’au {time}.',
    en: 'Invitation signed by the root key for “{label}”: roles {roles}, inboxes {inboxes}; valid until {time}.',
  },
  'member.inviteLink': { fr: 'Lien à donner à la personne, et à elle seule (console ou « vigie keys join ») :', en: 'Link to give the person, and them only (console or "vigie keys join"):' },
  'member.inviteCode': {
    fr: 'Ou donnez-lui le numéro d’invitation {invitation} puis, par un autre moyen (téléphone, en personne), le code : {code}',
    en: 'Or give them the invitation number {invitation} then, by another channel (phone, in person), the code: {code}',
  },
  'member.inviteNext': {
    fr: 'Le code n’est affiché qu’une fois. Quand la personne a répondu : vigie member approve {invitation}',
    en: 'The code is shown once only. Once the person has answered: vigie member approve {invitation}',
  },
  'member.noInvitations': { fr: 'Aucune invitation.', en: 'No invitation.' },
  'member.invitationLine': {
    fr: '{state} — « {label} » — rôles {roles} — boîtes {inboxes} — jusqu’au {time} — {invitation}',
    en: '{state} — “{label}” — roles {roles} — inboxes {inboxes} — until {time} — {invitation}',
  },
  'member.invitationFingerprint': {
    fr: 'empreinte de l’appareil : {fingerprint} — à comparer, puis : vigie member approve {invitation}',
    en: 'device fingerprint: {fingerprint} — compare it, then: vigie member approve {invitation}',
  },
  'member.approveSummary': {
    fr: 'Invitation de « {label} » (rôles {roles}, boîtes {inboxes}). Empreinte de l’appareil qui a répondu :\n\n    {fingerprint}\n\nLa personne doit lire exactement la même sur son écran.',
    en: 'Invitation of “{label}” (roles {roles}, inboxes {inboxes}). Fingerprint of the device that answered:\n\n    {fingerprint}\n\nThe person must read exactly the same on their screen.',
  },
  'member.approved': {
    fr: 'Appareil de « {label} » certifié par la clé racine ({member}) : il peut maintenant s’ouvrir.',
    en: 'Device of “{label}” certified by the root key ({member}): it can now open.',
  },
  'member.none': { fr: 'Aucun appareil inscrit.', en: 'No device enrolled.' },
  'member.line': {
    fr: '« {label} » — {state} — rôles {roles} — boîtes {inboxes} — empreinte {fingerprint} — {member}',
    en: '“{label}” — {state} — roles {roles} — inboxes {inboxes} — fingerprint {fingerprint} — {member}',
  },
  'member.uncertified': { fr: 'ALERTE : certificat non signé par votre clé racine', en: 'ALARM: certificate not signed by your root key' },
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
  'msg.protocol': { fr: 'Protocole : {protocol}', en: 'Protocol: {protocol}' },
  'msg.replyTo': { fr: 'En réponse à : {id}', en: 'In reply to: {id}' },
  'msg.content': { fr: 'Contenu (signature vérifiée, déchiffré sur cet appareil) :', en: 'Content (signature verified, decrypted on this device):' },
  'msg.id': { fr: 'Message : {id}', en: 'Message: {id}' },
  'msg.assessment.match': {
    fr: 'Évaluation du risque ({instrument} v{version}) : niveau signé {signed} — recalculé : {recomputed} ✓',
    en: 'Risk assessment ({instrument} v{version}): signed level {signed} — recomputed: {recomputed} ✓',
  },
  'msg.assessment.differs': {
    fr: 'Évaluation du risque ({instrument} v{version}) : niveau signé {signed} — recalculé : {recomputed} ✗',
    en: 'Risk assessment ({instrument} v{version}): signed level {signed} — recomputed: {recomputed} ✗',
  },
  'msg.assessment.mismatch': {
    fr: 'ATTENTION : le niveau signé ({signed}) ne correspond pas au niveau recalculé à partir des réponses ({recomputed}). Vérifiez avec l’expéditeur.',
    en: 'WARNING: the signed level ({signed}) does not match the level recomputed from the answers ({recomputed}). Check with the sender.',
  },
  'msg.assessment.unchecked': {
    fr: 'Évaluation du risque ({instrument} v{version}) : niveau signé {signed} — non recalculé ✗',
    en: 'Risk assessment ({instrument} v{version}): signed level {signed} — not recomputed ✗',
  },
  'msg.assessment.uncheckable': {
    fr: 'ATTENTION : le niveau signé ({signed}) n’a pas pu être recalculé sur cet appareil : {reason}. Vérifiez avec l’expéditeur.',
    en: 'WARNING: the signed level ({signed}) could not be recomputed on this device: {reason}. Check with the sender.',
  },
  'msg.assessment.answers': {
    fr: 'Réponses de l’évaluation ({instrument} v{version}, remplie le {time}) : {yes} oui, {dontKnow} je ne sais pas, {no} non, {skipped} sans réponse',
    en: 'Assessment answers ({instrument} v{version}, completed {time}): {yes} yes, {dontKnow} don’t know, {no} no, {skipped} unanswered',
  },
  'msg.assessment.perception': { fr: 'Perception de la victime : {perception}', en: 'The victim’s perception: {perception}' },
  'msg.assessment.override': { fr: 'Jugement professionnel : niveau {level} — motif : {reason}', en: 'Professional judgement: level {level} — reason: {reason}' },
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
  'listen.ackContext': {
    fr: 'Prise en charge — {type} de {sender}, pour {inbox}. Répondez o seulement si vous avez lu ce message et que vous vous en occupez.',
    en: 'Acknowledgement — {type} from {sender}, to {inbox}. Answer y only if you have read this message and are dealing with it.',
  },
  'listen.notAcknowledged': {
    fr: 'NON PRIS EN CHARGE : {id} ({inbox}). Pour le prendre en charge : vigie ack {id}',
    en: 'NOT ACKNOWLEDGED: {id} ({inbox}). To acknowledge it: vigie ack {id}',
  },
  'listen.stopped': { fr: 'Écoute arrêtée; la prochaine reprendra où celle-ci s’est arrêtée.', en: 'Stopped listening; the next listen resumes from here.' },
  // Notices of the hub about acknowledgement deadlines and escalation (server/escalation/engine.ts).
  'notice.unknownType': { fr: 'un message', en: 'a message' },
  'listen.notice.escalation': {
    fr: 'ESCALADE : {type} de {agency} ({from}) à {recipient} sans prise en charge depuis {time} — étape {step} (message {id}).',
    en: 'ESCALATION: {type} from {agency} ({from}) to {recipient} not acknowledged since {time} — step {step} (message {id}).',
  },
  'listen.notice.renotify': {
    fr: 'RAPPEL : l’alerte {id} attend toujours une prise en charge à {recipient} (étape {step}). Pour la prendre en charge : vigie ack {id}',
    en: 'REMINDER: alert {id} is still waiting for an acknowledgement at {recipient} (step {step}). To acknowledge it: vigie ack {id}',
  },
  'listen.notice.unacknowledged': {
    fr: 'AUCUNE PRISE EN CHARGE : le délai de l’alerte {id} à {recipient} est échu (échéance {deadline}); le carrefour escalade.',
    en: 'NO ACKNOWLEDGEMENT: the deadline of alert {id} to {recipient} has passed (deadline {deadline}); the hub is escalating.',
  },
  'listen.notice.escalated': {
    fr: 'ESCALADE étape {step} de l’alerte {id} à {recipient} : {inboxes} avisé(s).',
    en: 'ESCALATION step {step} of alert {id} to {recipient}: {inboxes} notified.',
  },
  'listen.notice.exhausted': {
    fr: 'CHAÎNE ÉPUISÉE : personne à {recipient} n’a pris l’alerte {id} en charge. Appelez le 911.',
    en: 'CHAIN EXHAUSTED: nobody at {recipient} acknowledged alert {id}. Call 911.',
  },
  'listen.notice.other': {
    fr: 'Avis du carrefour ({kind}) sur le message {id} à {recipient}, étape {step}.',
    en: 'Notice from the hub ({kind}) about message {id} to {recipient}, step {step}.',
  },
  'send.notice.unacknowledged': {
    fr: 'AUCUNE PRISE EN CHARGE : le délai de l’alerte à {recipient} est échu (échéance {deadline}); le carrefour escalade.',
    en: 'NO ACKNOWLEDGEMENT: the alert’s deadline at {recipient} has passed (deadline {deadline}); the hub is escalating.',
  },
  'send.notice.escalated': { fr: 'ESCALADE étape {step} : {inboxes} avisé(s).', en: 'ESCALATION step {step}: {inboxes} notified.' },
  'send.notice.exhausted': {
    fr: 'CHAÎNE ÉPUISÉE : personne à {recipient} n’a pris l’alerte en charge. Appelez le 911.',
    en: 'CHAIN EXHAUSTED: nobody at {recipient} acknowledged the alert. Call 911.',
  },

  'protocol.templates': { fr: 'Modèles de protocole (config/protocols) :', en: 'Protocol templates (config/protocols):' },
  'protocol.templateRoles': { fr: 'rôles : {roles}', en: 'roles: {roles}' },
  'protocol.drafted': {
    fr: 'Projet du protocole {id}, version {version}, écrit dans {file} (aucune signature encore).',
    en: 'Draft of protocol {id}, version {version}, written to {file} (no signature yet).',
  },
  'protocol.draftNext': {
    fr: 'Étape suivante : l’administrateur de chaque partie le relit et le signe : vigie protocol sign --file {file}',
    en: 'Next: each party’s administrator reviews and signs it: vigie protocol sign --file {file}',
  },
  'protocol.header': { fr: 'Protocole {id}, version {version}', en: 'Protocol {id}, version {version}' },
  'protocol.titleFr': { fr: 'Titre (français) : {title}', en: 'Title (French): {title}' },
  'protocol.titleEn': { fr: 'Titre (anglais) : {title}', en: 'Title (English): {title}' },
  'protocol.effective': { fr: 'En vigueur à compter du : {time}', en: 'In force from: {time}' },
  'protocol.retention': { fr: 'Conservation des renseignements : {days} jours', en: 'Retention of information: {days} days' },
  'protocol.hash': {
    fr: 'Empreinte du document : {hash} (comparez-la de vive voix avec les autres parties)',
    en: 'Document fingerprint: {hash} (compare it aloud with the other parties)',
  },
  'protocol.parties': { fr: 'Parties :', en: 'Parties:' },
  'protocol.party': { fr: '{agency} — {kind} — clé racine {fingerprint}', en: '{agency} — {kind} — root key {fingerprint}' },
  'protocol.compareFingerprints': {
    fr: 'Avant de signer, chaque partie compare de vive voix l’empreinte de sa propre clé racine avec celle qui figure ici : c’est sur elles que les appareils des autres parties chiffreront.',
    en: 'Before signing, each party compares aloud the fingerprint of its own root key with the one shown here: the other parties’ devices will encrypt to the keys these name.',
  },
  'protocol.keysUnproven': {
    fr: 'Clés racines lues au carrefour sans preuve du journal (aucune clé d’appareil dans ce dossier de clés pour lire ses entrées) : {agencies}. Comparez leurs empreintes de vive voix.',
    en: 'Root keys read from the hub without proof from the log (no device key in this keys folder to read its entries): {agencies}. Compare their fingerprints aloud.',
  },
  'error.fingerprintNotOwn': {
    fr: 'Le protocole nomme pour {agency} une clé racine ({fingerprint}) qui n’est pas la vôtre ({own}) : ne signez pas; faites corriger le projet.',
    en: 'The protocol names for {agency} a root key ({fingerprint}) that is not yours ({own}): do not sign; have the draft corrected.',
  },
  'error.fingerprintNotPinned': {
    fr: 'Le protocole nomme pour {agency} une clé racine ({fingerprint}) autre que celle que cet appareil a épinglée ({pinned}) : ne signez pas avant d’avoir vérifié auprès de {agency}.',
    en: 'The protocol names for {agency} a root key ({fingerprint}) other than the one this device pinned ({pinned}): do not sign before checking with {agency}.',
  },
  'protocol.attached': { fr: 'Signatures jointes au fichier : {agencies}', en: 'Signatures attached to the file: {agencies}' },
  'protocol.flows': { fr: 'Communications permises ({count}) :', en: 'Communications allowed ({count}):' },
  'protocol.flowHeader': { fr: '{n}. {title} [{id}]', en: '{n}. {title} [{id}]' },
  'protocol.flowRoute': { fr: 'De : {from} → À : {to}', en: 'From: {from} → To: {to}' },
  'protocol.flowTypes': { fr: 'Types de message : {types}', en: 'Message types: {types}' },
  'protocol.flowCategories': { fr: 'Catégories de renseignements : {categories}', en: 'Data categories: {categories}' },
  'protocol.flowConsent': { fr: 'Fondement : {basis} — finalités : {purposes}', en: 'Basis: {basis} — purposes: {purposes}' },
  'protocol.flowDanger': {
    fr: 'Fondement : {basis} — seulement : {categories}; destinataires : {recipients}',
    en: 'Basis: {basis} — only: {categories}; recipients: {recipients}',
  },
  'protocol.flowLegal': { fr: 'Fondement : {basis} — références : {references}', en: 'Basis: {basis} — references: {references}' },
  'protocol.flowDeadline': {
    fr: 'Prise en charge exigée dans les {delay} pour : {types}; à défaut : {escalation}',
    en: 'Acknowledgement required within {delay} for: {types}; failing that: {escalation}',
  },
  'protocol.flowNoDeadline': { fr: 'Aucun délai de prise en charge', en: 'No acknowledgement deadline' },
  'protocol.escalationStep': { fr: '{inboxes} ({delay} après l’échéance)', en: '{inboxes} ({delay} after the deadline)' },
  'protocol.escalationNow': { fr: '{inboxes} (dès l’échéance)', en: '{inboxes} (at the deadline)' },
  'protocol.noEscalation': { fr: 'aucune escalade', en: 'no escalation' },
  'protocol.renotify': { fr: 'la boîte destinataire est avisée de nouveau à chaque étape', en: 'the recipient inbox is notified again at each step' },
  'protocol.endpointKind': { fr: '{kind} ({agencies})', en: '{kind} ({agencies})' },
  'protocol.endpointInbox': { fr: 'boîte {inbox}', en: 'inbox {inbox}' },
  'protocol.minutes': { fr: '{count} min', en: '{count} min' },
  'protocol.hours': { fr: '{count} h', en: '{count} h' },
  'protocol.seconds': { fr: '{count} s', en: '{count} s' },
  'protocol.signed': {
    fr: 'Signé par {agency} avec sa clé racine; signature ajoutée à {file}.',
    en: 'Signed by {agency} with its root key; signature added to {file}.',
  },
  'protocol.signedSoFar': { fr: 'Ont signé : {signed}. Reste à signer : {missing}.', en: 'Signed: {signed}. Still to sign: {missing}.' },
  'protocol.signNextParty': {
    fr: 'Étape suivante : transmettez {file} à la prochaine partie, qui le signe à son tour.',
    en: 'Next: send {file} to the next party, who signs it in turn.',
  },
  'protocol.signNextSubmit': {
    fr: 'Toutes les parties ont signé. Étape suivante : vigie protocol submit --file {file}',
    en: 'Every party has signed. Next: vigie protocol submit --file {file}',
  },
  'protocol.submitted': { fr: 'Protocole {id}, version {version}, soumis : {status}.', en: 'Protocol {id}, version {version}, submitted: {status}.' },
  'protocol.signedBy': { fr: 'Signé par : {agencies}', en: 'Signed by: {agencies}' },
  'protocol.missing': { fr: 'Signatures manquantes : {agencies}', en: 'Missing signatures: {agencies}' },
  'protocol.versions': { fr: 'Protocole {id} — {title}', en: 'Protocol {id} — {title}' },
  'protocol.versionLine': {
    fr: 'version {version} : {status} — à compter du {time}; signée par {signed}; manque : {missing}',
    en: 'version {version}: {status} — from {time}; signed by {signed}; missing: {missing}',
  },
  'protocol.retiredOn': { fr: 'Protocole retiré le {time}.', en: 'Protocol retired at {time}.' },
  'protocol.checked': { fr: 'Version {version} ({status}), vérifiée sur cet appareil :', en: 'Version {version} ({status}), checked on this device:' },
  'protocol.sigOk': {
    fr: '✓ signature de {agency} vérifiée avec sa clé racine épinglée',
    en: '✓ signature of {agency} verified with its pinned root key',
  },
  'protocol.sigBad': {
    fr: '✗ la signature de {agency} NE SE VÉRIFIE PAS avec sa clé racine',
    en: '✗ the signature of {agency} DOES NOT VERIFY with its root key',
  },
  'protocol.sigNoKey': {
    fr: '✗ signature de {agency} invérifiable : sa clé racine n’a pas pu être établie ({reason})',
    en: '✗ signature of {agency} cannot be checked: its root key could not be established ({reason})',
  },
  'protocol.keyChanged': {
    fr: 'le carrefour sert une autre clé racine que celle épinglée sur cet appareil',
    en: 'the hub serves another root key than the one pinned on this device',
  },
  'protocol.keyNotInLog': {
    fr: 'la clé servie par le carrefour n’est pas celle que prouve le journal des divulgations',
    en: 'the key the hub serves is not the one the disclosure log proves',
  },
  'protocol.logUnverified': { fr: 'journal des divulgations non vérifiable [{code}]', en: 'disclosure log cannot be verified [{code}]' },
  'protocol.sigMissing': { fr: '… {agency} n’a pas encore signé', en: '… {agency} has not signed yet' },
  'protocol.allVerified': {
    fr: 'Chaque partie a signé cette version exacte; chaque signature est vérifiée sur cet appareil.',
    en: 'Every party signed this exact version; each signature is verified on this device.',
  },
  'protocol.sigWarning': {
    fr: 'ATTENTION : le carrefour présente la version {version} comme « {status} », mais une signature au moins ne se vérifie pas sur cet appareil. Ne communiquez pas sous cette version : prévenez les administrateurs des parties.',
    en: 'WARNING: the hub presents version {version} as "{status}", but at least one signature does not verify on this device. Do not communicate under this version: tell the parties’ administrators.',
  },
  'protocol.hashMismatch': {
    fr: 'ATTENTION : l’empreinte annoncée par le carrefour ({announced}) n’est pas celle du document reçu ({computed}).',
    en: 'WARNING: the fingerprint the hub announces ({announced}) is not that of the document received ({computed}).',
  },
  'protocol.retired': {
    fr: 'Protocole {id} retiré par {agency} le {time} : aucune de ses versions ne permet plus de nouvelle communication.',
    en: 'Protocol {id} retired by {agency} at {time}: none of its versions allows a new communication any more.',
  },

  'consent.recorded': { fr: 'Consentement {id} inscrit pour le dossier {case} ({state}).', en: 'Consent {id} recorded for case {case} ({state}).' },
  'consent.recipients': { fr: 'Organismes destinataires : {agencies}', en: 'Recipient agencies: {agencies}' },
  'consent.purposes': { fr: 'Finalités : {purposes}', en: 'Purposes: {purposes}' },
  'consent.categories': { fr: 'Catégories de renseignements : {categories}', en: 'Data categories: {categories}' },
  'consent.validity': { fr: 'Valide du {from} au {until}', en: 'Valid from {from} to {until}' },
  'consent.validityOpen': { fr: 'Valide à compter du {from}, sans date de fin (jusqu’à révocation)', en: 'Valid from {from}, with no end date (until revoked)' },
  'consent.evidence': {
    fr: 'Empreinte SHA-256 de la preuve : {hash}. Le fichier {file} reste sur cet appareil; seule son empreinte a été transmise.',
    en: 'SHA-256 fingerprint of the evidence: {hash}. The file {file} stays on this device; only its fingerprint was sent.',
  },
  'consent.revoked': {
    fr: 'Consentement {id} (dossier {case}) révoqué le {time} : toute nouvelle communication fondée sur lui est refusée.',
    en: 'Consent {id} (case {case}) revoked at {time}: every new communication based on it is refused.',
  },
  'consent.line': { fr: '{id}  dossier {case}  {state}', en: '{id}  case {case}  {state}' },
  'consent.revokedOn': { fr: 'Révoqué le {time}', en: 'Revoked at {time}' },
  'consent.count': { fr: '{count} consentement(s).', en: '{count} consent(s).' },
  'send.under': { fr: 'Protocole {protocol}; fondement : {basis}.', en: 'Protocol {protocol}; basis: {basis}.' },
  'send.assessment': {
    fr: 'Évaluation du risque jointe : {instrument} v{version}, niveau {level} (signé dans l’en-tête; les réponses voyagent chiffrées).',
    en: 'Risk assessment attached: {instrument} v{version}, level {level} (signed in the header; the answers travel encrypted).',
  },

  'witness.keyCreated': {
    fr: 'Clé du témoin « {name} » créée et chiffrée sous votre phrase de passe : {file}',
    en: 'Witness key "{name}" created and encrypted under your passphrase: {file}',
  },
  'witness.keyNext': {
    fr: 'Remettez cette vkey (aussi dans witness.vkey) à l’exploitant du carrefour, puis lancez « vigie witness serve --log <origine>=<vkey du journal> ». Elle ne contient aucune clé privée.',
    en: 'Give this vkey (also in witness.vkey) to the hub operator, then run "vigie witness serve --log <origin>=<log vkey>". It contains no private key.',
  },
  'witness.listening': {
    fr: 'Témoin à l’écoute sur {url}/add-checkpoint (état : {state}). Ctrl-C pour arrêter.',
    en: 'Witness listening on {url}/add-checkpoint (state: {state}). Ctrl-C to stop.',
  },
  'witness.trusts': {
    fr: 'Journal suivi : {origin} ({count} clé(s) de journal reconnue(s))',
    en: 'Log witnessed: {origin} ({count} log key(s) trusted)',
  },
  'witness.stopped': { fr: 'Témoin arrêté; son état est conservé.', en: 'Witness stopped; its state is kept.' },

  'audit.header': { fr: 'Journal des divulgations {origin} ({hub})', en: 'Disclosure log {origin} ({hub})' },
  'audit.size': { fr: 'Taille : {size} entrées', en: 'Size: {size} entries' },
  'audit.root': { fr: 'Racine : {root}', en: 'Root: {root}' },
  'audit.cosignatures': { fr: 'Cosignatures de témoins reconnus : {count} (exigées : {quorum})', en: 'Cosignatures by trusted witnesses: {count} (required: {quorum})' },
  'audit.noWitnesses': {
    fr: 'Témoins : aucun indiqué (--witness); sans témoin, rien ne montre que d’autres voient le même historique',
    en: 'Witnesses: none given (--witness); without witnesses, nothing shows that others see the same history',
  },
  'audit.entriesChecked': {
    fr: 'Entrées recalculées jusqu’à la racine signée : {checked} sur {size}',
    en: 'Entries re-hashed up to the signed root: {checked} of {size}',
  },
  'audit.entriesNotChecked': {
    fr: 'Entrées : non recalculées (--quick; sans lui, chacune est téléchargée et recalculée)',
    en: 'Entries: not re-hashed (--quick; without it, each one is downloaded and re-hashed)',
  },
  'audit.consistency': {
    fr: 'Cohérence : comparé au point de contrôle vérifié le {time} (taille {size})',
    en: 'Consistency: compared with the checkpoint verified at {time} (size {size})',
  },
  'audit.firstAudit': {
    fr: 'Cohérence : premier audit de ce journal avec cet état; ce point de contrôle servira de référence',
    en: 'Consistency: first audit of this log with this state; this checkpoint becomes the reference',
  },
  'audit.problem': { fr: 'PROBLÈME {code} : {explanation}', en: 'PROBLEM {code}: {explanation}' },
  'audit.problem.CHECKPOINT_SIGNATURE_INVALID': {
    fr: 'le point de contrôle n’est pas signé par la clé du journal reconnue : le carrefour a changé de clé, ou quelqu’un se fait passer pour lui.',
    en: 'the checkpoint is not signed by the trusted log key: the hub changed keys, or someone is impersonating it.',
  },
  'audit.problem.CHECKPOINT_ORIGIN_MISMATCH': {
    fr: 'le point de contrôle est celui d’un autre journal que celui de la clé reconnue.',
    en: 'the checkpoint belongs to another log than the trusted key’s.',
  },
  'audit.problem.QUORUM_NOT_MET': {
    fr: 'trop peu de témoins reconnus ont cosigné ce point de contrôle : rien ne garantit que d’autres voient le même historique.',
    en: 'too few trusted witnesses cosigned this checkpoint: nothing shows that others see the same history.',
  },
  'audit.problem.LOG_SHRANK': {
    fr: 'le journal compte moins d’entrées qu’à la dernière vérification : des entrées ont été effacées.',
    en: 'the log has fewer entries than at the last verification: entries were erased.',
  },
  'audit.problem.LOG_FORKED': {
    fr: 'le journal ne prolonge pas le dernier point de contrôle vérifié : son historique a été réécrit, ou le carrefour ne fournit pas la preuve de cohérence.',
    en: 'the log does not extend the last verified checkpoint: its history was rewritten, or the hub does not provide the consistency proof.',
  },
  'audit.problem.ENTRIES_MISSING': {
    fr: 'le carrefour ne fournit pas toutes les entrées couvertes par le point de contrôle signé : des entrées ont été supprimées ou sont retenues.',
    en: 'the hub does not serve every entry the signed checkpoint covers: entries were deleted or are withheld.',
  },
  'audit.problem.ROOT_MISMATCH': {
    fr: 'les entrées fournies par le carrefour ne redonnent pas la racine signée : au moins une entrée a été modifiée après avoir été journalisée.',
    en: 'the entries the hub serves do not hash to the signed root: at least one entry was altered after it was logged.',
  },
  'audit.problem.KEY_REGISTERED_TWICE': {
    fr: 'une deuxième clé racine (ou un deuxième appareil sous le même identifiant) a été inscrite pour un organisme déjà inscrit : quelqu’un a pu substituer sa clé à celle de l’organisme.',
    en: 'a second root key (or a second device under the same id) was registered for an agency already registered: someone may have substituted their key for the agency’s.',
  },
  'audit.problem.INBOX_KEY_UNEXPLAINED': {
    fr: 'une clé de boîte de réception ne s’explique par aucune rotation journalisée : quelqu’un a pu substituer sa clé à celle du destinataire.',
    en: 'an inbox key is explained by no logged rotation: someone may have substituted their key for the recipient’s.',
  },
  'audit.problem.KEY_NOT_IN_LOG': {
    fr: 'le carrefour sert pour un organisme une clé racine que le journal n’a jamais inscrite : la base de données a été modifiée hors du journal.',
    en: 'the hub serves for an agency a root key the log never recorded: the database was changed behind the log’s back.',
  },
  'audit.problem.RECORD_MISMATCH': {
    fr: 'un événement de l’annuaire des clés ne correspond pas à l’empreinte que le journal en garde, ou à ce qu’il dit viser : il a été modifié ou maquillé.',
    en: 'a key-directory event does not match the commitment the log keeps of it, or what it claims to be about: it was altered or disguised.',
  },
  'audit.problem.REVOCATION_NOT_ROTATED': {
    fr: 'un appareil a été révoqué sans que la clé d’une boîte de réception qu’il lisait soit remplacée : il pourrait lire ce qui y est envoyé ensuite.',
    en: 'a device was revoked without the key of an inbox it read being replaced: it could read what is sent there next.',
  },
  'audit.problem.KEY_SEALED_TO_REVOKED': {
    fr: 'une nouvelle clé de boîte de réception a été remise à un appareil déjà révoqué.',
    en: 'a new inbox key was handed to a device already revoked.',
  },
  'audit.alarm': { fr: 'ALERTE {code} — {subject}{where} : {explanation}', en: 'ALARM {code} — {subject}{where}: {explanation}' },
  'audit.alarmWhere': { fr: ' (entrée {index})', en: ' (entry {index})' },
  'audit.keyEvents': { fr: 'Annuaire des clés : {count} événements vérifiés', en: 'Key directory: {count} events checked' },
  'audit.keyEventsSkipped': {
    fr: 'Annuaire des clés : non vérifié (aucune clé d’appareil dans ce dossier de clés pour lire les enregistrements)',
    en: 'Key directory: not checked (no device key in this keys folder to read the records with)',
  },
  'audit.watching': {
    fr: 'Surveillance du journal de {hub} toutes les {seconds} s (Ctrl+C pour arrêter)…',
    en: 'Watching the log of {hub} every {seconds} s (Ctrl+C to stop)…',
  },
  'audit.watchUnreachable': { fr: '{hub} ne répond pas ({count} fois de suite); nouvel essai au prochain tour.', en: '{hub} does not answer ({count} times in a row); trying again next round.' },
  'audit.alarmUnreachable': {
    fr: 'ALERTE HUB_UNREACHABLE — {hub} : aucune réponse {rounds} tours de suite; le journal n’est plus surveillé tant qu’il ne répond pas.',
    en: 'ALARM HUB_UNREACHABLE — {hub}: no answer {rounds} rounds in a row; the log is not watched until it answers.',
  },
  'audit.watchRound': { fr: '{time} — taille {size}, {count} nouvelle(s) alerte(s)', en: '{time} — size {size}, {count} new alarm(s)' },
  'audit.trustQuorum': {
    fr: 'Journal de {hub} : {quorum} cosignature(s) exigée(s) parmi {count} témoin(s) ({file}) :',
    en: 'Log of {hub}: {quorum} cosignature(s) required among {count} witness(es) ({file}):',
  },
  'audit.trustNone': {
    fr: 'Journal de {hub} : aucun témoin exigé ({file}). Sans témoin, rien ne montre que d’autres voient le même historique; fixez-en avec --witness et --quorum.',
    en: 'Log of {hub}: no witness required ({file}). Without witnesses nothing shows that others see the same history; set some with --witness and --quorum.',
  },
  'reconcile.header': { fr: 'Rapprochement des tables et du journal : {leaves} entrées, point de contrôle signé de taille {size}', en: 'Reconciling the tables with the log: {leaves} entries, signed checkpoint of size {size}' },
  'reconcile.finding': { fr: 'ÉCART {code} — {subject} : {explanation}', en: 'DISCREPANCY {code} — {subject}: {explanation}' },
  'reconcile.LOG_REWRITTEN': {
    fr: 'le journal de la base ne prolonge pas le point de contrôle que vous aviez vérifié : il a été raccourci ou reconstruit',
    en: 'the log in the database does not extend the checkpoint you verified before: it was shortened or rebuilt',
  },
  'reconcile.CHECKPOINT_UNWITNESSED': {
    fr: 'le dernier point de contrôle n’a pas le quorum de témoins que cet appareil exige (« vigie audit trust ») : rien ne montre que d’autres voient le même journal',
    en: 'the newest checkpoint lacks the witness quorum this device requires (“vigie audit trust”): nothing shows that others see the same log',
  },
  'reconcile.ok': { fr: 'OK : les tables concordent avec le journal.', en: 'OK: the tables agree with the log.' },
  'reconcile.failed': {
    fr: 'ÉCHEC : {count} écart(s) entre les tables et le journal. Conservez cette sortie et prévenez l’organisme de surveillance.',
    en: 'FAILED: {count} discrepancy(ies) between the tables and the log. Keep this output and tell the oversight body.',
  },
  'reconcile.LOG_EDITED': { fr: 'le journal stocké ne redonne pas le dernier point de contrôle signé : une entrée a été modifiée, supprimée ou insérée', en: 'the stored log does not reproduce the newest signed checkpoint: an entry was edited, deleted or inserted' },
  'reconcile.RECORD_MISMATCH': { fr: 'un enregistrement ne correspond plus à l’empreinte que le journal en garde', en: 'a record no longer matches the commitment the log keeps of it' },
  'reconcile.RECORD_MISSING': { fr: 'une entrée du journal n’a plus d’enregistrement', en: 'a log entry has lost its record' },
  'reconcile.CONSENT_UNREVOKED': { fr: 'consentement retiré au journal, mais en vigueur dans la table', en: 'consent withdrawn in the log, but in force in the table' },
  'reconcile.CONSENT_UNRECORDED': { fr: 'consentement inscrit au journal, absent de la table', en: 'consent in the log, missing from the table' },
  'reconcile.ACK_UNRECORDED': { fr: 'prise en charge dans la table sans accusé signé ou sans entrée au journal', en: 'acknowledgement in the table without a signed receipt or a log entry' },
  'reconcile.DELIVERY_UNRECORDED': { fr: 'réception dans la table sans accusé signé ou sans entrée au journal', en: 'delivery in the table without a signed receipt or a log entry' },
  'reconcile.MESSAGE_UNRECORDED': { fr: 'message stocké qui n’a jamais été accepté au journal', en: 'a stored message never accepted in the log' },
  'reconcile.MESSAGE_ALTERED': { fr: 'l’en-tête stocké n’est pas celui dont l’acceptation est au journal', en: 'the stored header is not the one whose acceptance is in the log' },
  'reconcile.MEMBER_UNREVOKED': { fr: 'appareil révoqué au journal, actif dans la table', en: 'device revoked in the log, active in the table' },
  'reconcile.PROTOCOL_UNRETIRED': { fr: 'protocole retiré au journal, pas dans la table', en: 'protocol retired in the log, not in the table' },
  'audit.ok': {
    fr: 'OK : journal conforme. Point de contrôle de référence enregistré dans {file}.',
    en: 'OK: the log checks out. Reference checkpoint saved in {file}.',
  },
  'audit.failed': {
    fr: 'ÉCHEC : {count} problème(s) détecté(s). Le point de contrôle de référence n’est pas mis à jour. Conservez cette sortie et prévenez l’exploitant du carrefour et l’organisme de surveillance.',
    en: 'FAILED: {count} problem(s) found. The reference checkpoint is not updated. Keep this output and tell the hub operator and the oversight body.',
  },
  'audit.progress': { fr: '{done} / {total} entrées vérifiées ({percent} %)', en: '{done} / {total} entries verified ({percent}%)' },
  'audit.pinned': {
    fr: 'Clé du journal épinglée (première utilisation) dans {file} : {key}\nComparez-la avec celle que l’exploitant du carrefour publie par un autre canal; seule cette clé sera désormais reconnue pour ce carrefour.',
    en: 'Log key pinned (first use) in {file}: {key}\nCompare it with the one the hub operator publishes through another channel; only this key will be trusted for this hub from now on.',
  },
  'audit.notPinned': {
    fr: 'La clé publiée par le carrefour ({key}) n’a pas été épinglée : le journal n’a pas passé la vérification.',
    en: 'The key the hub publishes ({key}) was not pinned: the log failed verification.',
  },
  'audit.keyDiffersFromPinned': {
    fr: 'Attention : --log-key diffère de la clé épinglée ({pinned}). Elle sert pour cette vérification seulement; la clé épinglée reste dans {file}.',
    en: 'Warning: --log-key differs from the pinned key ({pinned}). It is used for this check only; the pinned key stays in {file}.',
  },
  'audit.hubKeyChanged': {
    fr: 'Le carrefour publie maintenant une autre clé de journal : {key}. Une rotation légitime s’annonce par un autre canal : confirmez-la avant de l’accepter (--log-key, puis supprimez {file} pour l’épingler).',
    en: 'The hub now publishes another log key: {key}. A legitimate rotation is announced through another channel: confirm it before accepting it (--log-key, then delete {file} to pin it).',
  },
  'audit.proofSaved': {
    fr: 'Preuve d’acceptation du message {id} (entrée {index}) enregistrée dans {file}.',
    en: 'Acceptance proof of message {id} (entry {index}) saved in {file}.',
  },
  'audit.proofNext': {
    fr: 'Vérifiable hors ligne, par vous ou par un tiers : vigie audit prove {file}',
    en: 'Verifiable offline, by you or a third party: vigie audit prove {file}',
  },
  'audit.leafHeader': { fr: 'Message {id}, journalisé par le carrefour :', en: 'Message {id}, logged by the hub:' },
  'audit.leafType': { fr: 'Type : {type}', en: 'Type: {type}' },
  'audit.leafSender': { fr: 'Organisme émetteur : {agency} ({inbox})', en: 'Sender agency: {agency} ({inbox})' },
  'audit.leafRecipients': { fr: 'Destinataires : {recipients}', en: 'Recipients: {recipients}' },
  'audit.leafLegalBasis': { fr: 'Fondement juridique : {basis}', en: 'Legal basis: {basis}' },
  'audit.leafTime': { fr: 'Accepté par le carrefour le : {time}', en: 'Accepted by the hub at: {time}' },
  'audit.leafPosition': { fr: 'Entrée {index} d’un journal de {size} entrées ({origin})', en: 'Entry {index} of a {size}-entry log ({origin})' },
  'audit.noLegalBasis': { fr: 'aucun indiqué', en: 'none given' },
  'audit.proveOk': {
    fr: 'OK : cette preuve établit que le carrefour a journalisé l’acceptation de ce message dans le journal signé par {key}. Vérifié hors ligne.',
    en: 'OK: this acceptance proof shows the hub logged its acceptance of this message in the log signed by {key}. Verified offline.',
  },
  'audit.proveFailed': { fr: 'PREUVE NON VALIDE ({file}) : {reason}', en: 'PROOF NOT VALID ({file}): {reason}' },
  'audit.reason.signature': {
    fr: 'son point de contrôle n’est pas signé par la clé du journal reconnue.',
    en: 'its checkpoint is not signed by the trusted log key.',
  },
  'audit.reason.origin': { fr: 'son point de contrôle est celui d’un autre journal.', en: 'its checkpoint belongs to another log.' },
  'audit.reason.quorum': {
    fr: '{count} cosignature(s) de témoins reconnus sur {quorum} exigée(s).',
    en: '{count} cosignature(s) by trusted witnesses of {quorum} required.',
  },
  'audit.reason.notIncluded': {
    fr: 'l’entrée ne figure pas à cette position du journal signé : la preuve a été modifiée.',
    en: 'the entry is not at that position of the signed log: the proof was altered.',
  },
  'audit.reason.recordMismatch': {
    fr: 'ce que dit la preuve ne correspond pas à l’empreinte journalisée : elle a été modifiée.',
    en: 'what the proof says does not match the logged commitment: it was altered.',
  },
  'audit.reason.otherMessage': { fr: 'l’entrée prouvée concerne un autre message.', en: 'the proven entry is about another message.' },
  'audit.reason.notAcceptance': {
    fr: 'l’entrée prouvée n’est pas l’acceptation du message par le carrefour.',
    en: 'the proven entry is not the hub’s acceptance of the message.',
  },
  'audit.reason.malformed': { fr: 'preuve ou entrée mal formée.', en: 'malformed proof or entry.' },
  'audit.reason.other': { fr: 'vérification refusée ({reason}).', en: 'check failed ({reason}).' },
  // The register's text view (clients/cli/register-view.ts); its events are named by REGISTER_EVENT_LABELS.
  'audit.event.other': { fr: 'événement « {event} »', en: 'event "{event}"' },
  'audit.eventMeaning.unacknowledged': {
    fr: 'personne à {recipient} ne l’a prise en charge dans le délai du protocole; l’expéditeur en est avisé',
    en: 'nobody at {recipient} acknowledged it within the protocol’s deadline; the sender is told',
  },
  'audit.eventMeaning.escalated': {
    fr: 'toujours sans prise en charge à {recipient} : l’étape suivante de la chaîne d’escalade du protocole est avisée',
    en: 'still not acknowledged at {recipient}: the next step of the protocol’s escalation chain is notified',
  },
  'audit.eventMeaning.exhausted': {
    fr: 'personne à {recipient} ne l’a prise en charge avant la fin de la chaîne d’escalade',
    en: 'nobody at {recipient} acknowledged it before the escalation chain ran out',
  },
  'audit.eventMeaning.erased': {
    fr: 'le contenu chiffré est effacé; l’entrée du journal prouve toujours que la communication a eu lieu',
    en: 'the encrypted content is erased; the log entry still proves that the disclosure took place',
  },
  'audit.rowDeclaredRoute': {
    fr: '{sender} → {recipients} (nommés par l’expéditeur; rien ne leur a été communiqué)',
    en: '{sender} → {recipients} (named by the sender; nothing was disclosed to them)',
  },
  'audit.rowLegalBasis': { fr: 'fondement : {basis}', en: 'basis: {basis}' },
  'audit.rowDangerReason': { fr: 'motif : {reason}', en: 'reason: {reason}' },
  'audit.rowPurpose': { fr: 'finalité : {purpose}', en: 'purpose: {purpose}' },
  'audit.rowConsent': { fr: 'consentement {consent}', en: 'consent {consent}' },
  'audit.rowReference': { fr: 'référence : {reference}', en: 'reference: {reference}' },
  'audit.flag.withoutConsent': { fr: 'SANS CONSENTEMENT', en: 'WITHOUT CONSENT' },
  'audit.flag.followUp': { fr: 'SUIVI ÉCRIT REQUIS', en: 'WRITTEN FOLLOW-UP REQUIRED' },
  'audit.rowCategories': { fr: 'catégories : {categories}', en: 'categories: {categories}' },
  'audit.rowReason': { fr: 'motif du refus : {reason}', en: 'refusal reason: {reason}' },
  'audit.rowCode': { fr: 'code : {code}', en: 'code: {code}' },
  'audit.rowProtocol': { fr: 'protocole : {protocol}', en: 'protocol: {protocol}' },
  'audit.registerCount': {
    fr: '{count} communication(s). Cette consultation est elle-même inscrite au journal.',
    en: '{count} communication(s). This read is itself recorded in the log.',
  },
  'audit.registerWritten': {
    fr: '{count} communication(s) écrite(s) dans {file}. Cette consultation est elle-même inscrite au journal.',
    en: '{count} communication(s) written to {file}. This read is itself recorded in the log.',
  },

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
  'error.invitationOtherAgency': {
    fr: 'cette invitation est celle de l’organisme {agency}, pas de {own}.',
    en: 'this invitation belongs to agency {agency}, not {own}.',
  },
  'error.invitationNotAnswered': {
    fr: 'rien à approuver : l’invitation est « {state} ». Seul un appareil qui a répondu avec le code s’approuve.',
    en: 'nothing to approve: the invitation is "{state}". Only a device that answered with the code can be approved.',
  },
  'error.fingerprintDiffers': {
    fr: 'l’empreinte donnée ({given}) n’est pas celle de l’appareil qui a répondu ({shown}) : n’approuvez pas. Un autre appareil a pu répondre à la place de la personne; invitez-la de nouveau.',
    en: 'the fingerprint given ({given}) is not that of the device that answered ({shown}): do not approve. Another device may have answered in the person’s place; invite them again.',
  },
  'error.fingerprintRequired': {
    fr: 'comparez l’empreinte avec la personne, puis relancez avec --fingerprint "<l’empreinte qu’elle lit>" (ou dans un terminal).',
    en: 'compare the fingerprint with the person, then run again with --fingerprint "<the fingerprint they read>" (or in a terminal).',
  },
  'error.linkOtherHub': {
    fr: 'ce lien est celui du carrefour {link}, et cette commande s’adresse à {hub} : retirez --hub (ou VIGIE_HUB), ou utilisez le bon lien.',
    en: 'this link is for hub {link}, and this command talks to {hub}: drop --hub (or VIGIE_HUB), or use the right link.',
  },
  'error.invitationNotWaiting': {
    fr: 'cette invitation n’attend plus de réponse : elle est « {state} ». Demandez-en une nouvelle à votre administrateur.',
    en: 'this invitation no longer awaits an answer: it is "{state}". Ask your administrator for a new one.',
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
    en: 'ALARM: an agency’s root key differs from the one this device already knows. Nothing was sent or accepted. Tell your administrator. ({detail})',
  },
  'error.rootKeyMismatch': {
    fr: 'ALERTE : le carrefour sert pour un organisme une clé racine autre que celle que nomme le protocole signé par votre organisme. Rien n’a été chiffré pour elle ni envoyé. Prévenez votre administrateur : quelqu’un a pu substituer sa clé. ({detail})',
    en: 'ALARM: the hub serves for an agency a root key other than the one the protocol your agency signed names. Nothing was encrypted to it or sent. Tell your administrator: someone may have substituted their key. ({detail})',
  },
  'error.rootNotAnchored': {
    fr: 'Ce destinataire n’est pas partie au protocole invoqué : rien n’a été envoyé. ({detail})',
    en: 'This recipient is not a party to the protocol invoked: nothing was sent. ({detail})',
  },
  'error.protocolNotEndorsed': {
    fr: 'Ce protocole ne porte pas la signature de la clé racine de votre organisme : cet appareil ne s’y fie pas. Rien n’a été envoyé. ({detail})',
    en: 'This protocol does not carry your agency’s root key signature: this device does not rely on it. Nothing was sent. ({detail})',
  },
  'error.protocolRequired': {
    fr: 'Nommez le protocole de l’envoi (--protocol) : les clés des destinataires sont vérifiées à partir de lui. ({detail})',
    en: 'Name the protocol of the message (--protocol): the recipients’ keys are checked against it. ({detail})',
  },
  'error.keyNotInLog': {
    fr: 'ALERTE : une clé servie par le carrefour ne figure pas au journal des divulgations. Rien n’a été envoyé ni accepté. ({detail})',
    en: 'ALARM: a key the hub serves is not in the disclosure log. Nothing was sent or accepted. ({detail})',
  },
  'error.keyRolledBack': {
    fr: 'ALERTE : le carrefour sert pour une boîte de réception une clé que le journal montre remplacée (un appareil retiré pourrait la lire). Rien n’a été chiffré pour elle ni envoyé. Prévenez votre administrateur. ({detail})',
    en: 'ALARM: the hub serves for an inbox a key the log shows was replaced (a removed device could read it). Nothing was encrypted to it or sent. Tell your administrator. ({detail})',
  },
  'error.invitationNotSigned': {
    fr: 'ALERTE : le carrefour présente une invitation que la clé racine de l’organisme n’a pas signée (sa base de données a été modifiée). Rien n’a été approuvé. Prévenez l’exploitant du carrefour.',
    en: 'ALARM: the hub presents an invitation the agency’s root key did not sign (its database was changed). Nothing was approved. Tell the hub’s operator.',
  },
  'error.invitationNoDevice': { fr: 'Personne n’a encore répondu à cette invitation.', en: 'No one has answered this invitation yet.' },
  'error.invitationFingerprint': {
    fr: 'L’empreinte de l’appareil n’est pas celle qui a été comparée : rien n’a été approuvé.',
    en: 'The device’s fingerprint is not the one that was compared: nothing was approved.',
  },
  'error.logUnverified': {
    fr: 'Le journal des divulgations ne passe pas les vérifications de cet appareil ({code}) : rien n’a été envoyé ni accepté. ({detail})',
    en: 'The disclosure log fails this device’s checks ({code}): nothing was sent or accepted. ({detail})',
  },
  'error.databaseUnreachable': { fr: 'Base de données injoignable : {url}', en: 'Database unreachable: {url}' },
  'usage.badDatabaseUrl': {
    fr: 'adresse de base de données invalide : --database (ou VIGIE_AUDIT_DATABASE_URL) attend postgres://…',
    en: 'invalid database address: --database (or VIGIE_AUDIT_DATABASE_URL) expects postgres://…',
  },
  'error.reconcileNeedsLogKey': {
    fr: 'Aucune clé de journal épinglée pour ce carrefour : lancez d’abord « vigie audit verify », ou donnez --log-key.',
    en: 'No log key pinned for this hub: run “vigie audit verify” first, or give --log-key.',
  },
  'error.certificateInvalid': {
    fr: 'un certificat n’est pas signé par la clé racine de son organisme ({detail}).',
    en: 'a certificate is not signed by its agency’s root key ({detail}).',
  },
  'error.senderRevoked': { fr: 'l’appareil signataire a été révoqué ({detail}).', en: 'the signing device has been revoked ({detail}).' },
  'error.protocol': { fr: 'vérification cryptographique impossible [{code}].', en: 'cryptographic check failed [{code}].' },
  'error.wireMismatch': {
    fr: 'le carrefour a répondu à {route} autrement que ne le prévoit le protocole de Vigie [{code}] : rien n’a été accepté de cette réponse. Vérifiez --hub, et que le carrefour et cette commande sont de la même version.',
    en: 'the hub answered {route} otherwise than Vigie’s protocol allows [{code}]: nothing of that answer was accepted. Check --hub, and that the hub and this command are the same version.',
  },
  'error.unexpected': {
    fr: 'erreur inattendue : {message} (VIGIE_DEBUG=1 pour les détails)',
    en: 'unexpected error: {message} (VIGIE_DEBUG=1 for details)',
  },
  'error.witnessStateLocked': {
    fr: 'l’état du témoin {file} est déjà utilisé par un autre processus (un seul témoin par fichier d’état).',
    en: 'the witness state {file} is already in use by another process (one witness per state file).',
  },
  'error.witnessStateDamaged': {
    fr: 'l’état du témoin {file} est illisible. Il n’est jamais remplacé automatiquement : le repartir de zéro ferait accepter n’importe quel historique. Restaurez-le d’une sauvegarde.',
    en: 'the witness state {file} cannot be read. It is never replaced automatically: starting over would accept any history. Restore it from a backup.',
  },
  'error.listen': { fr: 'impossible d’écouter sur {address} ({reason}).', en: 'cannot listen on {address} ({reason}).' },
  'error.logFileDamaged': {
    fr: '{file} est illisible. Il n’est jamais remplacé automatiquement : repartir de zéro ferait accepter n’importe quelle clé ou n’importe quel historique. Restaurez-le d’une sauvegarde.',
    en: '{file} cannot be read. It is never replaced automatically: starting over would accept any key or any history. Restore it from a backup.',
  },
  'error.badHubLogKey': {
    fr: 'le carrefour {hub} ne publie pas de clé de journal valide (GET /v1/log/key).',
    en: 'the hub {hub} publishes no valid log key (GET /v1/log/key).',
  },
  'error.noPinnedLogKey': {
    fr: 'aucune clé épinglée pour le journal {origin} dans {file} : lancez d’abord « vigie audit verify » sur son carrefour, ou donnez --log-key.',
    en: 'no key pinned for log {origin} in {file}: run "vigie audit verify" against its hub first, or give --log-key.',
  },
  'error.badProofAnswer': {
    fr: 'le carrefour a répondu autre chose qu’une preuve d’acceptation pour le message {id}.',
    en: 'the hub answered something other than an acceptance proof for message {id}.',
  },
  'error.badProofFile': {
    fr: '{file} n’est pas une preuve d’acceptation (sortie de « vigie audit proof »).',
    en: '{file} is not an acceptance proof (output of "vigie audit proof").',
  },
  'error.badRegisterAnswer': { fr: 'le carrefour a répondu autre chose qu’un registre.', en: 'the hub answered something other than a register.' },
  'error.fileUnwritable': { fr: 'impossible d’écrire {file}.', en: 'cannot write {file}.' },
  'error.fileExists': {
    fr: '{file} existe déjà; choisissez un autre nom (un projet n’en remplace jamais un autre).',
    en: '{file} already exists; choose another name (a draft never replaces another file).',
  },
  'error.draftUnbound': {
    fr: 'le modèle nomme des rôles sans organisme : {roles}. Ajoutez --party <rôle>=<organisme> pour chacun.',
    en: 'the template names roles without an agency: {roles}. Add --party <role>=<agency-id> for each.',
  },
  'error.draftInvalid': {
    fr: 'le projet de protocole n’est pas valide; rien n’a été écrit :\n{problems}',
    en: 'the protocol draft is not valid; nothing was written:\n{problems}',
  },
  'error.notAProtocolFile': {
    fr: '{file} n’est pas un protocole à signer (un document et ses signatures, tel que l’écrit « vigie protocol draft »).',
    en: '{file} is not a protocol to sign (a document and its signatures, as "vigie protocol draft" writes it).',
  },
  'error.protocolIncoherent': {
    fr: 'le protocole de {file} est incohérent; il ne sera pas signé :\n{problems}',
    en: 'the protocol in {file} is incoherent; it will not be signed:\n{problems}',
  },
  'error.notAParty': {
    fr: 'l’organisme {agency} n’est pas partie à ce protocole (parties : {parties}) : sa clé racine ne le signera pas.',
    en: 'agency {agency} is not a party to this protocol (parties: {parties}): its root key will not sign it.',
  },
  'error.confirmationRequired': {
    fr: 'confirmation requise : relisez le résumé ci-dessus, puis relancez avec --yes (ou dans un terminal).',
    en: 'confirmation required: review the summary above, then run again with --yes (or in a terminal).',
  },
  'error.cancelled': { fr: 'abandon : rien n’a été signé ni envoyé.', en: 'cancelled: nothing was signed or sent.' },
  'error.notAttested': {
    fr: 'condition non attestée : {condition}. Sans les quatre conditions, le danger appréhendé ne permet pas de communiquer sans consentement; rien n’a été envoyé.',
    en: 'condition not attested: {condition}. Without all four conditions, apprehended danger does not allow a communication without consent; nothing was sent.',
  },
  'error.protocolVersionUnknown': {
    fr: 'le protocole {id} n’a pas de version {version} (versions : {versions}).',
    en: 'protocol {id} has no version {version} (versions: {versions}).',
  },
  'error.hubDetails': { fr: 'Précisions du carrefour : {details}', en: 'Hub details: {details}' },
  'error.assessIncomplete': {
    fr: 'les réponses se sont arrêtées à la question {n} sur {total} : rien n’a été écrit.',
    en: 'the answers stopped at question {n} of {total}: nothing was written.',
  },
  'error.overrideIncomplete': {
    fr: 'un niveau retenu par jugement professionnel demande un niveau et un motif : rien n’a été écrit.',
    en: 'a level set on professional judgement needs a level and a reason: nothing was written.',
  },
  'error.assessmentNotScored': { fr: 'l’évaluation ne peut pas être calculée : {reason}.', en: 'the assessment cannot be scored: {reason}.' },
  'error.assessmentRefused': {
    fr: 'l’évaluation {file} est refusée sur cet appareil; rien n’a été signé ni envoyé : {reason}. Remplissez-la de nouveau avec « vigie assess ».',
    en: 'the assessment {file} is refused on this device; nothing was signed or sent: {reason}. Fill it in again with "vigie assess".',
  },
  'error.notAnAssessment': {
    fr: '{file} n’est pas une évaluation du risque (un fichier écrit par « vigie assess »).',
    en: '{file} is not a risk assessment (a file written by "vigie assess").',
  },
  'error.instrumentUnknown': {
    fr: 'instrument d’évaluation inconnu sur cet appareil : {id}. Instruments disponibles : {known}.',
    en: 'assessment instrument unknown on this device: {id}. Instruments available: {known}.',
  },
  'error.instrumentInvalid': {
    fr: 'le fichier de l’instrument {id} est invalide (config/instruments) : {problems}',
    en: 'the file of instrument {id} is invalid (config/instruments): {problems}',
  },
  'error.assessFileExists': {
    fr: '{file} existe déjà; choisissez un autre nom (--out) : une évaluation n’en remplace jamais une autre.',
    en: '{file} already exists; choose another name (--out): an assessment never replaces another.',
  },

  // ── What a refusal of the hub means, and what to do (keyed by the hub's code) ──
  'refusal.HUB_REDIRECTED': {
    fr: 'Cette adresse n’est pas celle du carrefour lui-même : indiquez avec --hub ou VIGIE_HUB l’adresse vers laquelle elle renvoie (souvent la même en https://). Vigie ne suit pas une redirection, qui pourrait emporter votre jeton ailleurs.',
    en: 'This address is not the hub itself: give the address it points to with --hub or VIGIE_HUB (often the same with https://). Vigie does not follow a redirect, which could take your token elsewhere.',
  },
  'refusal.PROTOCOL_REQUIRED': {
    fr: 'Toute communication doit nommer la version du protocole signé qui la permet. Ajoutez --protocol <protocole>@<version> (voir « vigie protocol show <protocole> »).',
    en: 'Every communication must name the version of the signed protocol that allows it. Add --protocol <protocol>@<version> (see "vigie protocol show <protocol>").',
  },
  'refusal.LEGAL_BASIS_REQUIRED': {
    fr: 'Rien ne part sans fondement juridique. Ajoutez-en un : le consentement de la victime (--legal-basis consent, avec --case et --purpose), le danger appréhendé (--legal-basis apprehended_danger, avec --reason, --directive et --attest) ou une obligation légale (--legal-basis legal_obligation, avec --reference).',
    en: 'Nothing leaves without a legal basis. Add one: the victim’s consent (--legal-basis consent, with --case and --purpose), apprehended danger (--legal-basis apprehended_danger, with --reason, --directive and --attest) or a legal obligation (--legal-basis legal_obligation, with --reference).',
  },
  'refusal.PROTOCOL_NOT_ACTIVE': {
    fr: 'Cette version du protocole n’est pas en vigueur : le carrefour ne la connaît pas, une partie ne l’a pas encore signée, ou sa date d’effet n’est pas arrivée. Vérifiez avec « vigie protocol show <protocole> ». En cas de danger immédiat, composez le 911.',
    en: 'This protocol version is not in force: the hub does not know it, a party has not signed it yet, or its effective date has not come. Check with "vigie protocol show <protocol>". In immediate danger, call 911.',
  },
  'refusal.PROTOCOL_SUPERSEDED': {
    fr: 'Une version plus récente de ce protocole est en vigueur et remplace celle-ci. Renvoyez sous la version en vigueur (« vigie protocol show <protocole> »).',
    en: 'A later version of this protocol is in force and replaces this one. Send again under the version in force ("vigie protocol show <protocol>").',
  },
  'refusal.PROTOCOL_RETIRED': {
    fr: 'Une partie a retiré ce protocole : aucune de ses versions ne permet plus de communication par le carrefour. Joignez l’organisme par les voies habituelles (911 en cas de danger immédiat) et voyez avec votre administrateur quel protocole s’applique désormais.',
    en: 'A party has retired this protocol: none of its versions allows a communication through the hub any more. Reach the agency through the usual channels (911 in immediate danger) and ask your administrator which protocol now applies.',
  },
  'refusal.URGENCY_TOO_LOW': {
    fr: 'Ce type de message ne peut pas être moins urgent que le minimum convenu (une alerte de danger est toujours immédiate). Retirez --urgency ou choisissez une urgence plus élevée.',
    en: 'This message type cannot be less urgent than the agreed minimum (a danger alert is always immediate). Drop --urgency or choose a higher urgency.',
  },
  'refusal.FLOW_NOT_ALLOWED': {
    fr: 'Le protocole ne prévoit pas ce type de message de votre boîte vers ce destinataire, ou votre organisme n’y est pas partie. Vérifiez le type, le destinataire et les communications permises avec « vigie protocol show <protocole> ».',
    en: 'The protocol does not provide for this message type from your inbox to this recipient, or your agency is not a party to it. Check the type, the recipient and the communications allowed with "vigie protocol show <protocol>".',
  },
  'refusal.LEGAL_BASIS_NOT_ALLOWED': {
    fr: 'Le protocole ne prévoit pas ce fondement juridique pour cette communication. Choisissez un fondement que le protocole permet pour ce type de message et ce destinataire.',
    en: 'The protocol does not provide for this legal basis for this communication. Choose a basis the protocol allows for this message type and recipient.',
  },
  'refusal.CATEGORY_NOT_ALLOWED': {
    fr: 'Une catégorie de renseignements déclarée (--category) n’est pas permise pour cette communication; sans consentement, seules les catégories minimales prévues au protocole peuvent être communiquées. Retirez-la, et retirez-la aussi du contenu.',
    en: 'A declared data category (--category) is not allowed for this communication; without consent, only the minimum categories the protocol lists may be disclosed. Remove it, and remove it from the content too.',
  },
  'refusal.RECIPIENT_NOT_ALLOWED': {
    fr: 'Sans consentement, seuls les destinataires en mesure de porter secours désignés au protocole peuvent être informés. Retirez ce destinataire, ou obtenez le consentement de la victime.',
    en: 'Without consent, only the recipients the protocol lists as able to help may be told. Remove this recipient, or obtain the victim’s consent.',
  },
  'refusal.PURPOSE_NOT_ALLOWED': {
    fr: 'La finalité déclarée (--purpose) n’est pas prévue au protocole pour cette communication. Choisissez une finalité que le protocole permet.',
    en: 'The declared purpose (--purpose) is not provided for by the protocol for this communication. Choose a purpose the protocol allows.',
  },
  'refusal.ATTESTATION_MISSING': {
    fr: 'Le danger appréhendé ne permet de communiquer sans consentement que si les quatre conditions sont attestées (motif raisonnable de croire, risque sérieux de mort ou de blessures graves, personne identifiable, urgence), avec le code du motif (--reason) et la référence de votre directive interne (--directive).',
    en: 'Apprehended danger allows a communication without consent only when all four conditions are attested (reasonable cause to believe, serious risk of death or serious bodily injury, identifiable person, urgency), with the reason code (--reason) and your internal directive reference (--directive).',
  },
  'refusal.LEGAL_REFERENCE_NOT_ALLOWED': {
    fr: 'La référence légale donnée (--reference) n’est pas une de celles que le protocole prévoit pour cette communication. Reprenez exactement le libellé prévu au protocole.',
    en: 'The legal reference given (--reference) is not one the protocol provides for this communication. Use exactly the wording in the protocol.',
  },
  'refusal.CONSENT_MISSING': {
    fr: 'Votre organisme n’a inscrit aucun consentement en vigueur de la victime pour ce dossier. Inscrivez-le avec « vigie consent record », ou fondez la communication sur le danger appréhendé ou une obligation légale si les conditions sont réunies.',
    en: 'Your agency has recorded no consent of the victim in force for this case. Record it with "vigie consent record", or base the communication on apprehended danger or a legal obligation if the conditions are met.',
  },
  'refusal.CONSENT_EXPIRED': {
    fr: 'Le consentement de la victime pour ce dossier est échu. Obtenez un nouveau consentement et inscrivez-le (« vigie consent record »); d’ici là, seule une communication fondée sur le danger appréhendé ou une obligation légale reste possible.',
    en: 'The victim’s consent for this case has expired. Obtain a new consent and record it ("vigie consent record"); until then, only a communication based on apprehended danger or a legal obligation remains possible.',
  },
  'refusal.CONSENT_REVOKED': {
    fr: 'La victime a retiré son consentement : seule une communication fondée sur le danger appréhendé ou une obligation légale reste possible.',
    en: 'The victim has withdrawn her consent: only a communication based on apprehended danger or a legal obligation remains possible.',
  },
  'refusal.CONSENT_SCOPE_EXCEEDED': {
    fr: 'Le consentement de la victime ne couvre pas ce destinataire, cette finalité ou ces catégories (voir les précisions). Limitez l’envoi à ce qu’elle a accepté, ou obtenez un consentement plus large.',
    en: 'The victim’s consent does not cover this recipient, purpose or these categories (see the details). Limit the message to what she agreed to, or obtain a broader consent.',
  },
  'refusal.ASSESSMENT_REQUIRED': {
    fr: 'Le protocole exige, pour cette communication, une évaluation du risque remplie avec l’instrument qu’il nomme (voir les précisions), dans une version que le carrefour connaît. Remplissez-la avec « vigie assess --instrument <instrument> », puis renvoyez avec --assessment <fichier>. En cas de danger immédiat, composez le 911.',
    en: 'For this communication the protocol requires a risk assessment filled with the instrument it names (see the details), in a version the hub knows. Fill it in with "vigie assess --instrument <instrument>", then send again with --assessment <file>. In immediate danger, call 911.',
  },
  'refusal.ASSESSMENT_LEVEL_TOO_LOW': {
    fr: 'Le niveau de risque de l’évaluation jointe est inférieur au niveau que le protocole exige pour cette communication sans consentement (voir les précisions). Fondez l’envoi sur le consentement de la victime si vous l’avez, ou revoyez l’évaluation; un niveau retenu par jugement professionnel doit être motivé. En cas de danger immédiat, composez le 911.',
    en: 'The risk level of the attached assessment is below the level the protocol requires for this communication without consent (see the details). Base the message on the victim’s consent if you have it, or review the assessment; a level set on professional judgement needs a reason. In immediate danger, call 911.',
  },
  'refusal.INSTRUMENT_UNKNOWN': {
    fr: 'Le carrefour ne connaît pas cet instrument d’évaluation ou cette version. Voyez les instruments qu’il applique (GET /v1/instruments) et remplissez l’évaluation avec l’un d’eux.',
    en: 'The hub does not know this assessment instrument or this version. See the instruments it applies (GET /v1/instruments) and fill the assessment with one of them.',
  },
  'refusal.PROTOCOL_INVALID': {
    fr: 'Le document de protocole est incohérent (voir les précisions). Corrigez le projet, puis faites signer la nouvelle version par chaque partie.',
    en: 'The protocol document is incoherent (see the details). Fix the draft, then have each party sign the new version.',
  },
  'refusal.PROTOCOL_SIGNATURE_INVALID': {
    fr: 'Une signature ne vient pas de la clé racine d’une partie inscrite, ou le document a changé après avoir été signé. Faites signer le fichier exact par l’administrateur de chaque partie (« vigie protocol sign »).',
    en: 'A signature does not come from a registered party’s root key, or the document changed after it was signed. Have each party’s administrator sign the exact file ("vigie protocol sign").',
  },
  'refusal.PROTOCOL_VERSION_CONFLICT': {
    fr: 'Le carrefour détient déjà cette version avec un autre contenu, ou une version plus récente. Une version signée ne se modifie jamais : rédigez une nouvelle version (--version) et faites-la signer.',
    en: 'The hub already holds this version with other content, or a later version. A signed version is never changed: draft a new version (--version) and have it signed.',
  },
  'refusal.PROTOCOL_UNKNOWN': {
    fr: 'Le carrefour ne connaît pas ce protocole. Vérifiez son identifiant, ou soumettez-le d’abord (« vigie protocol submit »).',
    en: 'The hub does not know this protocol. Check its id, or submit it first ("vigie protocol submit").',
  },
  'refusal.CONSENT_UNKNOWN': {
    fr: 'Votre organisme n’a inscrit aucun consentement sous cet identifiant. Voyez « vigie consent list ».',
    en: 'Your agency recorded no consent under this id. See "vigie consent list".',
  },
  'refusal.CONSENT_EXISTS': {
    fr: 'Un consentement portant cet identifiant existe déjà avec un autre contenu; rien n’a été modifié.',
    en: 'A consent with this id already exists with other content; nothing was changed.',
  },
  'refusal.CONSENT_PERIOD_INVALID': {
    fr: 'La fin de validité (--until) doit suivre le début (--from).',
    en: 'The end of validity (--until) must come after the start (--from).',
  },
  'hint.createAgencyKeys': {
    fr: 'Créez-le avec « vigie keys agency <organisme> », ou indiquez le dossier avec --keys ou VIGIE_HOME.',
    en: 'Create it with "vigie keys agency <agency-id>", or point to the directory with --keys or VIGIE_HOME.',
  },
  'hint.createMemberKeys': {
    fr: 'Créez-le avec « vigie keys member <organisme> », ou indiquez le dossier avec --keys ou VIGIE_HOME.',
    en: 'Create it with "vigie keys member <agency-id>", or point to the directory with --keys or VIGIE_HOME.',
  },

  'hint.createWitnessKey': {
    fr: 'Créez-la avec « vigie witness key --name <nom> », ou indiquez le dossier avec --keys ou VIGIE_HOME.',
    en: 'Create it with "vigie witness key --name <name>", or point to the directory with --keys or VIGIE_HOME.',
  },

  // ── Usage errors (exit 2) ─────────────────────────────────────────────────
  'usage.unknownCommand': { fr: 'commande inconnue : {command}', en: 'unknown command: {command}' },
  'usage.unknownOption': { fr: 'option inconnue : {option}', en: 'unknown option: {option}' },
  'usage.optionValue': { fr: 'valeur manquante ou invalide pour {option}', en: 'missing or invalid value for {option}' },
  'usage.invalidLine': { fr: 'ligne de commande invalide.', en: 'invalid command line.' },
  'usage.missingOption': { fr: 'option requise : {option}', en: 'required option: {option}' },
  'usage.ackNeedsTerminal': {
    fr: '--ack demande à la personne devant ce terminal, pour chaque message, si elle le prend en charge; l’entrée standard n’est pas un terminal, donc personne ne peut répondre. Rien n’a été pris en charge. Écoutez sans --ack et prenez un message en charge avec « vigie ack <id-message> ».',
    en: '--ack asks the person at this terminal, for each message, whether they acknowledge it; standard input is not a terminal, so nobody can answer. Nothing was acknowledged. Listen without --ack and acknowledge a message with "vigie ack <message-id>".',
  },
  'usage.missingArgument': { fr: 'argument manquant : {arg}', en: 'missing argument: {arg}' },
  'usage.extraArgument': { fr: 'argument en trop : {value}', en: 'unexpected argument: {value}' },
  'usage.seeHelp': { fr: 'Aide : vigie {command}--help', en: 'Help: vigie {command}--help' },
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
  'usage.badInvitation': { fr: 'invitation invalide : « {value} » (un lien d’invitation ou son numéro)', en: 'invalid invitation: "{value}" (an invitation link or its number)' },
  'usage.badMessageId': { fr: 'identifiant de message invalide : « {value} » (UUID)', en: 'invalid message id: "{value}" (UUID)' },
  'usage.badKind': {
    fr: 'type d’organisme invalide : « {value} » (minuscules et _; parmi {kinds}, ou un type convenu entre les partenaires)',
    en: 'invalid agency kind: "{value}" (lowercase letters and _; one of {kinds}, or a kind the partners agreed on)',
  },
  'usage.badName': { fr: '{option} doit compter de 1 à 120 caractères.', en: '{option} must be 1 to 120 characters.' },
  'usage.badLabel': { fr: '--label doit compter de 1 à 80 caractères.', en: '--label must be 1 to 80 characters.' },
  'usage.badRole': { fr: 'rôle inconnu : {value} (parmi {roles})', en: 'unknown role: {value} (one of {roles})' },
  'usage.badType': { fr: 'type de message inconnu : {value} (parmi {types})', en: 'unknown message type: {value} (one of {types})' },
  'usage.badUrgency': { fr: 'urgence inconnue : {value} (parmi {urgencies})', en: 'unknown urgency: {value} (one of {urgencies})' },
  'usage.badLegalBasis': { fr: 'fondement juridique inconnu : {value} (parmi {bases})', en: 'unknown legal basis: {value} (one of {bases})' },
  'usage.badCategory': {
    fr: 'catégorie invalide : « {value} » (minuscules, chiffres et _; ex. {categories})',
    en: 'invalid category: "{value}" (lowercase letters, digits and _; e.g. {categories})',
  },
  'usage.tooMany': { fr: 'trop de valeurs pour {option} (au plus {max}).', en: 'too many values for {option} (at most {max}).' },
  'usage.badCursor': { fr: 'curseur invalide : « {value} » (un nombre)', en: 'invalid cursor: "{value}" (a number)' },
  'usage.badSeconds': { fr: '{option} : durée invalide « {value} » (secondes, > 0)', en: '{option}: invalid duration "{value}" (seconds, > 0)' },
  'usage.badHours': { fr: '--valid-hours invalide : « {value} » (1 à 720)', en: 'invalid --valid-hours: "{value}" (1 to 720)' },
  'usage.badWitnessName': {
    fr: 'nom de témoin invalide : « {value} » (sans espace ni +, ex. temoin.exemple.org/vigie)',
    en: 'invalid witness name: "{value}" (no spaces or +, e.g. witness.example.org/vigie)',
  },
  'usage.badLogSpec': {
    fr: '--log invalide : « {value} » (origine=vkey, ex. vigie.exemple.org/journal=vigie.exemple.org/journal+1a2b3c4d+AQ…)',
    en: 'invalid --log: "{value}" (origin=vkey, e.g. vigie.example.org/log=vigie.example.org/log+1a2b3c4d+AQ…)',
  },
  'usage.badPort': { fr: 'port invalide : « {value} » (0 à 65535)', en: 'invalid port: "{value}" (0 to 65535)' },
  'usage.textOrFile': { fr: 'indiquez le contenu avec --text ou --file (un seul des deux).', en: 'give the content with --text or --file (exactly one).' },
  'usage.twoStdin': {
    fr: '{first} et {second} ne peuvent pas lire tous deux l’entrée standard (-).',
    en: '{first} and {second} cannot both read standard input (-).',
  },
  'usage.instrumentRequired': {
    fr: 'précisez l’instrument avec --instrument <instrument>. Instruments disponibles : {known}',
    en: 'name the instrument with --instrument <instrument>. Instruments available: {known}',
  },
  'usage.badInstrument': {
    fr: 'identifiant d’instrument invalide : « {value} » (minuscules, chiffres, - et _, ex. grille-commune)',
    en: 'invalid instrument id: "{value}" (lowercase letters, digits, - and _, e.g. grille-commune)',
  },

  'usage.badLogKey': {
    fr: 'clé de journal invalide : « {value} » (vkey C2SP Ed25519, ex. vigie.exemple.org/journal+1a2b3c4d+AQ…)',
    en: 'invalid log key: "{value}" (C2SP Ed25519 vkey, e.g. vigie.example.org/log+1a2b3c4d+AQ…)',
  },
  'usage.badWitnessKey': {
    fr: 'clé de témoin invalide : « {value} » (vkey C2SP cosignature/v1, ex. temoin.exemple.org+1a2b3c4d+BA…)',
    en: 'invalid witness key: "{value}" (C2SP cosignature/v1 vkey, e.g. witness.example.org+1a2b3c4d+BA…)',
  },
  'usage.badQuorum': {
    fr: '--quorum invalide : « {value} » (0 à {witnesses}, le nombre de --witness)',
    en: 'invalid --quorum: "{value}" (0 to {witnesses}, the number of --witness)',
  },
  'usage.badDate': {
    fr: '{option} : date invalide « {value} » (AAAA-MM-JJ, ou AAAA-MM-JJThh:mm:ss avec Z ou un décalage)',
    en: '{option}: invalid date "{value}" (YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss with Z or an offset)',
  },
  'usage.badPeriod': { fr: '--from est après --to.', en: '--from is after --to.' },
  'usage.templateMissing': {
    fr: 'indiquez le modèle avec --template.\n{templates}',
    en: 'give the template with --template.\n{templates}',
  },
  'usage.templateUnknown': {
    fr: 'modèle de protocole inconnu : « {value} ».\n{templates}',
    en: 'unknown protocol template: "{value}".\n{templates}',
  },
  'usage.badBinding': {
    fr: '--party invalide : « {value} » (rôle=organisme, ex. police=police-laval)',
    en: 'invalid --party: "{value}" (role=agency, e.g. police=police-laval)',
  },
  'usage.unknownRole': {
    fr: 'le modèle {template} n’a pas de rôle « {role} » (rôles : {roles}).',
    en: 'template {template} has no role "{role}" (roles: {roles}).',
  },
  'usage.duplicateRole': { fr: 'le rôle {role} est donné deux fois.', en: 'role {role} is given twice.' },
  'usage.missingBindings': {
    fr: 'le modèle {template} attend un organisme pour chaque rôle; manque : {missing}. Ex. : {example}',
    en: 'template {template} needs an agency for each role; missing: {missing}. E.g.: {example}',
  },
  'usage.badProtocolId': {
    fr: 'identifiant de protocole invalide : « {value} » (minuscules, chiffres et tirets, ex. laval-maison-police)',
    en: 'invalid protocol id: "{value}" (lowercase letters, digits and hyphens, e.g. laval-shelter-police)',
  },
  'usage.badVersion': { fr: '{option} : version invalide « {value} » (entier de 1 à 1000000)', en: '{option}: invalid version "{value}" (integer from 1 to 1000000)' },
  'usage.badProtocolRef': {
    fr: '--protocol invalide : « {value} » (protocole@version, ex. shelter-police@1)',
    en: 'invalid --protocol: "{value}" (protocol@version, e.g. shelter-police@1)',
  },
  'usage.badCase': {
    fr: 'référence de dossier invalide : « {value} » (lettres, chiffres, . _ -; jamais le nom de la personne, ex. DOSSIER-2026-014)',
    en: 'invalid case reference: "{value}" (letters, digits, . _ -; never the person’s name, e.g. CASE-2026-014)',
  },
  'usage.badPurpose': {
    fr: 'finalité invalide : « {value} » (minuscules, chiffres et _; ex. {purposes})',
    en: 'invalid purpose: "{value}" (lowercase letters, digits and _; e.g. {purposes})',
  },
  'usage.badConsentId': { fr: 'identifiant de consentement invalide : « {value} » (UUID)', en: 'invalid consent id: "{value}" (UUID)' },
  'usage.badState': { fr: 'état inconnu : {value} (parmi {consentStates})', en: 'unknown state: {value} (one of {consentStates})' },
  'usage.badConsentPeriod': { fr: '--until doit suivre --from.', en: '--until must come after --from.' },
  'usage.protocolRequired': {
    fr: 'indiquez le protocole qui permet cette communication : --protocol <protocole>@<version> (ex. shelter-police@1).',
    en: 'give the protocol that allows this communication: --protocol <protocol>@<version> (e.g. shelter-police@1).',
  },
  'usage.legalBasisRequired': { fr: 'indiquez le fondement juridique avec --legal-basis : {bases}.', en: 'give the legal basis with --legal-basis: {bases}.' },
  'usage.optionForBasis': { fr: '{option} ne s’emploie qu’avec --legal-basis {basis}.', en: '{option} only goes with --legal-basis {basis}.' },
  'usage.badReason': { fr: 'motif inconnu : {value} (parmi {reasons})', en: 'unknown reason: {value} (one of {reasons})' },
  'usage.badAttest': {
    fr: 'condition inconnue pour --attest : {value} (parmi {attestations})',
    en: 'unknown condition for --attest: {value} (one of {attestations})',
  },
  'usage.notAttested': {
    fr: 'danger appréhendé : attestez les quatre conditions avec --attest reasonable-cause,serious-risk,identifiable-person,urgency (manque : {missing}).',
    en: 'apprehended danger: attest the four conditions with --attest reasonable-cause,serious-risk,identifiable-person,urgency (missing: {missing}).',
  },
  'usage.badReference': { fr: '{option} doit compter de 1 à 200 caractères.', en: '{option} must be 1 to 200 characters.' },
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
    fr: '  VIGIE_HUB, VIGIE_HOME, VIGIE_LANG   équivalents de --hub, --keys, --lang\n  VIGIE_PASSPHRASE                    phrase de passe des fichiers de clés (sinon demandée sans écho)\n  VIGIE_OPERATOR_TOKEN                jeton de l’exploitant du carrefour (vigie admit)\n  VIGIE_KDF=interactive               Argon2id plus léger (tests); « moderate » par défaut\n  VIGIE_INSTRUMENTS_DIR               instruments d’évaluation du risque (défaut : config/instruments)',
    en: '  VIGIE_HUB, VIGIE_HOME, VIGIE_LANG   same as --hub, --keys, --lang\n  VIGIE_PASSPHRASE                    key file passphrase (otherwise asked for without echo)\n  VIGIE_OPERATOR_TOKEN                hub operator token (vigie admit)\n  VIGIE_KDF=interactive               lighter Argon2id (tests); "moderate" by default\n  VIGIE_INSTRUMENTS_DIR               risk assessment instruments (default: config/instruments)',
  },
  'help.exitCodes': {
    fr: 'Codes de sortie : 0 succès, 1 erreur ou refus du carrefour, 2 usage, 3 aucune prise en charge dans le délai, 4 problème détecté (journal, preuve d’acceptation ou signature de protocole).',
    en: 'Exit codes: 0 success, 1 error or refusal by the hub, 2 usage, 3 no acknowledgement in time, 4 problem found (log, acceptance proof or protocol signature).',
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
    fr: 'Le jeton d’exploitant est lu dans VIGIE_OPERATOR_TOKEN. Le code affiché se remet à l’administrateur de l’organisme par un canal sûr.\nTypes d’organisme (--kind) : {kinds}.',
    en: 'The operator token is read from VIGIE_OPERATOR_TOKEN. Hand the printed code to the agency administrator over a safe channel.\nAgency kinds (--kind): {kinds}.',
  },
  'help.agencyRegister.summary': { fr: 'Inscrire l’organisme et sa clé racine avec le code d’admission', en: 'Register the agency and its root key with the admission code' },
  'help.agencyRegister.details': {
    fr: 'Utilise <dossier>/agency.key. Le type et les noms doivent être ceux de l’admission.\nTypes d’organisme (--kind) : {kinds}.',
    en: 'Uses <dir>/agency.key. The kind and names must match the admission.\nAgency kinds (--kind): {kinds}.',
  },
  'help.inboxCreate.summary': { fr: 'Créer et certifier une boîte de réception de l’organisme', en: 'Create and certify an inbox of the agency' },
  'help.inboxCreate.details': {
    fr: 'La paire de clés de la boîte est ajoutée au fichier de clés de l’organisme (rechiffré) avant d’être inscrite au carrefour.',
    en: 'The inbox key pair is added to the agency key file (re-encrypted) before it is registered with the hub.',
  },
  'help.memberEnrol.summary': { fr: 'Certifier un appareil à partir de ses clés publiques (administrateur)', en: 'Certify a device from its public keys (administrator)' },
  'help.memberEnrol.details': {
    fr: 'Rôles (--roles, séparés par des virgules) : {roles}. La clé de chaque boîte indiquée est scellée pour cet appareil. Comparez l’empreinte affichée avec celle de l’appareil.',
    en: 'Roles (--roles, comma-separated): {roles}. The key of each inbox given is sealed to this device. Compare the fingerprint shown with the device’s.',
  },
  'help.memberRevoke.summary': { fr: 'Révoquer un appareil (administrateur)', en: 'Revoke a device (administrator)' },
  'help.memberRevoke.details': {
    fr: 'L’appareil ne peut plus s’authentifier; ses connexions en cours sont fermées. Dans la même demande, chaque boîte de réception qu’il pouvait lire reçoit une nouvelle clé, scellée aux seuls membres restants et gardée dans le fichier de clés de l’organisme : ce qui est envoyé ensuite ne lui est plus lisible. Demande confirmation, sauf avec --yes.',
    en: 'The device can no longer authenticate; its open connections are closed. In the same request, every inbox it could read gets a new key, sealed to the remaining members only and kept in the agency’s key file: what is sent from then on is no longer readable to it. Asks for confirmation unless --yes.',
  },
  'help.memberInvite.summary': { fr: 'Inviter une personne à inscrire son appareil (administrateur)', en: 'Invite a person to enrol their device (administrator)' },
  'help.memberInvite.details': {
    fr: 'Signe avec la clé racine une invitation nommant le libellé, les rôles et les boîtes que l’appareil aura; affiche une fois le lien et le code à usage unique à donner à la personne (console ou « vigie keys join »). Rôles (--roles, séparés par des virgules) : {roles}.',
    en: 'Signs with the root key an invitation naming the label, roles and inboxes the device will have; shows once the link and one-time code to give the person (console or "vigie keys join"). Roles (--roles, comma-separated): {roles}.',
  },
  'help.memberInvitations.summary': { fr: 'Lister les invitations de l’organisme et leur état (administrateur)', en: 'List the agency’s invitations and their state (administrator)' },
  'help.memberInvitations.details': {
    fr: 'Pour une invitation à laquelle un appareil a répondu, affiche son empreinte, à comparer avec la personne avant « vigie member approve ».',
    en: 'For an invitation a device answered, shows its fingerprint, to compare with the person before "vigie member approve".',
  },
  'help.memberApprove.summary': { fr: 'Approuver l’appareil qui a répondu à une invitation (administrateur)', en: 'Approve the device that answered an invitation (administrator)' },
  'help.memberApprove.details': {
    fr: 'Affiche l’empreinte de l’appareil; la personne lit la sienne sur son écran. Identiques : la clé racine certifie l’appareil avec les rôles et les boîtes de l’invitation, et la clé de chaque boîte lui est scellée. Sans terminal, --fingerprint donne l’empreinte lue par la personne.',
    en: 'Shows the device’s fingerprint; the person reads theirs on their screen. The same: the root key certifies the device with the invitation’s roles and inboxes, and each inbox key is sealed to it. Without a terminal, --fingerprint gives the fingerprint the person read.',
  },
  'help.memberList.summary': { fr: 'Lister les appareils de l’organisme, actifs et révoqués (administrateur)', en: 'List the agency’s devices, active and revoked (administrator)' },
  'help.keysJoin.summary': { fr: 'Créer les clés de cet appareil et répondre à une invitation', en: 'Make this device’s keys and answer an invitation' },
  'help.keysJoin.details': {
    fr: 'Avec le lien reçu de votre administrateur (ou le numéro d’invitation et --code). Les clés privées sont chiffrées dans <dossier>/member.key; leur moitié publique part avec le code. Lisez ensuite l’empreinte affichée à votre administrateur; la commande attend son approbation, sauf avec --no-wait.',
    en: 'With the link your administrator gave you (or the invitation number and --code). The private keys are encrypted in <dir>/member.key; their public half goes with the code. Then read the fingerprint shown to your administrator; the command waits for the approval, unless --no-wait.',
  },
  'help.send.summary': { fr: 'Chiffrer, signer et envoyer un message', en: 'Encrypt, sign and send a message' },
  'help.send.details': {
    fr: 'Types (--type) : {types}.\nUrgence (--urgency) : {urgencies}. Par défaut, celle que le type appelle, jamais moins que son minimum (une alerte de danger est toujours immédiate).\nCatégories de renseignements (--category, séparées par des virgules) : {categories}.\nChaque message nomme le protocole qui le permet (--protocol shelter-police@1) et son fondement juridique :\n  consentement de la victime : --legal-basis consent --case <dossier> --purpose <finalité> [--consent <id>]\n  danger appréhendé : --legal-basis apprehended_danger --reason <motif> --directive <référence> --attest reasonable-cause,serious-risk,identifiable-person,urgency\n      (sans --attest, dans un terminal, chaque condition est demandée)\n  obligation légale : --legal-basis legal_obligation --reference "<article ou ordonnance>"\nFinalités (--purpose) : {purposes}.\nMotifs (--reason) : {reasons}.\nConditions (--attest) : {attestations}.\nUn refus du carrefour est expliqué (ce que cela veut dire, que faire); code 1.\nAvec --wait-ack, attend la première prise en charge signée et affiche les avis du carrefour (délai de prise en charge échu, chaque étape d’escalade); code 3 si personne ne l’a prise en charge dans le délai ou dès que la chaîne d’escalade est épuisée.\nAvec --assessment <fichier> (écrit par « vigie assess »), l’évaluation est calculée sur cet appareil avant toute signature : son niveau est signé dans l’en-tête (le protocole peut exiger un niveau minimal), ses réponses voyagent dans le contenu chiffré.',
    en: 'Types (--type): {types}.\nUrgency (--urgency): {urgencies}. By default, the one the type calls for, never below its minimum (a danger alert is always immediate).\nData categories (--category, comma-separated): {categories}.\nEvery message names the protocol that allows it (--protocol shelter-police@1) and its legal basis:\n  the victim’s consent: --legal-basis consent --case <case-ref> --purpose <purpose> [--consent <id>]\n  apprehended danger: --legal-basis apprehended_danger --reason <reason> --directive <reference> --attest reasonable-cause,serious-risk,identifiable-person,urgency\n      (without --attest, on a terminal, each condition is asked for)\n  legal obligation: --legal-basis legal_obligation --reference "<statute article or order>"\nPurposes (--purpose): {purposes}.\nReasons (--reason): {reasons}.\nConditions (--attest): {attestations}.\nA refusal by the hub is explained (what it means, what to do); exit 1.\nWith --wait-ack, waits for the first signed acknowledgement and shows the hub’s notices (acknowledgement deadline passed, each escalation step); exit 3 when nobody acknowledged in time or as soon as the escalation chain is exhausted.\nWith --assessment <file> (written by "vigie assess"), the assessment is scored on this device before anything is signed: its level is signed in the header (the protocol may require a minimum level), its answers travel in the encrypted content.',
  },
  'help.listen.summary': { fr: 'Recevoir en direct les messages, accusés et avis de cet appareil', en: 'Receive this device’s messages, receipts and notices live' },
  'help.listen.details': {
    fr: 'Chaque message est vérifié (signature, certificat) et déchiffré ici. Recevoir n’est pas prendre en charge : l’appareil signe « reçu », jamais « pris en charge » de lui-même. Avec --ack, dans un terminal, chaque message affiché est suivi d’une question qui le nomme; seul « o » signe la prise en charge, et ce qui reste sans réponse est rappelé à l’arrêt. Sinon : vigie ack <id-message>.\nLes avis du carrefour s’affichent aussi : ESCALADE (une alerte attend une prise en charge, pour une boîte d’escalade), RAPPEL (pour la boîte destinataire), délai échu, étapes et fin de la chaîne (pour l’expéditeur). La position est sauvegardée : l’écoute suivante reprend où celle-ci s’est arrêtée. Ctrl-C pour quitter.\nUn message qui joint une évaluation du risque montre le niveau signé et le niveau recalculé ici à partir des réponses (✓), ou un avertissement ATTENTION quand ils diffèrent ou que l’instrument est inconnu de cet appareil.',
    en: 'Each message is verified (signature, certificate) and decrypted here. Receiving is not acknowledging: the device signs "delivered", never "acknowledged" on its own. With --ack, on a terminal, each message shown is followed by a question naming it; only "y" signs the acknowledgement, and what was left unanswered is listed when listening stops. Otherwise: vigie ack <message-id>.\nThe hub’s notices are shown too: ESCALATION (an alert waits for an acknowledgement, to an escalation inbox), REMINDER (to the recipient inbox), deadline passed, steps and end of the chain (to the sender). The position is saved: the next listen resumes where this one stopped. Ctrl-C to quit.\nA message with a risk assessment shows the signed level and the level recomputed here from the answers (✓), or a WARNING when they differ or the instrument is unknown on this device.',
  },
  'help.ack.summary': { fr: 'Ouvrir, vérifier et prendre en charge un message', en: 'Open, verify and acknowledge a message' },
  'help.assess.summary': { fr: 'Remplir une évaluation du risque (grille) avec la victime', en: 'Fill a risk assessment (grid) with the victim' },
  'help.assess.details': {
    fr: 'Pose chaque question de l’instrument (config/instruments) : oui (o), non (n), je ne sais pas (?) ou passer (p), puis la source de la réponse : victime (v), dossier (d) ou observation de l’intervenante (o). Puis la perception de la victime, le niveau calculé et l’action qu’il appelle; vous pouvez retenir un autre niveau selon votre jugement professionnel, avec un motif obligatoire.\nL’évaluation est écrite dans un fichier confidentiel (défaut assessment-<date>.json; - : sortie standard) et rien n’est envoyé : « vigie send … --assessment <fichier> » la joint à un message (le niveau est signé dans l’en-tête, les réponses voyagent chiffrées).\nHors d’un terminal, les réponses sont lues sur l’entrée standard, une par ligne, dans l’ordre des questions.',
    en: 'Asks each question of the instrument (config/instruments): yes (y), no (n), don’t know (?) or skip (s), then the source of the answer: victim (v), record (r) or worker’s observation (o). Then the victim’s perception, the computed level and the action it calls for; you may set another level on your professional judgement, with a required reason.\nThe assessment is written to a confidential file (default assessment-<date>.json; -: standard output) and nothing is sent: "vigie send … --assessment <file>" attaches it to a message (the level is signed in the header, the answers travel encrypted).\nOutside a terminal, the answers are read from standard input, one per line, in the order of the questions.',
  },
  'help.ack.details': {
    fr: 'Signe une prise en charge : une personne a lu ce message et s’en occupe.',
    en: 'Signs an acknowledgement: a person has read this message and is dealing with it.',
  },
  'help.status.summary': { fr: 'Suivre la réception et la prise en charge d’un message', en: 'Track delivery and acknowledgement of a message' },

  'help.protocolDraft.summary': { fr: 'Rédiger un projet de protocole à partir d’un modèle', en: 'Draft a protocol from a template' },
  'help.protocolDraft.details': {
    fr: 'Sans --template (ou avec un modèle inconnu), affiche les modèles de config/protocols et leurs rôles. Chaque rôle du modèle reçoit un organisme avec --party <rôle>=<organisme>. Le projet est vérifié comme le carrefour le vérifiera, puis écrit (sans signature) dans --out, qui ne doit pas exister. Par défaut : identifiant et version du modèle, en vigueur dès maintenant (--effective : date AAAA-MM-JJ ou date-heure RFC 3339).',
    en: 'Without --template (or with an unknown one), lists the templates of config/protocols and their roles. Each role of the template gets an agency with --party <role>=<agency-id>. The draft is checked as the hub will check it, then written (unsigned) to --out, which must not exist. Defaults: the template’s id and version, in force from now (--effective: YYYY-MM-DD date or RFC 3339 date-time).',
  },
  'help.protocolSign.summary': { fr: 'Relire et signer un protocole avec la clé racine (administrateur)', en: 'Review and sign a protocol with the root key (administrator)' },
  'help.protocolSign.details': {
    fr: 'Affiche ce qui sera signé — titres, parties, chaque communication permise (de → à, types de message, fondements, catégories, délai de prise en charge) et l’empreinte du document à comparer avec les autres parties —, demande confirmation (sauf --yes), puis ajoute la signature de l’organisme au fichier. Aucun accès au carrefour.',
    en: 'Shows what will be signed — titles, parties, each communication allowed (from → to, message types, legal bases, categories, acknowledgement deadline) and the document fingerprint to compare with the other parties —, asks for confirmation (unless --yes), then adds the agency’s signature to the file. No hub access.',
  },
  'help.protocolSubmit.summary': { fr: 'Soumettre un protocole signé au carrefour', en: 'Submit a signed protocol to the hub' },
  'help.protocolSubmit.details': {
    fr: 'Le carrefour vérifie chaque signature avec la clé racine inscrite de la partie et ajoute celles qu’il n’avait pas. La version entre en vigueur quand toutes les parties ont signé, à sa date d’effet. Affiche l’état, qui a signé et qui manque.',
    en: 'The hub checks each signature against the party’s registered root key and adds those it did not have. The version is in force once every party has signed, from its effective date. Shows the status, who signed and who is missing.',
  },
  'help.protocolShow.summary': { fr: 'Afficher les versions d’un protocole et vérifier leurs signatures', en: 'Show a protocol’s versions and verify their signatures' },
  'help.protocolShow.details': {
    fr: 'Liste les versions et leur état, puis, pour --version (par défaut celle en vigueur, sinon la plus récente), les communications permises. Chaque signature est vérifiée sur cet appareil avec la clé racine de la partie, épinglée dans known-roots.json et prouvée au journal des divulgations : l’appareil ne se fie pas à la parole du carrefour. Code 4 si une signature annoncée ne se vérifie pas.',
    en: 'Lists the versions and their status, then, for --version (by default the one in force, else the latest), the communications allowed. Each signature is verified on this device with the party’s root key, pinned in known-roots.json and proven in the disclosure log: the device does not take the hub’s word for it. Exit 4 when an announced signature does not verify.',
  },
  'help.protocolRetire.summary': { fr: 'Retirer un protocole au nom de l’organisme (administrateur)', en: 'Retire a protocol on behalf of the agency (administrator)' },
  'help.protocolRetire.details': {
    fr: 'Signé par la clé racine. Dès maintenant, aucune version du protocole ne permet de nouvelle communication; ce qui a déjà été accepté reste au registre. Demande confirmation, sauf --yes.',
    en: 'Signed by the root key. From now on, no version of the protocol allows a new communication; what was already accepted stays on the record. Asks for confirmation unless --yes.',
  },
  'help.consentRecord.summary': { fr: 'Inscrire le consentement d’une victime (appareil de l’organisme)', en: 'Record a victim’s consent (agency device)' },
  'help.consentRecord.details': {
    fr: 'Le dossier est une référence pseudonyme, jamais un nom. --to : organismes destinataires. --from et --until : date AAAA-MM-JJ (--until couvre toute la journée) ou date-heure. Le formulaire signé (--evidence) reste sur cet appareil : seule son empreinte SHA-256 est transmise.\nFinalités (--purpose) : {purposes}.\nCatégories de renseignements (--category) : {categories}.',
    en: 'The case is a pseudonymous reference, never a name. --to: recipient agencies. --from and --until: YYYY-MM-DD date (--until covers the whole day) or date-time. The signed form (--evidence) stays on this device: only its SHA-256 fingerprint is sent.\nPurposes (--purpose): {purposes}.\nData categories (--category): {categories}.',
  },
  'help.consentRevoke.summary': { fr: 'Révoquer un consentement, à effet immédiat', en: 'Revoke a consent, effective at once' },
  'help.consentRevoke.details': {
    fr: 'Toute communication fondée sur ce consentement est refusée dès maintenant; le danger appréhendé et l’obligation légale restent possibles.',
    en: 'Every communication based on this consent is refused from now on; apprehended danger and legal obligation remain possible.',
  },
  'help.consentList.summary': { fr: 'Lister les consentements inscrits par l’organisme', en: 'List the consents the agency recorded' },

  'help.witnessKey.summary': {
    fr: 'Générer la clé d’un témoin du journal des divulgations; affiche sa vkey',
    en: 'Generate a disclosure-log witness key; prints its vkey',
  },
  'help.witnessKey.details': {
    fr: 'La clé Ed25519 est chiffrée sous votre phrase de passe dans <dossier>/witness.key et n’est jamais remplacée. Le nom est celui sous lequel le témoin cosigne (une URL sans schéma). La vkey affichée (cosignature/v1) va à l’exploitant du carrefour.',
    en: 'The Ed25519 key is encrypted under your passphrase in <dir>/witness.key and is never replaced. The name is the one the witness cosigns under (a schema-less URL). The vkey printed (cosignature/v1) goes to the hub operator.',
  },
  'help.witnessServe.summary': {
    fr: 'Servir un témoin C2SP tlog-witness qui cosigne les points de contrôle cohérents',
    en: 'Serve a C2SP tlog-witness that cosigns consistent checkpoints',
  },
  'help.witnessServe.details': {
    fr: 'Répond à POST /add-checkpoint. Chaque --log nomme l’origine d’un journal et la vkey de sa clé de signature (répétable; deux vkeys pour une même origine pendant une rotation). Le témoin ne cosigne un point de contrôle que s’il prolonge le dernier qu’il a cosigné (preuve de cohérence RFC 6962), et ne revient jamais en arrière. Affiche la vkey du témoin au démarrage.',
    en: 'Answers POST /add-checkpoint. Each --log names a log origin and the vkey of its signing key (repeatable; two vkeys for one origin during a rotation). The witness cosigns a checkpoint only if it extends the last one it cosigned (RFC 6962 consistency proof), and never rolls back. Prints the witness vkey at start.',
  },

  'help.auditVerify.summary': {
    fr: 'Vérifier le journal des divulgations du carrefour (signature, témoins, cohérence, entrées)',
    en: 'Verify the hub’s disclosure log (signature, witnesses, consistency, entries)',
  },
  'help.auditVerify.details': {
    fr: 'Vérifie le dernier point de contrôle signé : sa signature par la clé du journal, les cosignatures des témoins indiqués par --witness (--quorum, par défaut tous), et qu’il prolonge le dernier point de contrôle vérifié (preuve de cohérence RFC 6962). Chaque entrée est téléchargée et recalculée jusqu’à la racine signée (barre de progression sur un terminal, ou avec --progress), sauf avec --quick. Avec une clé d’appareil dans le dossier de clés, l’annuaire des clés est vérifié aussi : chaque événement contre son empreinte au journal, une deuxième clé racine pour un organisme, une clé de boîte qu’aucune rotation n’explique, une révocation sans rotation. Les témoins exigés par « audit trust » valent sans --witness.\nSans --log-key, la clé publiée par le carrefour est épinglée à la première vérification réussie dans <dossier>/log-trust.json; ensuite seule celle-ci est reconnue pour ce carrefour (pour en accepter une autre, confirmez-la hors bande et supprimez ce fichier). Le point de contrôle de référence (<dossier>/log-state.json, ou --state) n’est mis à jour que si tout est conforme.\nCodes de sortie : 0 journal conforme, 4 problème détecté (chacun expliqué), 1 vérification impossible, 2 usage.',
    en: 'Checks the latest signed checkpoint: its signature by the log key, cosignatures by the witnesses given with --witness (--quorum, all of them by default), and that it extends the last verified checkpoint (RFC 6962 consistency proof). Every entry is downloaded and re-hashed up to the signed root (progress bar on a terminal, or with --progress), unless --quick. With a device key in the keys folder, the key directory is checked too: each event against its commitment in the log, a second root key for an agency, an inbox key no rotation explains, a revocation without rotation. The witnesses “audit trust” set apply when --witness is not given.\nWithout --log-key, the key the hub publishes is pinned on the first successful check in <dir>/log-trust.json; from then on only that key is trusted for this hub (to accept another, confirm it out of band and delete that file). The reference checkpoint (<dir>/log-state.json, or --state) is only updated when everything checks out.\nExit codes: 0 the log checks out, 4 a problem was found (each explained), 1 could not check, 2 usage.',
  },
  'help.auditWatch.summary': {
    fr: 'Surveiller le journal en continu et donner l’alerte (clés substituées, historique réécrit)',
    en: 'Watch the log continuously and raise alarms (substituted keys, rewritten history)',
  },
  'help.auditWatch.details': {
    fr: 'Refait la vérification de « audit verify » toutes les --interval secondes : signature, témoins, cohérence avec la vérification précédente, et l’annuaire des clés (une deuxième clé racine pour un organisme, une clé de boîte qu’aucune rotation journalisée n’explique, une clé servie que le journal n’a jamais inscrite). Chaque alerte est écrite une fois, sur la sortie d’erreur (et en JSON avec --json). Un carrefour qui ne répond pas est réessayé au tour suivant; trois tours de suite sans réponse sont une alerte. Codes de sortie : 0 arrêt demandé sans alerte, 4 au moins une alerte, 1 vérification impossible (clé de journal, fichiers).',
    en: 'Repeats the checks of “audit verify” every --interval seconds: signature, witnesses, consistency with the previous check, and the key directory (a second root key for an agency, an inbox key no logged rotation explains, a served key the log never recorded). Each alarm is written once, on standard error (and as JSON with --json). A hub that does not answer is tried again next round; three rounds in a row without an answer are an alarm. Exit codes: 0 stopped without alarm, 4 at least one alarm, 1 could not check (log key, files).',
  },
  'help.auditTrust.summary': {
    fr: 'Fixer les témoins exigés pour le journal de ce carrefour',
    en: 'Set the witnesses required for this hub’s log',
  },
  'help.auditTrust.details': {
    fr: 'Enregistre pour ce carrefour les clés des témoins (--witness, répétable) et le nombre de cosignatures exigées (--quorum, par défaut toutes). Ensuite, cet appareil refuse tout point de contrôle qui n’atteint pas ce quorum : à l’envoi, à la réception, à la vérification des clés et dans « audit verify » et « audit watch ». Sans option, affiche le réglage actuel.',
    en: 'Records for this hub the witnesses’ keys (--witness, repeatable) and how many cosignatures are required (--quorum, all by default). From then on this device refuses any checkpoint below that quorum: when sending, receiving, checking keys, and in “audit verify” and “audit watch”. Without options, shows the current setting.',
  },
  'help.auditReconcile.summary': {
    fr: 'Confronter les tables du carrefour au journal des divulgations (auditeur ayant accès à la base de données)',
    en: 'Check the hub’s tables against the disclosure log (auditor with database access)',
  },
  'help.auditReconcile.details': {
    fr: 'Lit la base de données du carrefour (--database postgres://…, un rôle en lecture seule suffit) en une seule transaction et confronte ses tables au journal : chaque entrée recalculée jusqu’à la racine du dernier point de contrôle, signé par la clé du journal épinglée (ou --log-key); chaque enregistrement du registre contre l’empreinte que le journal en garde; un consentement retiré au journal mais en vigueur dans la table; une prise en charge ou une réception sans accusé signé ni entrée au journal; un message stocké qui n’a jamais été accepté au journal, ou dont l’en-tête a changé; un appareil révoqué ou un protocole retiré au journal mais pas dans les tables. Le journal de la base doit aussi prolonger le point de contrôle que vous avez vérifié avec « audit verify », et porter le quorum de témoins fixé par « audit trust ». L’adresse peut venir de VIGIE_AUDIT_DATABASE_URL (une phrase de passe sur la ligne de commande est visible dans ps). Ne s’applique pas à la base PGlite intégrée de la démonstration.\nCodes de sortie : 0 tout concorde, 4 écart(s) trouvé(s), 1 vérification impossible, 2 usage.',
    en: 'Reads the hub’s database (--database postgres://…, a read-only role is enough) in one transaction and checks its tables against the log: every entry re-hashed up to the root of the newest checkpoint, signed by the pinned log key (or --log-key); every register record against the commitment the log keeps of it; a consent revoked in the log but in force in the table; an acknowledgement or delivery with no signed receipt or log entry; a stored message never accepted in the log, or whose header changed; a device revoked or a protocol retired in the log but not in the tables. The database’s log must also extend the checkpoint you verified with “audit verify”, and carry the witness quorum “audit trust” set. The address may come from VIGIE_AUDIT_DATABASE_URL (a password on the command line shows in ps). Does not apply to the demo’s embedded PGlite database.\nExit codes: 0 everything agrees, 4 discrepancies found, 1 could not check, 2 usage.',
  },
  'help.auditProof.summary': {
    fr: 'Télécharger la preuve d’acceptation d’un message (son entrée du journal et sa preuve d’inclusion)',
    en: 'Download a message’s acceptance proof (its log entry and inclusion proof)',
  },
  'help.auditProof.details': {
    fr: 'Avec les clés de cet appareil (membre d’un organisme émetteur ou destinataire). La preuve (entrée du journal et preuve C2SP tlog-proof) est écrite en JSON dans <id-message>.tlog-proof.json, ou --out (- : sortie standard). Elle se vérifie hors ligne avec « vigie audit prove ».',
    en: 'With this device’s keys (a member of the sending or a receiving agency). The proof (log entry and C2SP tlog-proof) is written as JSON to <message-id>.tlog-proof.json, or --out (-: standard output). Verify it offline with "vigie audit prove".',
  },
  'help.auditProve.summary': {
    fr: 'Vérifier hors ligne une preuve d’acceptation et afficher ce qu’elle atteste',
    en: 'Verify an acceptance proof offline and show what it attests',
  },
  'help.auditProve.details': {
    fr: 'Aucun accès réseau : la clé du journal est --log-key, sinon celle que « vigie audit verify » a épinglée pour le journal que nomme la preuve. Vérifie la signature du point de contrôle, les cosignatures (--witness, --quorum) et l’inclusion de l’entrée (RFC 6962), puis affiche le message, son type, l’organisme émetteur, les destinataires, le fondement juridique et l’heure.\nCodes de sortie : 0 preuve valide, 4 preuve non valide (raison donnée), 1 fichier illisible ou aucune clé, 2 usage.',
    en: 'No network access: the log key is --log-key, otherwise the one "vigie audit verify" pinned for the log the proof names. Checks the checkpoint signature, the cosignatures (--witness, --quorum) and the entry’s inclusion (RFC 6962), then shows the message, its type, the sender agency, the recipients, the legal basis and the time.\nExit codes: 0 valid proof, 4 proof not valid (reason given), 1 unreadable file or no key, 2 usage.',
  },
  'help.auditRegister.summary': {
    fr: 'Consulter le registre des communications (appareil auditeur)',
    en: 'Read the communications register (auditor device)',
  },
  'help.auditRegister.details': {
    fr: 'Qui a communiqué quel type de renseignement à qui, quand et sur quel fondement, tiré du journal des divulgations (jamais le contenu). Un auditeur voit son organisme; celui d’un organisme de surveillance peut choisir --agency. Une date seule couvre toute la journée locale. --csv donne le CSV du carrefour (en-têtes dans votre langue); --out écrit le CSV, ou le JSON, dans un fichier. Chaque consultation est elle-même inscrite au journal.\nTypes (--type) : {types}.\nFondements (--legal-basis) : {bases}.',
    en: 'Who communicated what kind of information to whom, when and on which basis, read from the disclosure log (never the content). An auditor sees their own agency; an oversight body’s may choose --agency. A bare date covers the whole local day. --csv gives the hub’s CSV (headers in your language); --out writes the CSV, or the JSON, to a file. Every read is itself recorded in the log.\nTypes (--type): {types}.\nLegal bases (--legal-basis): {bases}.',
  },

  // ── Options ───────────────────────────────────────────────────────────────
  'opt.hub': { fr: 'adresse du carrefour (défaut http://127.0.0.1:8080)', en: 'hub address (default http://127.0.0.1:8080)' },
  'opt.keys': { fr: 'dossier des clés (défaut ~/.vigie)', en: 'key directory (default ~/.vigie)' },
  'opt.lang': { fr: 'langue des messages (défaut fr)', en: 'language of messages (default fr)' },
  'opt.json': { fr: 'sortie JSON, une valeur par ligne', en: 'JSON output, one value per line' },
  'opt.help': { fr: 'afficher l’aide', en: 'show help' },
  'opt.kind': { fr: 'type d’organisme (liste ci-dessus)', en: 'agency kind (listed above)' },
  'opt.nameFr': { fr: 'nom en français', en: 'name in French' },
  'opt.nameEn': { fr: 'nom en anglais', en: 'name in English' },
  'opt.validHours': { fr: 'validité du code en heures (défaut 72)', en: 'code validity in hours (default 72)' },
  'opt.code': { fr: 'code d’admission reçu de l’exploitant', en: 'admission code from the operator' },
  'opt.public': { fr: 'JSON des clés publiques de l’appareil (- : entrée standard)', en: 'device public-key JSON (-: standard input)' },
  'opt.roles': { fr: 'rôles de l’appareil (liste ci-dessus)', en: 'the device’s roles (listed above)' },
  'opt.inbox': { fr: 'boîte que l’appareil lira (répétable)', en: 'inbox the device will read (repeatable)' },
  'opt.label': { fr: 'libellé du poste, pas un nom de personne', en: 'desk or device label, not a person’s name' },
  'opt.inviteHours': { fr: 'validité de l’invitation en heures (défaut 72, au plus 720)', en: 'invitation validity in hours (default 72, at most 720)' },
  'opt.fingerprint': { fr: 'l’empreinte que la personne lit sur son écran', en: 'the fingerprint the person reads on their screen' },
  'opt.inviteCode': { fr: 'le code à usage unique, s’il n’est pas dans le lien', en: 'the one-time code, when it is not in the link' },
  'opt.noWait': { fr: 'ne pas attendre l’approbation', en: 'do not wait for the approval' },
  'opt.to': { fr: 'boîtes destinataires', en: 'recipient inboxes' },
  'opt.type': { fr: 'type de message (liste ci-dessus)', en: 'message type (listed above)' },
  'opt.urgency': { fr: 'urgence (défaut : celle du type)', en: 'urgency (default: the type’s)' },
  'opt.text': { fr: 'contenu en texte', en: 'text content' },
  'opt.file': { fr: 'contenu JSON (- : entrée standard)', en: 'JSON content (-: standard input)' },
  'opt.category': { fr: 'catégories de renseignements (liste ci-dessus)', en: 'data categories (listed above)' },
  'opt.from': { fr: 'boîte d’envoi (défaut : la première de l’appareil)', en: 'sending inbox (default: the device’s first)' },
  'opt.legalBasis': { fr: 'fondement juridique (liste ci-dessus)', en: 'legal basis (listed above)' },
  'opt.replyTo': { fr: 'message auquel celui-ci répond', en: 'message this one replies to' },
  'opt.waitAck': { fr: 'attendre une prise en charge, au plus ce délai', en: 'wait for an acknowledgement, at most this long' },
  'opt.after': { fr: 'reprendre après ce curseur (défaut : le dernier sauvegardé)', en: 'resume after this cursor (default: the last saved)' },
  'opt.ack': {
    fr: 'après chaque message, demander à la personne devant ce terminal si elle le prend en charge (seul « o » signe; refusé hors d’un terminal)',
    en: 'after each message, ask the person at this terminal whether they acknowledge it (only "y" signs; refused outside a terminal)',
  },
  'opt.witnessName': { fr: 'nom du témoin, ex. temoin.exemple.org/vigie', en: 'witness name, e.g. witness.example.org/vigie' },
  'opt.witnessLog': { fr: 'journal à témoigner et vkey de sa clé (répétable)', en: 'log to witness and the vkey of its key (repeatable)' },
  'opt.port': { fr: 'port d’écoute (défaut 7380)', en: 'port to listen on (default 7380)' },
  'opt.host': { fr: 'adresse d’écoute (défaut 127.0.0.1)', en: 'address to listen on (default 127.0.0.1)' },
  'opt.witnessState': { fr: 'fichier d’état (défaut <dossier>/witness-state.json)', en: 'state file (default <dir>/witness-state.json)' },
  'opt.listenInbox': { fr: 'n’écouter que cette boîte (répétable)', en: 'listen to this inbox only (repeatable)' },
  'opt.logKey': {
    fr: 'clé du journal (vkey) à reconnaître; défaut : celle épinglée, sinon celle publiée par le carrefour',
    en: 'log key (vkey) to trust; default: the pinned one, else the one the hub publishes',
  },
  'opt.logKeyOffline': { fr: 'clé du journal (vkey); défaut : celle épinglée pour le journal de la preuve', en: 'log key (vkey); default: the one pinned for the proof’s log' },
  'opt.witnessKey': { fr: 'vkey d’un témoin reconnu (répétable)', en: 'vkey of a trusted witness (repeatable)' },
  'opt.quorum': { fr: 'cosignatures de témoins exigées (défaut : tous les --witness)', en: 'witness cosignatures required (default: every --witness)' },
  'opt.database': { fr: 'base de données du carrefour (postgres://…, en lecture seule)', en: 'the hub’s database (postgres://…, read-only)' },
  'opt.full': { fr: 'télécharger et recalculer chaque entrée (par défaut)', en: 'download and re-hash every entry (the default)' },
  'opt.quick': { fr: 'ne pas recalculer chaque entrée (signature, témoins et cohérence seulement)', en: 'do not re-hash every entry (signature, witnesses and consistency only)' },
  'opt.interval': { fr: 'secondes entre deux vérifications (défaut 30)', en: 'seconds between two checks (default 30)' },
  'opt.rounds': { fr: 'arrêter après ce nombre de vérifications', en: 'stop after this many checks' },
  'opt.auditState': { fr: 'fichier du point de contrôle de référence (défaut <dossier>/log-state.json)', en: 'reference checkpoint file (default <dir>/log-state.json)' },
  'opt.progress': { fr: 'barre de progression même hors d’un terminal', en: 'progress bar even outside a terminal' },
  'opt.proofOut': { fr: 'fichier de la preuve (défaut <id-message>.tlog-proof.json; - : sortie standard)', en: 'proof file (default <message-id>.tlog-proof.json; -: standard output)' },
  'opt.registerAgency': { fr: 'organisme (organisme de surveillance seulement)', en: 'agency (oversight bodies only)' },
  'opt.registerFrom': { fr: 'depuis cette date (AAAA-MM-JJ ou date-heure)', en: 'from this date (YYYY-MM-DD or date-time)' },
  'opt.registerTo': { fr: 'jusqu’à cette date incluse', en: 'up to this date, inclusive' },
  'opt.registerType': { fr: 'type de message (liste ci-dessus)', en: 'message type (listed above)' },
  'opt.csv': { fr: 'CSV du carrefour, en-têtes dans votre langue', en: 'the hub’s CSV, headers in your language' },
  'opt.registerOut': { fr: 'écrire dans ce fichier (CSV avec --csv, JSON sinon)', en: 'write to this file (CSV with --csv, JSON otherwise)' },
  'opt.template': { fr: 'modèle de config/protocols (ex. shelter-police)', en: 'template from config/protocols (e.g. shelter-police)' },
  'opt.party': { fr: 'organisme qui tient un rôle du modèle (répétable)', en: 'agency that holds a role of the template (repeatable)' },
  'opt.protocolIdDraft': { fr: 'identifiant du protocole (défaut : celui du modèle)', en: 'protocol id (default: the template’s)' },
  'opt.versionDraft': { fr: 'numéro de version (défaut : celui du modèle)', en: 'version number (default: the template’s)' },
  'opt.effective': { fr: 'date d’effet (défaut : maintenant)', en: 'effective date (default: now)' },
  'opt.draftOut': { fr: 'fichier du projet à écrire (ne doit pas exister)', en: 'draft file to write (must not exist)' },
  'opt.protocolFile': { fr: 'fichier du protocole (document et signatures)', en: 'protocol file (document and signatures)' },
  'opt.yes': { fr: 'ne pas demander de confirmation', en: 'do not ask for confirmation' },
  'opt.showVersion': { fr: 'version à détailler (défaut : celle en vigueur)', en: 'version to detail (default: the one in force)' },
  'opt.protocol': { fr: 'protocole qui permet cette communication', en: 'protocol that allows this communication' },
  'opt.case': { fr: 'référence pseudonyme du dossier (jamais un nom)', en: 'pseudonymous case reference (never a name)' },
  'opt.purpose': { fr: 'finalité de la communication (consentement)', en: 'purpose of the communication (consent)' },
  'opt.consentId': { fr: 'consentement précis sur lequel se fonder (consentement)', en: 'the exact consent relied on (consent)' },
  'opt.reason': { fr: 'motif (danger appréhendé; liste ci-dessus)', en: 'reason (apprehended danger; listed above)' },
  'opt.directive': { fr: 'référence de la directive interne (danger appréhendé)', en: 'internal directive reference (apprehended danger)' },
  'opt.attest': { fr: 'conditions attestées (danger appréhendé; liste ci-dessus)', en: 'conditions attested (apprehended danger; listed above)' },
  'opt.reference': { fr: 'article de loi ou ordonnance (obligation légale)', en: 'statute article or court order (legal obligation)' },
  'opt.consentCase': { fr: 'référence pseudonyme du dossier (jamais un nom)', en: 'pseudonymous case reference (never a name)' },
  'opt.consentTo': { fr: 'organismes auxquels la victime accepte que l’on communique ces renseignements', en: 'agencies the victim agrees may be told' },
  'opt.consentPurposes': { fr: 'finalités acceptées par la victime', en: 'purposes the victim agreed to' },
  'opt.consentCategories': { fr: 'catégories de renseignements acceptées', en: 'data categories agreed to' },
  'opt.consentFrom': { fr: 'début de validité (défaut : maintenant)', en: 'start of validity (default: now)' },
  'opt.consentUntil': { fr: 'fin de validité (défaut : jusqu’à révocation)', en: 'end of validity (default: until revoked)' },
  'opt.evidence': { fr: 'formulaire signé; reste sur cet appareil, seule son empreinte part', en: 'signed form; stays on this device, only its fingerprint is sent' },
  'opt.caseFilter': { fr: 'seulement ce dossier', en: 'this case only' },
  'opt.stateFilter': { fr: 'seulement cet état : {consentStates}', en: 'this state only: {consentStates}' },
  'opt.instrument': { fr: 'instrument d’évaluation (ex. grille-commune)', en: 'assessment instrument (e.g. grille-commune)' },
  'opt.instrumentVersion': { fr: 'version de l’instrument (défaut : la plus récente)', en: 'instrument version (default: the latest)' },
  'opt.assessOut': { fr: 'fichier à écrire (défaut assessment-<date>.json; - : sortie standard)', en: 'file to write (default assessment-<date>.json; -: standard output)' },
  'opt.assessment': { fr: 'évaluation du risque à joindre (fichier de « vigie assess »)', en: 'risk assessment to attach (file from "vigie assess")' },
} as const satisfies Record<string, Entry>;

export type MessageKey = keyof typeof MESSAGES;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(MESSAGES, key);
}

/**
 * The explanation of a hub refusal code (what it means, what to do), when
 * this table has one: `refusal.CONSENT_REVOKED`…
 */
export function refusalKey(code: string): MessageKey | null {
  const key = `refusal.${code}`;
  return isMessageKey(key) ? key : null;
}

/**
 * The sentence in this language, with `{name}` replaced by its value; a list
 * placeholder of the shared vocabulary (`{types}`, `{reasons}`…, see
 * vocabulary.ts) not given in `params` is filled with its words and codes.
 */
export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : (vocabularyList(name, lang) ?? whole)));
}

/** `fr`, `en`, or a locale of them (`fr-CA`, `en_US.UTF-8`); null otherwise. */
export function parseLang(value: string | undefined): Lang | null {
  const m = /^(fr|en)(?:[-_.].*)?$/i.exec(value?.trim() ?? '');
  return m ? (m[1]!.toLowerCase() as Lang) : null;
}
