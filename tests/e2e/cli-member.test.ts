// `vigie member invite|invitations|approve|list` and `vigie keys join` end to
// end: a real hub on PostgreSQL and Redis, a shelter enrolled through the SDK,
// and the real CLI run as child processes by its administrator and by the
// invited people — answering with the link, reading the fingerprint aloud,
// approval only of the fingerprint read, waiting for it, and the device
// working once approved.
import { join } from 'node:path';
import t from 'tap';
import { enrolAgency } from '../../clients/harness/enrol.js';
import { loadSodium } from '../../protocol/sodium.js';
import { cliRunner, TEST_KEY_COST } from '../helpers/cli.js';
import { writeKeyDir } from '../../clients/harness/key-dir.js';
import { eventually, startTestHub, tempDir } from '../helpers/env.js';

const PASSPHRASE = 'correct horse battery staple';
const FINGERPRINT = /[0-9a-f]{4}( [0-9a-f]{4}){5}/;

const crypto = await loadSodium();
const dir = tempDir(t, 'vigie-cli-member');
const hub = await startTestHub(t);
const shelter = await enrolAgency(hub.url, hub.operatorToken, 'shelter-laval', 'shelter', { fr: 'Maison Laval', en: 'Laval shelter' }, { intake: { fr: 'Accueil', en: 'Intake' } });
const home = { admin: join(dir, 'admin'), night: join(dir, 'night'), day: join(dir, 'day') };
writeKeyDir(crypto, home.admin, shelter.keys, PASSPHRASE, TEST_KEY_COST);
const { run: vigie, start } = cliRunner(t, { hubUrl: hub.url, cwd: dir, passphrase: PASSPHRASE });

t.test('invite, join with the link, compare, approve', async (t) => {
  const [noLabel, badRole, noKey] = await Promise.all([
    vigie(home.admin, ['member', 'invite', '--roles', 'sender']),
    vigie(home.admin, ['member', 'invite', '--label', 'x', '--roles', 'boss']),
    vigie(home.admin, ['member', 'invite', '--label', 'x', '--roles', 'sender', '--inbox', 'shelter-laval/nowhere']),
  ]);
  t.equal(noLabel.code, 2, 'a missing --label is a usage error');
  t.equal(badRole.code, 2, 'an unknown role is a usage error');
  t.equal(noKey.code, 1);
  t.match(noKey.stderr, /ne contient pas la clé de shelter-laval\/nowhere/, 'an inbox the agency key file does not hold cannot be sealed to the device later');

  const invited = await vigie(home.admin, ['member', 'invite', '--label', 'intervenante-nuit', '--roles', 'sender,receiver', '--inbox', 'shelter-laval/intake']);
  t.equal(invited.code, 0, 'exit 0', { stderr: invited.stderr });
  t.match(invited.stdout, /Invitation signée par la clé racine pour « intervenante-nuit » : rôles envoi, réception, boîtes shelter-laval\/intake/, 'roles in words');
  const link = /^\s+(http:\S+)$/m.exec(invited.stdout)?.[1];
  t.match(link, new RegExp(`^${hub.url}/console/#/join\\?i=[0-9a-f-]{36}&c=`), 'the console’s join link on this hub');
  const invitation = /i=([0-9a-f-]{36})/.exec(link!)![1]!;

  const answered = await vigie(home.night, ['keys', 'join', link!, '--no-wait']);
  t.equal(answered.code, 0, 'exit 0', { stderr: answered.stderr });
  t.match(answered.stdout, /Invitation de shelter-laval pour « intervenante-nuit »/);
  const read = FINGERPRINT.exec(answered.stdout.split('Lisez cette empreinte')[1] ?? '')?.[0];
  t.ok(read, 'the device shows its fingerprint to read aloud');
  t.match(answered.stdout, /Empreinte de la clé racine de shelter-laval : [0-9a-f]{4}/, 'and its agency’s root key fingerprint');
  const again = await vigie(home.night, ['keys', 'join', link!, '--no-wait']);
  t.equal(again.code, 1, 'an answered invitation is not answered twice');
  t.match(again.stderr, /n’attend plus de réponse : elle est « appareil prêt : empreinte à comparer »/);

  const listed = await vigie(home.admin, ['member', 'invitations']);
  t.match(listed.stdout, new RegExp(`appareil prêt : empreinte à comparer — « intervenante-nuit » .* — ${invitation}`), 'the invitation waits for the comparison');
  t.match(listed.stdout, `empreinte de l’appareil : ${read}`);

  const [blind, wrong] = await Promise.all([
    vigie(home.admin, ['member', 'approve', invitation]),
    vigie(home.admin, ['member', 'approve', invitation, '--fingerprint', '0000 0000 0000 0000 0000 0000']),
  ]);
  t.equal(blind.code, 1, 'without a terminal, no approval without the fingerprint the person read');
  t.match(blind.stderr, /--fingerprint/);
  t.equal(wrong.code, 1, 'another fingerprint is not approved');
  t.match(wrong.stderr, /n’approuvez pas/);

  const approved = await vigie(home.admin, ['member', 'approve', invitation, '--fingerprint', read!.toUpperCase().replace(/ /g, '  ')]);
  t.equal(approved.code, 0, 'the same fingerprint, whatever its case and spacing, is approved', { stderr: approved.stderr });
  t.match(approved.stdout, /Appareil de « intervenante-nuit » certifié par la clé racine/);
  t.match(approved.stdout, read!, 'the administrator was shown the fingerprint');

  const consents = await vigie(home.night, ['consent', 'list', '--json']);
  t.equal(consents.code, 0, 'the approved device works', { stderr: consents.stderr });

  const members = await vigie(home.admin, ['member', 'list', '--lang', 'en']);
  t.match(members.stdout, /“intervenante-nuit” — active — roles sending, receiving — inboxes shelter-laval\/intake/, 'the agency’s devices, states and roles in words');
});

t.test('join waits for the approval; in English', async (t) => {
  const invited = await vigie(home.admin, ['member', 'invite', '--label', 'day-desk', '--roles', 'receiver', '--inbox', 'shelter-laval/intake', '--valid-hours', '24', '--json', '--lang', 'en']);
  t.equal(invited.code, 0, 'exit 0', { stderr: invited.stderr });
  const made = JSON.parse(invited.stdout) as { invitation: string; code: string; link: string };
  const joining = start(home.day, ['keys', 'join', made.invitation, '--code', made.code, '--lang', 'en']);
  // The device says it waits, after the fingerprint (a later write than the fingerprint's: waited for, not assumed).
  // A join that stopped says why, instead of a silent wait.
  await eventually(() => {
    if (joining.exitCode !== null) throw new Error(`keys join exited ${joining.exitCode}: ${joining.err.join('')}${joining.out.join('')}`);
    return /Waiting for approval/.test(joining.out.join(''));
  }, 30_000);
  const read = FINGERPRINT.exec(joining.out.join('').split('Read this fingerprint')[1] ?? '')?.[0];
  t.ok(read, 'the fingerprint to read aloud came before');
  const approved = await vigie(home.admin, ['member', 'approve', made.invitation, '--fingerprint', read ?? '', '--lang', 'en']);
  t.equal(approved.code, 0, 'exit 0', { stderr: approved.stderr });
  t.equal(await joining.exit, 0, 'the joining device learns it was approved');
  t.match(joining.out.join(''), /Approved: this device is now “day-desk” of shelter-laval/);

  const help = await vigie(home.day, ['keys', 'join', '--help', '--lang', 'en']);
  t.match(help.stdout, /Make this device’s keys and answer an invitation/);
  const frHelp = await vigie(home.day, ['member', 'invite', '--help']);
  t.match(frHelp.stdout, /Inviter une personne à inscrire son appareil/);
  t.match(frHelp.stdout, /Envoi \(sender\)|envoi \(sender\)/, 'roles listed in words with the code to type');
});
