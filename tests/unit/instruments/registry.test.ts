/**
 * The hub's instrument registry (server/instruments/registry.ts) on temporary
 * directories: the shipped directory loads; a file that does not validate
 * stops the start, naming the file and the JSON path of the field; every
 * problem of every file is listed at once; an id@version defined twice and a
 * file that is not JSON are refused; other files are ignored.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { InstrumentFileError, InstrumentRegistry } from '../../../server/instruments/registry.js';
import { DEFAULT_INSTRUMENTS_DIR } from '../../../server/instruments/routes.js';
import type { Instrument } from '../../../protocol/index.js';

const SHIPPED = fileURLToPath(new URL('../../../config/instruments/', import.meta.url));
const lap = JSON.parse(readFileSync(join(SHIPPED, 'lap-lethality-screen.json'), 'utf8')) as Instrument;

const dirs: string[] = [];
t.teardown(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A fresh directory holding these files (objects are written as JSON, strings as they are). */
function dirWith(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-instruments-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return dir;
}

/** Loads `dir`, expecting the refusal; returns the error. */
function refusal(t: Test, dir: string): InstrumentFileError {
  try {
    InstrumentRegistry.load(dir);
  } catch (err) {
    t.ok(err instanceof InstrumentFileError, 'an InstrumentFileError');
    const e = err as InstrumentFileError;
    t.equal(e.code, 'INSTRUMENT_INVALID');
    t.match(e.message, /^instrument files invalid \/ fichiers d’instruments invalides:\n/, 'bilingual heading');
    for (const p of e.problems) t.ok(e.message.includes(p), `the message lists: ${p}`);
    return e;
  }
  t.fail('loaded, expected a refusal');
  return new InstrumentFileError([]);
}

const version = (n: number, over: Partial<Instrument> = {}): Instrument => ({ ...structuredClone(lap), version: n, ...over });

t.test('the shipped directory loads both instruments', async (t) => {
  t.equal(join(DEFAULT_INSTRUMENTS_DIR, '/'), SHIPPED, 'the hub’s default directory is config/instruments');
  const registry = InstrumentRegistry.load(SHIPPED);
  t.same(
    registry.list().map((i) => `${i.id}@${i.version}`),
    ['grille-commune@1', 'lap-lethality-screen@1'],
  );
  t.same(registry.levels('lap-lethality-screen', 1), ['not_screened_in', 'high_danger'], 'levels, lowest first');
  t.same(registry.levels('grille-commune', 1), ['moderate', 'aggravated', 'imminent']);
  t.equal(registry.get('grille-commune', 1)?.status, 'partner_default');
  t.equal(registry.get('grille-commune', 2), null, 'an unknown version');
  t.equal(registry.levels('sara', 1), null, 'an unknown instrument');
});

t.test('several versions of one instrument live side by side; other files are ignored', async (t) => {
  const dir = dirWith({
    'lap-v1.json': version(1),
    'lap-v2.json': version(2, { levels: [...lap.levels, { id: 'extreme', labels: { fr: 'Extrême', en: 'Extreme' }, action: { fr: 'Agir', en: 'Act' } }] }),
    'README.md': '# not an instrument',
    'lap.json.bak': '{ broken',
    'notes.txt': 'x',
  });
  const registry = InstrumentRegistry.load(dir);
  t.same(
    registry.list().map((i) => `${i.id}@${i.version}`),
    ['lap-lethality-screen@1', 'lap-lethality-screen@2'],
  );
  t.same(registry.levels('lap-lethality-screen', 2), ['not_screened_in', 'high_danger', 'extreme']);
  t.same(registry.levels('lap-lethality-screen', 1), ['not_screened_in', 'high_danger'], 'version 1 unchanged');
});

t.test('a file that does not validate stops the start, naming the file and the field', async (t) => {
  const badLevel = structuredClone(lap);
  badLevel.rules[1] = { kind: 'at_least', n: 4, items: ['q4', 'q5', 'q6', 'q7'], level: 'danger_extreme' };
  const e = refusal(t, dirWith({ 'lap.json': badLevel }));
  t.same(e.problems, ['lap.json /rules/1/level: unknown level danger_extreme']);

  const noEnglish = structuredClone(lap) as unknown as { items: { text: Record<string, string> }[] };
  delete noEnglish.items[4]!.text.en;
  const e2 = refusal(t, dirWith({ 'sans-anglais.json': noEnglish }));
  t.ok(e2.problems.length > 0);
  t.ok(
    e2.problems.every((p) => p.startsWith('sans-anglais.json /items/4/text/en: ')),
    `the schema error names the file and the path: ${e2.problems.join('; ')}`,
  );

  const typo = { ...structuredClone(lap), levles: lap.levels };
  t.match(refusal(t, dirWith({ 'typo.json': typo })).problems, ['typo.json /levles: Unexpected property'], 'a misspelt field');
});

t.test('every problem of every file is listed at once, in file order', async (t) => {
  const unknownItem = structuredClone(lap);
  unknownItem.rules[0] = { kind: 'any', items: ['q1', 'q12'], level: 'high_danger' };
  const dupLevel = structuredClone(lap);
  dupLevel.id = 'autre';
  dupLevel.levels.push(structuredClone(lap.levels[0]!));
  dupLevel.rules[1] = { kind: 'at_least', n: 9, items: ['q4', 'q5', 'q6', 'q7', 'q8', 'q9', 'q10', 'q11'], level: 'high_danger' };
  const e = refusal(
    t,
    dirWith({
      'b-autre.json': dupLevel,
      'a-lap.json': unknownItem,
      'c-bon.json': version(3),
    }),
  );
  t.same(e.problems, [
    'a-lap.json /rules/0/items/1: unknown item q12',
    'b-autre.json /levels/2/id: level not_screened_in listed twice',
    'b-autre.json /rules/1/n: n is more than the 8 items',
  ]);
});

t.test('the same id@version in two files is refused', async (t) => {
  const e = refusal(t, dirWith({ 'lap.json': version(1), 'lap-copie.json': version(1) }));
  t.same(e.problems, ['lap.json: lap-lethality-screen@1 defined twice'], 'the second file in name order is named');
});

t.test('a file that is not JSON is refused with its name', async (t) => {
  const e = refusal(t, dirWith({ 'casse.json': '{ "type": "instrument", ', 'bon.json': version(1) }));
  t.equal(e.problems.length, 1);
  t.match(e.problems[0], /^casse\.json: .*JSON/);
  const empty = refusal(t, dirWith({ 'vide.json': '' }));
  t.match(empty.problems[0], /^vide\.json: /, 'an empty file');
  const notObject = refusal(t, dirWith({ 'liste.json': [lap] }));
  t.same(notObject.problems, ['liste.json /: Expected object'], 'JSON, but not an instrument');
});

t.test('an empty directory loads no instrument; a missing one stops the start', async (t) => {
  t.same(InstrumentRegistry.load(dirWith({})).list(), [], 'no instruments: protocols cannot require one');
  const missing = join(tmpdir(), `vigie-no-such-dir-${process.pid}`);
  t.throws(() => InstrumentRegistry.load(missing), { message: new RegExp(missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')) }, 'the error names the directory');
});
