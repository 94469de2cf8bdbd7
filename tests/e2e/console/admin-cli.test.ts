// Issue 13, part 1: the CLI and the console interoperate. An agency set up
// with the CLI invites a person who joins in the console, and approves her
// device from the command line; an agency set up in the console invites a
// person who joins with `vigie keys join`, and approves that device in the
// browser. Each device then works. In French and in English.
import { join } from 'node:path';
import t from 'tap';
import { admitAgency } from '../../../clients/sdk/admin.js';
import { launchBrowser, openConsole, seriousViolations } from '../../helpers/browser.js';
import { cliRunner } from '../../helpers/cli.js';
import { eventually, startTestHub, tempDir } from '../../helpers/env.js';
import { answeredFingerprint, approveInvitation, createInbox, inviteMember, joinByInvitation, waitUntilJoined } from '../../helpers/console/admin.js';
import { registerAgency } from '../../helpers/console/setup.js';

const PASSPHRASE = 'correct horse battery staple';
const FINGERPRINT = /[0-9a-f]{4}( [0-9a-f]{4}){5}/;
const WORDS = {
  fr: { casework: 'Intervention', read: 'Lisez cette empreinte', approved: /Approuvé : cet appareil est maintenant « poste-cli » de maison-cli/ },
  en: { casework: 'Casework', read: 'Read this fingerprint', approved: /Approved: this device is now “poste-cli” of maison-cli/ },
} as const;

for (const lang of ['fr', 'en'] as const) {
  const w = WORDS[lang];

  t.test(`an agency set up with the CLI invites a person who joins in the console (${lang})`, async (t) => {
    const hub = await startTestHub(t);
    const dir = tempDir(t);
    const { run: vigie } = cliRunner(t, { hubUrl: hub.url, cwd: dir, passphrase: PASSPHRASE });
    const admin = join(dir, 'admin');
    const cli = (args: string[]) => vigie(admin, [...args, '--lang', lang]);

    t.equal((await cli(['keys', 'agency', 'police-cli'])).code, 0, 'the root key made by the CLI');
    const { code } = await admitAgency(hub.url, hub.operatorToken, { agency: 'police-cli', kind: 'police', names: { fr: 'Police CLI', en: 'CLI police' } });
    t.equal((await cli(['agency', 'register', '--code', code, '--kind', 'police', '--name-fr', 'Police CLI', '--name-en', 'CLI police'])).code, 0);
    t.equal((await cli(['inbox', 'create', 'dispatch', '--name-fr', 'Répartition', '--name-en', 'Dispatch'])).code, 0);
    const invited = await cli(['member', 'invite', '--label', 'repartiteur-nuit', '--roles', 'sender,receiver', '--inbox', 'police-cli/dispatch', '--json']);
    t.equal(invited.code, 0, 'exit 0', { stderr: invited.stderr });
    const made = JSON.parse(invited.stdout) as { invitation: string; link: string };

    const browser = await launchBrowser(t);
    const person = await openConsole(browser, hub.url, lang, { width: 390, height: 844 });
    const read = await joinByInvitation(person.page, made.link, lang, 'phrase du répartiteur de nuit');
    t.same(await seriousViolations(person.page), [], 'the device waiting for its approval: no serious or critical accessibility violation');

    const listed = await cli(['member', 'invitations', '--json']);
    t.equal((JSON.parse(listed.stdout) as { fingerprint: string }[])[0]!.fingerprint, read, 'the CLI shows the fingerprint the browser shows');
    const approved = await cli(['member', 'approve', made.invitation, '--fingerprint', read]);
    t.equal(approved.code, 0, 'approved from the command line', { stderr: approved.stderr });
    await waitUntilJoined(person.page);
    t.match(await person.page.textContent('nav.roles'), w.casework, 'the device set up in the browser opens, certified by the CLI’s root key');
    t.same(person.foreign, []);
    t.same(person.errors, []);
  });

  t.test(`an agency set up in the console invites a person who joins with the CLI (${lang})`, async (t) => {
    const hub = await startTestHub(t);
    const dir = tempDir(t);
    const { run: vigie, start } = cliRunner(t, { hubUrl: hub.url, cwd: dir, passphrase: PASSPHRASE });
    const browser = await launchBrowser(t);
    const admin = await openConsole(browser, hub.url, lang);
    const { code } = await admitAgency(hub.url, hub.operatorToken, { agency: 'maison-cli', kind: 'shelter', names: { fr: 'Maison CLI', en: 'CLI shelter' } });
    await registerAgency(admin.page, hub.url, lang, { agency: 'maison-cli', kind: 'shelter', names: { fr: 'Maison CLI', en: 'CLI shelter' }, code, passphrase: 'phrase de l’administratrice' });
    await createInbox(admin.page, 'maison-cli', 'intake', { fr: 'Accueil', en: 'Intake' });
    const invited = await inviteMember(admin.page, { label: 'poste-cli', roles: ['sender', 'receiver'], inboxes: ['maison-cli/intake'] });

    const device = join(dir, 'device');
    const joining = start(device, ['keys', 'join', invited.link, '--lang', lang]);
    const read = await eventually(() => FINGERPRINT.exec(joining.out.join('').split(w.read)[1] ?? '')?.[0], 30_000);
    t.equal(await answeredFingerprint(admin.page, invited.invitation), read, 'the browser shows the fingerprint the CLI shows');
    await approveInvitation(admin.page, invited.invitation, read);
    t.equal(await joining.exit, 0, 'the CLI learns it was approved');
    t.match(joining.out.join(''), w.approved);

    const consents = await vigie(device, ['consent', 'list', '--json']);
    t.equal(consents.code, 0, 'the device set up with the CLI works, certified by the root key made in the browser', { stderr: consents.stderr });
    t.same(admin.foreign, []);
    t.same(admin.errors, []);
  });
}
