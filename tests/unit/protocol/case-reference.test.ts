// The pseudonymous case reference: the wire pattern, and a conservative check
// that refuses what obviously identifies a person, with words for each problem.
import t from 'tap';
import { CASE_REFERENCE_PROBLEMS, CASE_REFERENCE_RULE, caseReferenceProblem, type CaseReferenceProblem } from '../../../protocol/case-reference.js';

t.test('pseudonymous references pass', async (t) => {
  for (const ok of ['DOSSIER-1', 'DOSSIER-2026-014', 'CASE-2026-014', 'ML-2025-0099', 'A-1', 'DEMO-0001', '2026-014', 'dossier_7.b', '123456789']) {
    t.equal(caseReferenceProblem(ok), null, ok);
  }
});

t.test('what identifies a person is refused, each with its reason', async (t) => {
  const cases: [string, CaseReferenceProblem][] = [
    ['Marie Tremblay', 'format'],
    ['Marie-Tremblay', 'no_digit'],
    ['marie.tremblay', 'no_digit'],
    ['CASE-REVOKED', 'no_digit'],
    ['marie@example.org', 'email'],
    ['514-555-0199', 'phone'],
    ['5145550199', 'phone'],
    ['1 514 555 0199', 'phone'],
    ['046 454 286', 'insurance_number'],
    ['046-454-286', 'insurance_number'],
    ['TREM 8055 1212', 'insurance_number'],
    ['TREM80551212', 'insurance_number'],
    ['Élise-12', 'format'],
    ['', 'format'],
    [' DOSSIER-1', 'format'],
    [`X${'1'.repeat(64)}`, 'format'],
  ];
  for (const [value, problem] of cases) t.equal(caseReferenceProblem(value), problem, `${value || '(empty)'} → ${problem}`);
});

t.test('the rule and every problem are worded in French and English', async (t) => {
  for (const labels of [CASE_REFERENCE_RULE, ...Object.values(CASE_REFERENCE_PROBLEMS)]) {
    t.ok(labels.fr.length > 20 && labels.en.length > 20);
    t.not(labels.fr, labels.en);
  }
  t.same(Object.keys(CASE_REFERENCE_PROBLEMS).sort(), ['email', 'format', 'insurance_number', 'no_digit', 'phone']);
});
