// The CLI seals key files with Argon2id at "moderate" cost unless told
// otherwise: the tests that run the CLI ask for "interactive" (VIGIE_KDF) to
// stay fast, so the default a workstation gets is proven here.
import t from 'tap';
import { kdfParams } from '../../../clients/cli/key-store.js';
import { UsageError } from '../../../clients/cli/errors.js';
import { loadSodium } from '../../../protocol/sodium.js';

t.test('moderate by default, interactive when asked, anything else refused', async (t) => {
  const crypto = await loadSodium();
  t.same(kdfParams(crypto, {}), crypto.argon2idModerate, 'no VIGIE_KDF: moderate');
  t.same(kdfParams(crypto, { VIGIE_KDF: 'moderate' }), crypto.argon2idModerate);
  t.same(kdfParams(crypto, { VIGIE_KDF: 'interactive' }), crypto.argon2idInteractive, 'VIGIE_KDF=interactive: the lighter cost');
  t.ok(crypto.argon2idModerate.memlimit > crypto.argon2idInteractive.memlimit && crypto.argon2idModerate.opslimit > crypto.argon2idInteractive.opslimit, 'moderate is the harder of the two');
  t.throws(() => kdfParams(crypto, { VIGIE_KDF: 'min' }), UsageError, 'an unknown cost is a usage error, not a silent default');
});
