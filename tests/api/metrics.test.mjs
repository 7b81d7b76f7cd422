// /metrics (issue 14): the real output passes Debian's `promtool check metrics`; the desk's
// gauges say what the store holds; HTTP latency is labelled by route template, never by raw
// path; and only the scrapers the operator allowed ([metrics] access) get it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, tokenClient } from '../lib/server.mjs';

let s, admin;

before(async () => {
  s = await startServer({ extraArgs: ['--test-clock'] });
  s.addUser('admin', 'admin@desk.test');
  admin = tokenClient(s.url, s.token('admin@desk.test'));
  await admin.post('/api/v1/test/clock', { set: '2026-03-02T12:00:00Z' });
  for (const priority of ['P1', 'P3', 'P3']) {
    const r = await admin.post('/api/v1/tickets', { subject: `A ${priority} case`, description: 'Details.', priority, requester: { email: 'ana@acme.example' } });
    assert.equal(r.status, 201, r.text);
  }
  assert.equal((await admin.get('/api/v1/tickets/1')).status, 200);
  assert.equal((await admin.get('/api/v1/tickets/2')).status, 200);
  assert.equal((await admin.get('/api/v1/tickets/999')).status, 404);
  // Two hours on: the P1's first response (1 h, around the clock) is breached by the scheduler.
  assert.equal((await admin.post('/api/v1/test/clock', { set: '2026-03-02T14:00:00Z' })).status, 200);
});
after(async () => { await s?.stop(); });

async function scrape(url = s.url, headers = {}) {
  const res = await fetch(`${url}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

test('the real output passes promtool check metrics', async () => {
  const m = await scrape();
  assert.equal(m.status, 200, m.text);
  assert.match(m.type, /^text\/plain; version=0\.0\.4/);
  const check = spawnSync('promtool', ['check', 'metrics'], { input: m.text, encoding: 'utf8' });
  assert.equal(check.error, undefined, 'promtool runs (Debian package prometheus; scripts/test installs it)');
  assert.equal(check.status, 0, `promtool:\n${check.stdout}${check.stderr}\n---\n${m.text}`);
  assert.equal(`${check.stdout}${check.stderr}`.trim(), '', 'no lint problem either');
});

test('tickets, clocks, outbox and scheduler as the store holds them', async () => {
  const { text } = await scrape();
  const lines = text.split('\n');
  assert.ok(lines.includes('chamado_tickets{status="new",priority="P1"} 1'), text);
  assert.ok(lines.includes('chamado_tickets{status="new",priority="P3"} 2'), text);
  assert.ok(lines.includes('chamado_sla_clocks{target="first_response",state="breached"} 1'), text);
  assert.ok(lines.includes('chamado_sla_clocks{target="first_response",state="running"} 2'), text);
  assert.ok(lines.includes('chamado_scheduler_lag_seconds 0'), 'the test clock fires what is due before it answers');
  // No mail transport is configured: the acknowledgements wait, as old as the tickets.
  assert.ok(lines.includes('chamado_outbox_pending{kind="email"} 3'), text);
  assert.ok(lines.includes('chamado_outbox_oldest_pending_age_seconds{kind="email"} 7200'), text);
  for (const family of ['chamado_outbox_pending', 'chamado_outbox_oldest_pending_age_seconds', 'chamado_mail_received', 'chamado_sla_overdue_clocks'])
    assert.ok(lines.includes(`# TYPE ${family} gauge`), family);
});

test("the status page's probes: each one's last check", async () => {
  const component = await admin.post('/api/v1/status/components', { key: 'api', names: { en: 'API' } });
  assert.equal(component.status, 201, component.text);
  const up = await admin.post(`/api/v1/status/components/${component.json.id}/probes`,
    { kind: 'http', target: `${s.url}/api/v1/health`, expect_status: 200, interval_seconds: 60, timeout_seconds: 5 });
  assert.equal(up.status, 201, up.text);
  const down = await admin.post(`/api/v1/status/components/${component.json.id}/probes`,
    { kind: 'http', target: `${s.url}/api/v1/health`, expect_status: 204, interval_seconds: 60, timeout_seconds: 5 });
  assert.equal(down.status, 201, down.text);
  // The test clock runs the probes due when it moves.
  assert.equal((await admin.post('/api/v1/test/clock', { advance: '1s' })).status, 200);
  const { text } = await scrape();
  const lines = text.split('\n');
  assert.ok(lines.includes(`chamado_status_probe_up{component="api",probe="${up.json.id}",kind="http"} 1`), text);
  assert.ok(lines.includes(`chamado_status_probe_up{component="api",probe="${down.json.id}",kind="http"} 0`), text);
  assert.ok(lines.includes(`chamado_status_probe_last_check_age_seconds{component="api",probe="${up.json.id}",kind="http"} 0`), text);
  assert.ok(lines.some((l) => l.startsWith(`chamado_status_probe_duration_seconds{component="api",probe="${up.json.id}",kind="http"} `)), text);
  const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
});

test('HTTP latency histograms by route template, not by raw path', async () => {
  const { text } = await scrape();
  assert.ok(text.includes('chamado_http_request_duration_seconds_count{method="GET",route="/api/v1/tickets/{number}"} 3'), text);
  assert.ok(text.includes('chamado_http_responses_total{method="GET",route="/api/v1/tickets/{number}",code="404"} 1'), text);
  assert.ok(text.includes('chamado_http_request_duration_seconds_bucket{method="POST",route="/api/v1/tickets",le="+Inf"} 3'), text);
  assert.doesNotMatch(text, /route="\/api\/v1\/tickets\/\d/);
});

test('who may scrape: local clients by default, a bearer token, or nobody', async () => {
  // Behind a trusted proxy on this machine, the client is who the proxy says: not local.
  const proxied = await startServer({ env: { CHAMADO_SERVER_TRUSTED_PROXIES: '127.0.0.1' } });
  try {
    assert.equal((await scrape(proxied.url, { 'x-forwarded-for': '203.0.113.9' })).status, 403);
    assert.equal((await scrape(proxied.url)).status, 200);
  } finally {
    await proxied.stop();
  }
  const token = 'b3f1c0d2a9e84f67b3f1c0d2a9e84f67';
  const withToken = await startServer({ env: { CHAMADO_METRICS_ACCESS: 'token', CHAMADO_METRICS_TOKEN: token } });
  try {
    assert.equal((await scrape(withToken.url)).status, 401);
    assert.equal((await scrape(withToken.url, { authorization: 'Bearer wrong-token-wrong-token' })).status, 401);
    assert.equal((await scrape(withToken.url, { authorization: `Bearer ${token}` })).status, 200);
  } finally {
    await withToken.stop();
  }
  const off = await startServer({ env: { CHAMADO_METRICS_ACCESS: 'off' } });
  try {
    assert.equal((await scrape(off.url)).status, 404);
  } finally {
    await off.stop();
  }
});
