/**
 * `npm run log-key` (`node dist/server/log-key.js` in the image): prints the
 * disclosure log's public key in the forms other tools need, and the
 * checkpoint origin a standard Sigsum witness (Debian's `sigsum-witness`)
 * expects for it: `sigsum.org/v1/tree/<hex SHA-256 of the key>`. It reads
 * the same settings as the hub (VIGIE_DISCLOSURE_LOG_KEY_FILE, VIGIE_DATA_DIR,
 * VIGIE_DISCLOSURE_LOG_ORIGIN) and creates the key file, as the hub would, when it is
 * absent, so that the origin can be chosen before the first start: a
 * database refuses another origin once the log has begun (log-identity.ts).
 *
 *     npm run -s log-key                # everything, in French and English
 *     npm run -s log-key -- --origin    # only the Sigsum origin (VIGIE_DISCLOSURE_LOG_ORIGIN)
 *     npm run -s log-key -- --ssh       # only the OpenSSH key (sigsum-witness --log-key)
 *     npm run -s log-key -- --json
 */
import { join } from 'node:path';
import { fromB64u, toB64u } from '../protocol/encoding.js';
import { formatVkey } from '../protocol/log/note.js';
import { sigsumOrigin, sshEd25519PublicKey } from '../protocol/log/sigsum.js';
import { loadSodium } from '../protocol/sodium.js';
import { readOrCreateSecretFile } from './auth/secrets.js';
import { ConfigError, loadConfig } from './config/load.js';

async function main(argv: string[]): Promise<number> {
  const known = new Set(['--origin', '--ssh', '--json']);
  const unknown = argv.filter((a) => !known.has(a));
  if (unknown.length > 0 || argv.length > 1) {
    process.stderr.write('Usage : npm run -s log-key [-- --origin | --ssh | --json]\nUsage: npm run -s log-key [-- --origin | --ssh | --json]\n');
    return 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 78;
    }
    throw err;
  }
  const crypto = await loadSodium();
  const file = config.disclosureLogKeyFile ?? join(config.dataDir, 'log-signing-key');
  const seed = readOrCreateSecretFile(file, () => toB64u(crypto.randomBytes(32))).trim();
  const { publicKey } = crypto.signKeypair(fromB64u(seed));
  const origin = sigsumOrigin(crypto, publicKey);
  const ssh = sshEd25519PublicKey(publicKey);
  const sigsumVkey = formatVkey(crypto, origin, publicKey);
  const configured = config.disclosureLogOrigin;
  const mode = argv[0];
  if (mode === '--origin') process.stdout.write(`${origin}\n`);
  else if (mode === '--ssh') process.stdout.write(`${ssh}\n`);
  else if (mode === '--json') {
    process.stdout.write(`${JSON.stringify({ keyFile: file, sigsumOrigin: origin, sigsumVkey, ssh, configuredOrigin: configured, configuredVkey: formatVkey(crypto, configured, publicKey) })}\n`);
  } else {
    process.stdout.write(
      [
        `Fichier de clé du journal / Log key file: ${file}`,
        `Origine de forme Sigsum (VIGIE_DISCLOSURE_LOG_ORIGIN) / Sigsum-form origin (VIGIE_DISCLOSURE_LOG_ORIGIN):`,
        `  ${origin}`,
        `vkey du journal sous cette origine / Log vkey under that origin:`,
        `  ${sigsumVkey}`,
        `Clé publique OpenSSH (sigsum-witness --log-key) / OpenSSH public key (sigsum-witness --log-key):`,
        `  ${ssh}`,
        configured === origin
          ? `VIGIE_DISCLOSURE_LOG_ORIGIN est déjà cette origine / VIGIE_DISCLOSURE_LOG_ORIGIN is already this origin.`
          : `VIGIE_DISCLOSURE_LOG_ORIGIN vaut « ${configured} » : un sigsum-witness refusera ce journal (404). Changez-la avant le premier démarrage seulement.\n` +
            `VIGIE_DISCLOSURE_LOG_ORIGIN is "${configured}": a sigsum-witness will refuse this log (404). Change it before the first start only.`,
        '',
      ].join('\n'),
    );
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`log-key: ${err.message}\n`);
    process.exit(1);
  },
);
