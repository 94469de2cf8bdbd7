// The CLI's i18n table: every sentence exists in both languages, with the same
// `{placeholders}`, so that no value silently disappears in one language.
import t from 'tap';
import { MESSAGES, parseLang, t as translate } from '../../clients/cli/i18n.js';
import { contentLines, clean } from '../../clients/cli/format.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

t.test('every entry has French and English with the same placeholders', async (t) => {
  const entries = Object.entries(MESSAGES);
  t.ok(entries.length > 100);
  for (const [key, { fr, en }] of entries) {
    if (!fr.trim() || !en.trim()) t.fail(`${key} is empty in one language`);
    if (placeholders(fr).join() !== placeholders(en).join()) t.fail(`${key}: {placeholders} differ between fr and en`);
  }
  t.equal(translate('fr', 'send.sent', { id: 'x' }), 'Message envoyé : x');
  t.equal(translate('en', 'send.sent', { id: 'x' }), 'Message sent: x');
});

t.test('language selection', async (t) => {
  t.equal(parseLang('en'), 'en');
  t.equal(parseLang('fr_CA.UTF-8'), 'fr');
  t.equal(parseLang('EN-us'), 'en');
  t.equal(parseLang('de'), null);
  t.equal(parseLang(undefined), null);
});

t.test('content from another party cannot drive the terminal', async (t) => {
  t.equal(clean('a\u001b[2Jb\u202ec'), 'a\uFFFD[2Jb\uFFFDc', 'escape sequences and bidi overrides are neutralised');
  t.same(contentLines({ text: 'ligne 1\nligne 2', case: 'A-1' }), ['ligne 1', 'ligne 2', 'case: A-1']);
  t.same(contentLines({ text: 42 }), ['text: 42']);
});
