import t from 'tap';
import { loadSodium, randomUuid, UUID_PATTERN, type CryptoPort } from '../../../protocol/index.js';

const crypto = await loadSodium();

t.test('random UUIDs are lowercase version 4, RFC 9562 variant', async (t) => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const id = randomUuid(crypto);
    t.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    t.match(id, new RegExp(UUID_PATTERN));
    seen.add(id);
  }
  t.equal(seen.size, 200);
});

t.test('layout from known random bytes', async (t) => {
  const fixed = { ...crypto, randomBytes: (n: number) => new Uint8Array(n).fill(0xff) } satisfies CryptoPort;
  t.equal(randomUuid(fixed), 'ffffffff-ffff-4fff-bfff-ffffffffffff');
  const zero = { ...crypto, randomBytes: (n: number) => new Uint8Array(n) } satisfies CryptoPort;
  t.equal(randomUuid(zero), '00000000-0000-4000-8000-000000000000');
});
