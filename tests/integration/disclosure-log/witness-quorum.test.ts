// Issue 12, part 2: a client configured with witnesses refuses a checkpoint
// below their quorum (SDK and CLI alike) — it then neither sends nor trusts
// a key — and accepts it once the witnesses cosign.
import t from 'tap';
import { join } from 'node:path';
import { VigieClient } from '../../../clients/sdk/client.js';
import { LogVerificationError } from '../../../clients/sdk/log-verifier.js';
import { buildWitnessApp, witnessVkey } from '../../../clients/witness/server.js';
import { formatVkey } from '../../../protocol/log/note.js';
import { toB64u } from '../../../protocol/encoding.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { writeFileSync } from 'node:fs';
import { enrolPartners } from '../../helpers/agencies.js';
import { cliRunner, TEST_KEY_COST } from '../../helpers/cli.js';
import { writeKeyDir } from '../../../clients/harness/key-dir.js';
import { eventually, startTestHub, tempDir } from '../../helpers/env.js';

t.test('a checkpoint below the configured quorum is refused by the SDK and the CLI', async (t) => {
  const crypto = await loadSodium();
  const dataDir = tempDir(t);
  const origin = 'vigie.test/quorum';
  const seed = crypto.randomBytes(32);
  writeFileSync(join(dataDir, 'log-signing-key'), toB64u(seed), { mode: 0o600 });
  const logKey = formatVkey(crypto, origin, crypto.signKeypair(seed).publicKey);
  const witnessKeys = crypto.signKeypair();
  const witnessName = 'witness.test/partenaire';
  const vkey = witnessVkey(crypto, witnessName, witnessKeys.secretKey);

  // A hub whose checkpoints nobody cosigns.
  const hub = await startTestHub(t, { dataDir, config: { disclosureLogOrigin: origin } });
  const { shelter, worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const alert = { type: 'danger_alert' as const, recipients: ['police-laval/dispatch'], content: { text: 'x' }, ...underDanger };
  const strict = await VigieClient.connect({ url: hub.url, keys: worker.keys, pinnedRoots: { 'shelter-laval': shelter.keys.root.publicKey }, log: { logKey, witnesses: [vkey], quorum: 1 } });
  const refused = await strict.send(alert).then(() => null, (e: unknown) => e);
  t.ok(refused instanceof LogVerificationError && refused.code === 'QUORUM_NOT_MET', 'the SDK refuses the uncosigned checkpoint: nothing is sent');
  const lax = await VigieClient.connect({ url: hub.url, keys: worker.keys, pinnedRoots: { 'shelter-laval': shelter.keys.root.publicKey }, log: { logKey } });
  t.ok((await lax.send(alert)).id, 'without a required quorum, it goes (the demo)');

  // The CLI, once told which witness this device requires for this hub.
  const passphrase = 'phrase de passe de test du poste';
  const home = tempDir(t);
  const device = join(home, 'poste');
  writeKeyDir(crypto, device, worker.keys, passphrase, TEST_KEY_COST);
  const cli = cliRunner(t, { hubUrl: hub.url, cwd: home, passphrase });
  const trusted = await cli.run(device, ['audit', 'trust', '--witness', vkey, '--quorum', '1']);
  t.equal(trusted.code, 0);
  t.match(trusted.stdout, /1 cosignature\(s\) exigée\(s\) parmi 1 témoin\(s\)/, 'the setting, in French');
  const verify = await cli.run(device, ['audit', 'verify', '--log-key', logKey]);
  t.equal(verify.code, 4, 'audit verify fails below the quorum');
  t.match(verify.stdout, /PROBLÈME QUORUM_NOT_MET/);
  const send = await cli.run(device, ['send', '--to', 'police-laval/dispatch', '--type', 'note', '--protocol', 'shelter-police@1', '--legal-basis', 'apprehended_danger', '--reason', 'death_threat', '--directive', 'DIR-2026-04', '--attest', 'reasonable-cause,serious-risk,identifiable-person,urgency', '--category', 'threat', '--text', 'suivi']);
  t.not(send.code, 0, 'vigie send refuses');
  t.match(send.stderr, /QUORUM_NOT_MET/, 'and says why');

  // A second hub on the same log, now cosigned by that witness: accepted.
  await hub.app.close();
  const witness = buildWitnessApp({ name: witnessName, secretKey: witnessKeys.secretKey, logs: [{ origin, vkeys: [logKey] }], stateFile: join(dataDir, 'witness.json') });
  await witness.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => witness.close());
  const witnessUrl = `http://127.0.0.1:${(witness.server.address() as { port: number }).port}`;
  const cosigned = await startTestHub(t, { dataDir, databaseUrl: hub.config.databaseUrl!, config: { disclosureLogOrigin: origin, witnesses: [{ url: witnessUrl, vkey }], witnessQuorum: 1 } });
  const again = await VigieClient.connect({ url: cosigned.url, keys: worker.keys, pinnedRoots: { 'shelter-laval': shelter.keys.root.publicKey }, log: { logKey, witnesses: [vkey], quorum: 1 } });
  // The witness cosigns the current checkpoint as soon as the hub starts (it submits it at once).
  const sent = await eventually(async () => (await again.send(alert)).id, 15_000);
  t.ok(sent, 'once cosigned, the same client sends');
});
