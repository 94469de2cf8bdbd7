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
  'arg.logSpec': { fr: '<origine>=<vkey>', en: '<origin>=<vkey>' },
  'arg.messageId': { fr: '<id-message>', en: '<message-id>' },
  'arg.options': { fr: 'options', en: 'options' },
  'arg.port': { fr: '<port>', en: '<port>' },
  'arg.roles': { fr: '<rôle>[,<rôle>…]', en: '<role>[,<role>…]' },
  'arg.seconds': { fr: '<secondes>', en: '<seconds>' },
  'arg.text': { fr: '<texte>', en: '<text>' },
  'arg.type': { fr: '<type>', en: '<type>' },
  'arg.urgency': { fr: '<urgence>', en: '<urgency>' },
  'arg.count': { fr: '<nombre>', en: '<count>' },
  'arg.date': { fr: '<date>', en: '<date>' },
  'arg.fileOrStdout': { fr: '<fichier|->', en: '<file|->' },
  'arg.receiptFile': { fr: '<fichier-de-reçu>', en: '<receipt-file>' },
  'arg.vkey': { fr: '<vkey>', en: '<vkey>' },
  'arg.url': { fr: '<url>', en: '<url>' },
  'arg.witnessName': { fr: '<nom>', en: '<name>' },

  'synopsis.admit': { fr: '<organisme> --kind <type> --name-fr <texte> --name-en <texte>', en: '<agency-id> --kind <kind> --name-fr <text> --name-en <text>' },
  'synopsis.agencyRegister': { fr: '--code <code> --kind <type> --name-fr <texte> --name-en <texte>', en: '--code <code> --kind <kind> --name-fr <text> --name-en <text>' },
  'synopsis.inboxCreate': { fr: '<poste> --name-fr <texte> --name-en <texte>', en: '<desk> --name-fr <text> --name-en <text>' },
  'synopsis.memberEnrol': { fr: '--public <fichier|-> --roles <rôle>[,…] --inbox <organisme/poste>', en: '--public <file|-> --roles <role>[,…] --inbox <agency/desk>' },
  'synopsis.witnessKey': { fr: '--name <nom>', en: '--name <name>' },
  'synopsis.witnessServe': { fr: '--log <origine>=<vkey> [--log …]', en: '--log <origin>=<vkey> [--log …]' },
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
    fr: 'Entrées : non recalculées (--full télécharge et recalcule chacune)',
    en: 'Entries: not re-hashed (--full downloads and re-hashes each one)',
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
  'audit.receiptSaved': {
    fr: 'Reçu du journal pour le message {id} (entrée {index}) enregistré dans {file}.',
    en: 'Log receipt for message {id} (entry {index}) saved in {file}.',
  },
  'audit.receiptNext': {
    fr: 'Vérifiable hors ligne, par vous ou par un tiers : vigie audit prove {file}',
    en: 'Verifiable offline, by you or a third party: vigie audit prove {file}',
  },
  'audit.leafHeader': { fr: 'Message {id}, journalisé par le carrefour :', en: 'Message {id}, logged by the hub:' },
  'audit.leafType': { fr: 'Type : {label} ({type})', en: 'Type: {label} ({type})' },
  'audit.leafSender': { fr: 'Organisme émetteur : {agency} ({inbox})', en: 'Sender agency: {agency} ({inbox})' },
  'audit.leafRecipients': { fr: 'Destinataires : {recipients}', en: 'Recipients: {recipients}' },
  'audit.leafLegalBasis': { fr: 'Fondement juridique : {basis}', en: 'Legal basis: {basis}' },
  'audit.leafTime': { fr: 'Accepté par le carrefour le : {time}', en: 'Accepted by the hub at: {time}' },
  'audit.leafPosition': { fr: 'Entrée {index} d’un journal de {size} entrées ({origin})', en: 'Entry {index} of a {size}-entry log ({origin})' },
  'audit.noLegalBasis': { fr: 'aucun indiqué', en: 'none given' },
  'audit.proveOk': {
    fr: 'OK : ce reçu prouve que le carrefour a journalisé l’acceptation de ce message dans le journal signé par {key}. Vérifié hors ligne.',
    en: 'OK: this receipt proves the hub logged its acceptance of this message in the log signed by {key}. Verified offline.',
  },
  'audit.proveFailed': { fr: 'REÇU NON VALIDE ({file}) : {reason}', en: 'RECEIPT NOT VALID ({file}): {reason}' },
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
    fr: 'l’entrée ne figure pas à cette position du journal signé : le reçu a été modifié.',
    en: 'the entry is not at that position of the signed log: the receipt was altered.',
  },
  'audit.reason.otherMessage': { fr: 'l’entrée prouvée concerne un autre message.', en: 'the proven entry is about another message.' },
  'audit.reason.notAcceptance': {
    fr: 'l’entrée prouvée n’est pas l’acceptation du message par le carrefour.',
    en: 'the proven entry is not the hub’s acceptance of the message.',
  },
  'audit.reason.malformed': { fr: 'preuve ou entrée mal formée.', en: 'malformed proof or entry.' },
  'audit.reason.other': { fr: 'vérification refusée ({reason}).', en: 'check failed ({reason}).' },
  'audit.eventAccepted': { fr: 'acceptée', en: 'accepted' },
  'audit.eventRefused': { fr: 'REFUSÉE', en: 'REFUSED' },
  'audit.rowLegalBasis': { fr: 'fondement : {basis}', en: 'basis: {basis}' },
  'audit.rowCategories': { fr: 'catégories : {categories}', en: 'categories: {categories}' },
  'audit.rowReason': { fr: 'motif du refus : {reason}', en: 'refusal reason: {reason}' },
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
  'error.badReceiptAnswer': {
    fr: 'le carrefour a répondu autre chose qu’un reçu du journal pour le message {id}.',
    en: 'the hub answered something other than a log receipt for message {id}.',
  },
  'error.badReceiptFile': {
    fr: '{file} n’est pas un reçu du journal (sortie de « vigie audit receipt »).',
    en: '{file} is not a log receipt (output of "vigie audit receipt").',
  },
  'error.badRegisterAnswer': { fr: 'le carrefour a répondu autre chose qu’un registre.', en: 'the hub answered something other than a register.' },
  'error.fileUnwritable': { fr: 'impossible d’écrire {file}.', en: 'cannot write {file}.' },
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
    fr: 'Codes de sortie : 0 succès, 1 erreur, 2 usage, 3 aucune prise en charge dans le délai, 4 problème détecté dans le journal.',
    en: 'Exit codes: 0 success, 1 error, 2 usage, 3 no acknowledgement in time, 4 problem found in the log.',
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
    fr: 'Vérifie le dernier point de contrôle signé : sa signature par la clé du journal, les cosignatures des témoins indiqués par --witness (--quorum, par défaut tous), et qu’il prolonge le dernier point de contrôle vérifié (preuve de cohérence RFC 6962). Avec --full, chaque entrée est téléchargée et recalculée jusqu’à la racine signée (barre de progression sur un terminal, ou avec --progress).\nSans --log-key, la clé publiée par le carrefour est épinglée à la première vérification réussie dans <dossier>/log-trust.json; ensuite seule celle-ci est reconnue pour ce carrefour (pour en accepter une autre, confirmez-la hors bande et supprimez ce fichier). Le point de contrôle de référence (<dossier>/log-state.json, ou --state) n’est mis à jour que si tout est conforme.\nCodes de sortie : 0 journal conforme, 4 problème détecté (chacun expliqué), 1 vérification impossible, 2 usage.',
    en: 'Checks the latest signed checkpoint: its signature by the log key, cosignatures by the witnesses given with --witness (--quorum, all of them by default), and that it extends the last verified checkpoint (RFC 6962 consistency proof). With --full, every entry is downloaded and re-hashed up to the signed root (progress bar on a terminal, or with --progress).\nWithout --log-key, the key the hub publishes is pinned on the first successful check in <dir>/log-trust.json; from then on only that key is trusted for this hub (to accept another, confirm it out of band and delete that file). The reference checkpoint (<dir>/log-state.json, or --state) is only updated when everything checks out.\nExit codes: 0 the log checks out, 4 a problem was found (each explained), 1 could not check, 2 usage.',
  },
  'help.auditReceipt.summary': {
    fr: 'Télécharger le reçu du journal d’un message (preuve de son acceptation)',
    en: 'Download a message’s log receipt (proof of its acceptance)',
  },
  'help.auditReceipt.details': {
    fr: 'Avec les clés de cet appareil (membre d’un organisme émetteur ou destinataire). Le reçu (entrée du journal et preuve C2SP tlog-proof) est écrit en JSON dans <id-message>.tlog-proof.json, ou --out (- : sortie standard). Il se vérifie hors ligne avec « vigie audit prove ».',
    en: 'With this device’s keys (a member of the sending or a receiving agency). The receipt (log entry and C2SP tlog-proof) is written as JSON to <message-id>.tlog-proof.json, or --out (-: standard output). Verify it offline with "vigie audit prove".',
  },
  'help.auditProve.summary': {
    fr: 'Vérifier hors ligne un reçu du journal et afficher ce qu’il atteste',
    en: 'Verify a log receipt offline and show what it attests',
  },
  'help.auditProve.details': {
    fr: 'Aucun accès réseau : la clé du journal est --log-key, sinon celle que « vigie audit verify » a épinglée pour le journal que nomme le reçu. Vérifie la signature du point de contrôle, les cosignatures (--witness, --quorum) et l’inclusion de l’entrée (RFC 6962), puis affiche le message, son type, l’organisme émetteur, les destinataires, le fondement juridique et l’heure.\nCodes de sortie : 0 reçu valide, 4 reçu non valide (raison donnée), 1 fichier illisible ou aucune clé, 2 usage.',
    en: 'No network access: the log key is --log-key, otherwise the one "vigie audit verify" pinned for the log the receipt names. Checks the checkpoint signature, the cosignatures (--witness, --quorum) and the entry’s inclusion (RFC 6962), then shows the message, its type, the sender agency, the recipients, the legal basis and the time.\nExit codes: 0 valid receipt, 4 receipt not valid (reason given), 1 unreadable file or no key, 2 usage.',
  },
  'help.auditRegister.summary': {
    fr: 'Consulter le registre des communications (appareil auditeur)',
    en: 'Read the register of communications (auditor device)',
  },
  'help.auditRegister.details': {
    fr: 'Qui a communiqué quel type de renseignement à qui, quand et sur quel fondement, tiré du journal des divulgations (jamais le contenu). Un auditeur voit son organisme; celui d’un organisme de surveillance peut choisir --agency. Une date seule couvre toute la journée locale. --csv donne le CSV du carrefour (en-têtes dans votre langue); --out écrit le CSV, ou le JSON, dans un fichier. Chaque consultation est elle-même inscrite au journal.',
    en: 'Who communicated what kind of information to whom, when and on which basis, read from the disclosure log (never the content). An auditor sees their own agency; an oversight body’s may choose --agency. A bare date covers the whole local day. --csv gives the hub’s CSV (headers in your language); --out writes the CSV, or the JSON, to a file. Every read is itself recorded in the log.',
  },

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
  'opt.logKeyOffline': { fr: 'clé du journal (vkey); défaut : celle épinglée pour le journal du reçu', en: 'log key (vkey); default: the one pinned for the receipt’s log' },
  'opt.witnessKey': { fr: 'vkey d’un témoin reconnu (répétable)', en: 'vkey of a trusted witness (repeatable)' },
  'opt.quorum': { fr: 'cosignatures de témoins exigées (défaut : tous les --witness)', en: 'witness cosignatures required (default: every --witness)' },
  'opt.full': { fr: 'télécharger et recalculer chaque entrée', en: 'download and re-hash every entry' },
  'opt.auditState': { fr: 'fichier du point de contrôle de référence (défaut <dossier>/log-state.json)', en: 'reference checkpoint file (default <dir>/log-state.json)' },
  'opt.progress': { fr: 'barre de progression même hors d’un terminal', en: 'progress bar even outside a terminal' },
  'opt.receiptOut': { fr: 'fichier du reçu (défaut <id-message>.tlog-proof.json; - : sortie standard)', en: 'receipt file (default <message-id>.tlog-proof.json; -: standard output)' },
  'opt.registerAgency': { fr: 'organisme (organisme de surveillance seulement)', en: 'agency (oversight bodies only)' },
  'opt.registerFrom': { fr: 'depuis cette date (AAAA-MM-JJ ou date-heure)', en: 'from this date (YYYY-MM-DD or date-time)' },
  'opt.registerTo': { fr: 'jusqu’à cette date incluse', en: 'up to this date, inclusive' },
  'opt.registerType': { fr: 'type de message (danger_alert, note…)', en: 'message type (danger_alert, note…)' },
  'opt.csv': { fr: 'CSV du carrefour, en-têtes dans votre langue', en: 'the hub’s CSV, headers in your language' },
  'opt.registerOut': { fr: 'écrire dans ce fichier (CSV avec --csv, JSON sinon)', en: 'write to this file (CSV with --csv, JSON otherwise)' },
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
