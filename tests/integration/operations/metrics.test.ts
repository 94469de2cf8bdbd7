// Prometheus metrics at GET /metrics: latencies of a real alert, queue and
// outbox gauges, the optional bearer token, the watchdog heartbeat, and a
// scrape that stays quick when Redis does not answer.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import type { OpenedMessage } from '../../../clients/sdk/client.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { eventually, startTestHub } from '../../helpers/env.js';
import { startRedisServer } from '../../helpers/redis-server.js';

/** The value of one sample, e.g. sample(text, 'vigie_queue_jobs', '{queue="delivery",state="failed"}'); undefined when absent. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

t.test('a real alert moves the latency histograms; queue and outbox gauges; nothing identifying', async (t) => {
  const hub = await startTestHub(t);
  const scrape = async () => {
    const res = await fetch(`${hub.url}/metrics`);
    t.equal(res.status, 200, 'served without a token when none is configured');
    return { type: res.headers.get('content-type'), text: await res.text() };
  };

  const before = await scrape();
  t.match(before.type, /^text\/plain; version=0\.0\.4/, 'Prometheus text exposition format');
  t.equal(sample(before.text, 'vigie_delivery_latency_seconds_count'), 0);
  t.equal(sample(before.text, 'vigie_acknowledgement_latency_seconds_count'), 0);
  t.ok(sample(before.text, 'vigie_process_cpu_user_seconds_total') !== undefined, 'default process metrics, prefixed');
  t.equal(sample(before.text, 'vigie_escalation_steps_total', '{kind="exhausted"}'), 0, 'escalation kinds are present from the start');

  const { worker, officer, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const acknowledged: OpenedMessage[] = [];
  const stream = officer.client.stream();
  stream.on('message', async (m) => {
    await officer.client.acknowledge(m);
    acknowledged.push(m);
  });
  await stream.open();
  t.teardown(() => stream.close());

  const content = `metrics-probe-${randomBytes(6).toString('hex')}`;
  const sent = await worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: { text: content }, ...underDanger });
  await eventually(() => acknowledged.length === 1);
  t.equal(acknowledged[0]!.id, sent.id);

  const after = await eventually(async () => {
    const s = await scrape();
    return sample(s.text, 'vigie_delivery_latency_seconds_count') === 1 && sample(s.text, 'vigie_acknowledgement_latency_seconds_count') === 1 ? s : null;
  });
  t.pass('one delivery and one acknowledgement observed');
  t.ok(sample(after.text, 'vigie_delivery_latency_seconds_sum')! < 60, 'delivery latency in seconds');
  t.equal(sample(after.text, 'vigie_delivery_latency_seconds_bucket', '{le="+Inf"}'), 1);
  t.equal(sample(after.text, 'vigie_acknowledgement_latency_seconds_bucket', '{le="3600"}'), 1);
  const pending = sample(after.text, 'vigie_outbox_pending');
  t.ok(pending !== undefined && pending >= 0, 'vigie_outbox_pending is read from PostgreSQL');
  for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized']) {
    t.ok(sample(after.text, 'vigie_queue_jobs', `{queue="delivery",state="${state}"}`) !== undefined, `vigie_queue_jobs for ${state}`);
  }
  t.equal(sample(after.text, 'vigie_queue_scrape_ok', '{queue="delivery"}'), 1);

  const secrets = [sent.id, content, hub.operatorToken, 'police-laval', 'shelter-laval', 'DOSSIER-1', worker.client.memberId, officer.client.memberId];
  for (const secret of secrets) t.notOk(after.text.includes(secret), `the output does not contain ${secret.slice(0, 12)}…`);
  t.notMatch(after.text, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, 'no UUID anywhere');

  const spec = (await (await fetch(`${hub.url}/docs/json`)).json()) as { paths: Record<string, unknown> };
  t.notOk(spec.paths['/metrics'], 'not in the OpenAPI document');
});

t.test('with metricsToken: 401 without or with a wrong bearer, 200 with it', async (t) => {
  const metricsToken = randomBytes(32).toString('base64url');
  const hub = await startTestHub(t, { listen: false, config: { metricsToken } });
  const get = (authorization?: string) => hub.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

  const none = await get();
  t.equal(none.statusCode, 401);
  t.same(none.json(), { error: { code: 'UNAUTHENTICATED', message: 'Authentification requise.' } }, 'the hub’s error format');
  t.match(none.headers['www-authenticate'], /^Bearer/);
  t.equal((await get(`Bearer ${metricsToken.slice(1)}x`)).statusCode, 401, 'wrong token');
  t.equal((await get(`Bearer ${hub.operatorToken}`)).statusCode, 401, 'the operator token is not the metrics token');
  t.equal((await get(metricsToken)).statusCode, 401, 'a token without the Bearer scheme');
  const ok = await get(`Bearer ${metricsToken}`);
  t.equal(ok.statusCode, 200);
  t.match(ok.body, /vigie_delivery_latency_seconds_count 0/);
  t.notOk(ok.body.includes(metricsToken), 'the token is not echoed');
});

t.test('watchdogBeat sets the heartbeat and overdue gauges; escalation steps count by kind', async (t) => {
  const hub = await startTestHub(t, { listen: false });
  const text = async () => (await hub.app.inject({ method: 'GET', url: '/metrics' })).body;
  t.equal(sample(await text(), 'vigie_watchdog_runs_total'), 0);

  hub.app.metrics.watchdogBeat(new Date('2026-05-01T12:00:00.500Z'), { deliveries: 2, escalations: 1 });
  hub.app.metrics.watchdogBeat(new Date('2026-05-01T12:00:05Z'), { deliveries: 0, escalations: 3 });
  hub.app.metrics.escalationStep('escalated');
  hub.app.metrics.escalationStep('escalated');
  hub.app.metrics.escalationStep('unacknowledged');
  const out = await text();
  t.equal(sample(out, 'vigie_watchdog_heartbeat_timestamp_seconds'), Date.parse('2026-05-01T12:00:05Z') / 1000, 'the last run’s time, in seconds');
  t.equal(sample(out, 'vigie_watchdog_runs_total'), 2);
  t.equal(sample(out, 'vigie_deliveries_overdue'), 0);
  t.equal(sample(out, 'vigie_escalations_overdue'), 3);
  t.equal(sample(out, 'vigie_escalation_steps_total', '{kind="escalated"}'), 2);
  t.equal(sample(out, 'vigie_escalation_steps_total', '{kind="unacknowledged"}'), 1);
  t.equal(sample(out, 'vigie_escalation_steps_total', '{kind="exhausted"}'), 0);
});

t.test('a Redis that does not answer neither hangs the scrape nor hides the queue', async (t) => {
  const redis = await startRedisServer(t);
  const hub = await startTestHub(t, { redisUrl: redis.url, listen: false });
  const scrape = async () => {
    const started = Date.now();
    const res = await hub.app.inject({ method: 'GET', url: '/metrics' });
    return { status: res.statusCode, text: res.body, ms: Date.now() - started };
  };
  const up = await scrape();
  t.equal(sample(up.text, 'vigie_queue_scrape_ok', '{queue="delivery"}'), 1, 'read while Redis answers');

  await redis.stop();
  for (const attempt of [1, 2]) {
    const down = await scrape();
    t.equal(down.status, 200, `scrape ${attempt} still answers`);
    t.ok(down.ms < 1200, `scrape ${attempt} took ${down.ms} ms (bounded wait)`);
    t.equal(sample(down.text, 'vigie_queue_scrape_ok', '{queue="delivery"}'), 0, 'scrape_ok is 0');
    t.equal(sample(down.text, 'vigie_queue_jobs', '{queue="delivery",state="waiting"}'), sample(up.text, 'vigie_queue_jobs', '{queue="delivery",state="waiting"}'), 'last known counts are kept');
    t.ok(sample(down.text, 'vigie_outbox_pending') !== undefined, 'PostgreSQL metrics are still there');
  }
});
