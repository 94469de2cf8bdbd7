// What to do after each refusal, for every client, in French and English; and
// the plain meaning of each condition of apprehended danger.
import t from 'tap';
import { DANGER_CONDITION_MEANINGS } from '../../../protocol/apprehended-danger.js';
import { REFUSAL_CODES } from '../../../protocol/disclosure.js';
import { OTHER_SEND_REFUSALS, REFUSAL_ADVICE, refusalAdvice } from '../../../protocol/refusal-advice.js';
import { DANGER_CONDITIONS } from '../../../protocol/vocabulary.js';

t.test('every refusal of a message says what to do, in both languages, without a command line', async (t) => {
  for (const code of [...REFUSAL_CODES, ...OTHER_SEND_REFUSALS]) {
    const advice = refusalAdvice(code);
    if (!advice) {
      t.fail(`${code} has no advice`);
      continue;
    }
    t.ok(advice.fr.length > 30 && advice.en.length > 30, `${code}: a sentence in each language`);
    t.not(advice.fr, advice.en, `${code}: translated`);
    t.notMatch(`${advice.fr} ${advice.en}`, /--|vigie |[A-Z]{2,}_[A-Z]/, `${code}: no option, command or code`);
  }
  t.same(Object.keys(REFUSAL_ADVICE).sort(), [...REFUSAL_CODES, ...OTHER_SEND_REFUSALS].sort(), 'nothing else');
  t.equal(refusalAdvice('INBOX_FORBIDDEN'), null, 'a code it does not advise on');
  t.equal(refusalAdvice('constructor'), null, 'not fooled by the prototype');
  t.match(refusalAdvice('PROTOCOL_RETIRED')!.fr, /911/, 'where the hub cannot help, 911');
});

t.test('each condition of apprehended danger has its plain meaning', async (t) => {
  t.same(Object.keys(DANGER_CONDITION_MEANINGS).sort(), Object.keys(DANGER_CONDITIONS).sort());
  for (const m of Object.values(DANGER_CONDITION_MEANINGS)) {
    t.ok(m.fr.length > 40 && m.en.length > 40);
    t.not(m.fr, m.en);
  }
});
