// Issue 13, part 4: the administrator's area in a real browser, in French and
// in English. A shelter's administrator registers the agency in the console,
// creates its inboxes, invites a worker (who joins in her own browser),
// compares the fingerprint and approves her; invites a second device and
// revokes it (that device learns it on its stream, locks itself and its keys
// are erased). The police's administrator opens a root key made by the CLI in
// another browser; both sign the shelter–police protocol in the console,
// each pinning the other's root key after comparing it. axe-core on every view.
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { enrolAgency } from '../../../clients/harness/enrol.js';
import { admitAgency } from '../../../clients/sdk/admin.js';
import { TEMPLATES_DIR } from '../../../clients/templates.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { launchBrowser, openConsole, screenshot, seriousViolations, type Person } from '../../helpers/browser.js';
import { startTestHub, tempDir } from '../../helpers/env.js';
import { writeKeyDir } from '../../../clients/harness/key-dir.js';
import { TEST_KEY_COST } from '../../helpers/cli.js';
import { rawCodes } from '../../helpers/raw-codes.js';
import {
  answeredFingerprint,
  approveInvitation,
  coSignProtocol,
  createInbox,
  go,
  inviteMember,
  joinByInvitation,
  openAdmin,
  ownFingerprint,
  pinPartner,
  retireProtocol,
  revokeMember,
  signProtocol,
  waitUntilJoined,
} from '../../helpers/console/admin.js';
import { importKeyFile, registerAgency } from '../../helpers/console/setup.js';

const WORDS = {
  fr: { roles: 'envoi, réception', active: 'actif', revoked: 'révoqué', inForce: 'en vigueur', pending: 'en attente de signatures', revokedNotice: /a été révoqué par son organisme/, casework: 'Intervention', title: 'Protocole de collaboration maison d’hébergement – service de police', other: 'Shelter – police collaboration protocol' },
  en: { roles: 'sending, receiving', active: 'active', revoked: 'revoked', inForce: 'in force', pending: 'pending signatures', revokedNotice: /was revoked by its agency/, casework: 'Casework', title: 'Shelter – police collaboration protocol', other: 'Protocole de collaboration maison d’hébergement – service de police' },
} as const;


async function clean(t: Test, who: Person, view: string) {
  t.same(await seriousViolations(who.page), [], `${view}: no serious or critical accessibility violation`);
}

for (const lang of ['fr', 'en'] as const) {
  t.test(`administrators set up their agencies, members and protocol in the console (${lang})`, async (t) => {
    const w = WORDS[lang];
    const hub = await startTestHub(t);
    const browser = await launchBrowser(t);
    const shot = (page: Person['page'], name: string) => (lang === 'fr' ? screenshot(page, name) : Promise.resolve());

    // The police service was set up with the CLI: its root key file opens in the console.
    const police = await enrolAgency(hub.url, hub.operatorToken, 'police-laval', 'police', { fr: 'Police Laval', en: 'Laval police' }, {
      dispatch: { fr: 'Répartition', en: 'Dispatch' },
      supervision: { fr: 'Superviseur de relève', en: 'Shift supervisor' },
      'duty-officer': { fr: 'Officier de service', en: 'Duty officer' },
    });
    const dir = tempDir(t);
    writeKeyDir(await loadSodium(), join(dir, 'police'), police.keys, 'phrase de la police, assez longue', TEST_KEY_COST);

    // The shelter's first administrator registers the agency in the console.
    const { code } = await admitAgency(hub.url, hub.operatorToken, { agency: 'maison-halte', kind: 'shelter', names: { fr: 'Maison Halte', en: 'Halte House' } });
    const admin = await openConsole(browser, hub.url, lang);
    await registerAgency(admin.page, hub.url, lang, { agency: 'maison-halte', kind: 'shelter', names: { fr: 'Maison Halte', en: 'Halte House' }, code, passphrase: 'phrase de l’administratrice' });

    await t.test('inboxes', async (t) => {
      await openAdmin(admin.page, 'inboxes');
      await admin.page.waitForSelector('[data-testid=inboxes-empty]');
      await createInbox(admin.page, 'maison-halte', 'intake', { fr: 'Accueil', en: 'Intake' });
      await createInbox(admin.page, 'maison-halte', 'coordination', { fr: 'Intervenante de garde', en: 'On-call worker' });
      t.equal(await admin.page.textContent('tr[data-inbox="maison-halte/intake"] [data-testid=key-version]'), '1');
      const listed = (await (await fetch(`${hub.url}/v1/agencies/maison-halte/inboxes`)).json()) as { inbox: string }[];
      t.same(listed.map((i) => i.inbox), ['maison-halte/coordination', 'maison-halte/intake'], 'both inboxes are registered, certified by the root key made in the browser');
      await admin.page.click('tr[data-inbox="maison-halte/coordination"] button[name=rotate]');
      await admin.page.waitForFunction(() => document.querySelector('tr[data-inbox="maison-halte/coordination"] [data-testid=key-version]')?.textContent === '2');
      t.pass('a new key for an inbox: version 2');
      await clean(t, admin, 'inboxes');
      await shot(admin.page, 'admin-inboxes');
    });

    const worker = await openConsole(browser, hub.url, lang, { width: 390, height: 844 });
    await t.test('invite, compare the fingerprint, approve', async (t) => {
      const invited = await inviteMember(admin.page, { label: 'intervenante-nuit', roles: ['sender', 'receiver'], inboxes: ['maison-halte/intake'], days: 3 });
      t.match(invited.link, new RegExp(`^${hub.url}/console/#/join\\?i=${invited.invitation}&c=`), 'a one-time link to the console’s join page');
      await clean(t, admin, 'the invitation made');
      await shot(admin.page, 'admin-invite');

      const read = await joinByInvitation(worker.page, invited.link, lang, 'phrase de l’intervenante');
      t.match(read, /^[0-9a-f]{4}( [0-9a-f]{4}){5}$/, 'the person’s screen shows the fingerprint to read aloud');
      await clean(t, worker, 'waiting for approval (390 px wide)');
      await shot(worker.page, 'setup-join');

      t.equal(await answeredFingerprint(admin.page, invited.invitation), read, 'the administrator sees the same fingerprint, in large groups');
      await clean(t, admin, 'comparing the fingerprint');
      await shot(admin.page, 'admin-approve');
      await approveInvitation(admin.page, invited.invitation, read);
      await waitUntilJoined(worker.page);
      t.match(await worker.page.textContent('nav.roles'), w.casework, 'the approved device opens, with the roles it was invited to');

      await openAdmin(admin.page, 'members');
      await admin.page.waitForSelector('tr[data-label="intervenante-nuit"]');
      t.match(await admin.page.textContent('tr[data-label="intervenante-nuit"]'), w.roles, 'roles in words');
      t.match(await admin.page.textContent('tr[data-label="intervenante-nuit"] [data-testid=member-state]'), w.active);
      t.equal(await admin.page.getAttribute(`tr[data-invitation="${invited.invitation}"]`, 'data-state'), 'approved', 'the invitation is approved');
      t.same(rawCodes((await admin.page.textContent('main'))!, lang), [], 'no raw code');
      await clean(t, admin, 'members and invitations');
      await shot(admin.page, 'admin-members');
      await admin.page.setViewportSize({ width: 390, height: 844 });
      await clean(t, admin, 'members and invitations at 390 px');
      await admin.page.setViewportSize({ width: 1280, height: 900 });
    });

    await t.test('revoke a device: it learns it on its stream, locks itself, its keys erased', async (t) => {
      const temp = await openConsole(browser, hub.url, lang);
      const invited = await inviteMember(admin.page, { label: 'poste-temporaire', roles: ['receiver'], inboxes: ['maison-halte/intake'] });
      const read = await joinByInvitation(temp.page, invited.link, lang, 'phrase du poste temporaire');
      await approveInvitation(admin.page, invited.invitation, read);
      await waitUntilJoined(temp.page);

      await openAdmin(admin.page, 'members');
      await admin.page.click('tr[data-label="poste-temporaire"] button[name=revoke]');
      await admin.page.waitForSelector('[data-testid=revoke-dialog][open]');
      await clean(t, admin, 'the revocation dialog');
      await shot(admin.page, 'admin-revoke');
      await admin.page.click('[data-testid=revoke-dialog] button:not([name=confirm])');
      await admin.page.waitForSelector('[data-testid=revoke-dialog]', { state: 'detached' });
      t.pass('cancel leaves the device as it was');

      await revokeMember(admin.page, 'poste-temporaire');
      t.match(await admin.page.textContent('tr[data-label="poste-temporaire"] [data-testid=member-state]'), w.revoked);
      await temp.page.waitForSelector('[role=alert].alert-banner', { timeout: 20_000 });
      t.match(await temp.page.textContent('.alert-banner[role=alert]'), w.revokedNotice, 'the revoked device says why it locked');
      const accounts = await temp.page.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const req = indexedDB.open('vigie-console');
            req.onsuccess = () => {
              const db = req.result;
              const all = db.transaction('accounts', 'readonly').objectStore('accounts').getAll();
              all.onsuccess = () => (db.close(), resolve(all.result.length));
              all.onerror = () => reject(all.error);
            };
            req.onerror = () => reject(req.error);
          }),
      );
      t.equal(accounts, 0, 'its sealed keys are erased from the browser');
      t.same(temp.errors.filter((e) => !/401|403|revoked|révoqué/i.test(e)), [], 'no unexpected error on the revoked device');
      t.same(temp.foreign, []);
      await temp.context.close();
    });

    await t.test('a member with the admin role reads, the root key signs', async (t) => {
      const coordinator = await openConsole(browser, hub.url, lang);
      const invited = await inviteMember(admin.page, { label: 'coordination', roles: ['admin'], inboxes: [] });
      const read = await joinByInvitation(coordinator.page, invited.link, lang, 'phrase de la coordonnatrice');
      await approveInvitation(admin.page, invited.invitation, read);
      await waitUntilJoined(coordinator.page);
      await openAdmin(coordinator.page, 'members');
      await coordinator.page.waitForSelector('tr[data-label="intervenante-nuit"] [data-testid=member-state]');
      t.match(await coordinator.page.textContent('tr[data-label="poste-temporaire"] [data-testid=member-state]'), w.revoked, 'the agency’s devices, read with the admin role’s token');
      t.equal(await coordinator.page.$('[data-testid=invite-link]'), null, 'no invitation without the root key');
      t.equal(await coordinator.page.$('button[name=revoke]'), null, 'no revocation either');
      await coordinator.page.waitForSelector(`tr[data-invitation="${invited.invitation}"][data-state=approved]`);
      await clean(t, coordinator, 'members, read-only');
      t.same(coordinator.foreign, []);
      t.same(coordinator.errors, []);
      await coordinator.context.close();
    });

    const policeAdmin = await openConsole(browser, hub.url, lang);
    await t.test('both agencies sign the shelter–police protocol in the console', async (t) => {
      await importKeyFile(policeAdmin.page, hub.url, lang, join(dir, 'police', 'agency.key'), 'phrase de la police, assez longue');
      await openAdmin(policeAdmin.page, 'inboxes');
      await policeAdmin.page.waitForSelector('tr[data-inbox="police-laval/dispatch"]');
      t.pass('a root key made by the CLI opens the police’s administration in the console');

      const status = await signProtocol(admin.page, join(TEMPLATES_DIR, 'shelter-police.json'), { shelter: 'maison-halte', police: 'police-laval' });
      t.equal(status, 'pending_signatures', 'signed by the shelter, submitted: it waits for the police');
      const documentRead = await admin.page.textContent('[data-testid=document-fingerprint]');
      const review = (await admin.page.textContent('[data-testid=protocol-review]'))!;
      t.match(review, w.title);
      t.same(rawCodes(review, lang), [], 'the review shows words, never a raw code');
      await clean(t, admin, 'a protocol loaded, reviewed and signed');
      await shot(admin.page, 'admin-protocol-sign');

      // The police pins the shelter's key after its administrator read the fingerprint aloud.
      const shelterReads = await ownFingerprint(admin.page);
      t.equal(await pinPartner(policeAdmin.page, 'maison-halte'), shelterReads, 'the fingerprint the shelter reads is the one the police sees');
      await clean(t, policeAdmin, 'partner keys, pinning');

      await openAdmin(policeAdmin.page, 'protocols');
      await policeAdmin.page.waitForSelector('tr[data-protocol="shelter-police@1"] [data-testid=awaits-us]');
      t.match(await policeAdmin.page.textContent('tr[data-protocol="shelter-police@1"] [data-testid=protocol-status]'), w.pending);
      await clean(t, policeAdmin, 'protocols awaiting a signature');
      await go(policeAdmin.page, 'admin/protocol/shelter-police/1');
      await policeAdmin.page.waitForSelector('[data-testid=protocol-review]');
      t.equal(await policeAdmin.page.getAttribute('tr[data-party="maison-halte"] [data-testid=signature-check]', 'data-check'), 'verified', 'the shelter’s signature, checked in the browser against the key pinned');
      t.equal(await policeAdmin.page.getAttribute('tr[data-party="police-laval"] [data-testid=key-check]', 'data-check'), 'own', 'the document names the police’s own root key');
      t.equal(
        await policeAdmin.page.textContent('[data-testid=document-fingerprint]'),
        documentRead,
        'both administrators read the same document fingerprint',
      );
      await clean(t, policeAdmin, 'a partner’s protocol to co-sign');
      await shot(policeAdmin.page, 'admin-protocol-review');

      // Both languages of the review: the switch shows the other.
      await policeAdmin.page.click('header button[lang]');
      await policeAdmin.page.waitForFunction((title) => document.querySelector('#protocol-title')?.textContent === title, w.other);
      t.same(rawCodes((await policeAdmin.page.textContent('[data-testid=protocol-review]'))!, lang === 'fr' ? 'en' : 'fr'), [], 'in the other language too');
      await policeAdmin.page.click('header button[lang]');
      await policeAdmin.page.waitForFunction((title) => document.querySelector('#protocol-title')?.textContent === title, w.title);

      t.equal(await coSignProtocol(policeAdmin.page, 'shelter-police', 1), 'active', 'co-signed by the police: in force');
      t.equal(await policeAdmin.page.getAttribute('tr[data-party="police-laval"] [data-testid=signature-check]', 'data-check'), 'verified', 'its own signature shows at once');

      await openAdmin(admin.page, 'protocols');
      await admin.page.waitForSelector('tr[data-protocol="shelter-police@1"] [data-status=active]');
      t.match(await admin.page.textContent('tr[data-protocol="shelter-police@1"] [data-testid=protocol-status]'), w.inForce);
      await clean(t, admin, 'protocols in force');
      await shot(admin.page, 'admin-protocols');

      await openAdmin(admin.page, 'partners');
      await admin.page.waitForSelector('tr[data-agency="police-laval"] [data-check=same]');
      t.pass('the police key this browser pinned is the one the hub serves');
      await clean(t, admin, 'partner keys');
      await shot(admin.page, 'admin-partners');

      const views = (await (await fetch(`${hub.url}/v1/protocols/shelter-police`)).json()) as { status: string; signedBy: string[] }[];
      t.match(views, [{ status: 'active', signedBy: ['maison-halte', 'police-laval'] }], 'the hub holds both signatures');

      // A party retires it, after a confirmation.
      await go(policeAdmin.page, 'admin/protocol/shelter-police/1');
      await policeAdmin.page.click('button[name=retire]');
      await policeAdmin.page.waitForSelector('[data-testid=retire-dialog][open]');
      await clean(t, policeAdmin, 'the retirement dialog');
      await policeAdmin.page.click('[data-testid=retire-dialog] button:not([name=confirm])');
      await policeAdmin.page.waitForSelector('[data-testid=retire-dialog]', { state: 'detached' });
      t.equal(await retireProtocol(policeAdmin.page, 'shelter-police', 1), 'retired');
      await openAdmin(admin.page, 'protocols');
      await admin.page.waitForSelector('[data-testid=protocols-superseded] tr[data-protocol="shelter-police@1"] [data-status=retired]');
      t.pass('the shelter sees it retired');
    });

    for (const [who, person] of [['shelter administrator', admin], ['worker', worker], ['police administrator', policeAdmin]] as const) {
      t.same(person.foreign, [], `${who}: no request to any third party`);
      t.same(person.errors, [], `${who}: no error in the page`);
    }
  });
}
