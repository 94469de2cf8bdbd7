// The register's filters as the hub takes them, and a day of the person's
// calendar as the bound of a period (the CLI's --from/--to and the console's
// date fields share it).
import t from 'tap';
import { dayBound, registerQuery } from '../../../clients/sdk/register.js';

t.test('filters become the query string; absent ones are left out', async (t) => {
  t.equal(registerQuery({}).toString(), '');
  t.equal(
    registerQuery({ agency: 'police-laval', event: 'accepted', legalBasis: 'apprehended_danger', messageType: 'danger_alert', withoutConsent: true }).toString(),
    'agency=police-laval&event=accepted&legalBasis=apprehended_danger&messageType=danger_alert&withoutConsent=true',
  );
  t.equal(registerQuery({ withoutConsent: false }).toString(), 'withoutConsent=false', 'false is a filter too (under consent only)');
  t.equal(registerQuery({ from: '2026-11-29T05:00:00.000Z' }).get('from'), '2026-11-29T05:00:00.000Z');
});

t.test('a day is a period bound: its first instant, or its last', async (t) => {
  const start = dayBound('2026-11-29')!;
  const end = dayBound('2026-11-29', true)!;
  t.equal(new Date(start).getTime(), new Date(2026, 10, 29).getTime(), 'the first local instant of the day');
  t.equal(new Date(end).getTime(), new Date(2026, 10, 30).getTime() - 1, 'its last millisecond: "to 2026-11-29" covers that whole day');
  t.equal(dayBound('2026-02-30'), null, 'a day that does not exist');
  t.equal(dayBound('2026-13-01'), null);
  t.equal(dayBound('29/11/2026'), null, 'only YYYY-MM-DD');
  t.equal(dayBound('2024-02-29')?.slice(0, 4), '2024', 'a leap day exists');
});
