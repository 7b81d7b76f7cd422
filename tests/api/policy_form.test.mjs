// The policy read as a form (issue 9): each calendar carries its week of opening hours, so
// the policy page can show "Mon – Fri 09:00–18:00" beside the TOML.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';

let server, agent;

before(async () => {
  server = await startServer();
  server.addUser('agent', 'lia@desk.test', 'agent-pass-1');
  agent = tokenClient(server.url, server.token('lia@desk.test'));
});

after(async () => { await server?.stop(); });

test("the built-in policy's calendars: business hours Monday to Friday, always-open with no hours", async () => {
  const r = await agent.get('/api/v1/policy');
  assert.equal(r.status, 200, r.text);
  assertDocumented('GET', '/api/v1/policy', r);
  const business = r.json.calendars.find((c) => c.name === 'business');
  const nineToSix = [{ start: '09:00', end: '18:00' }];
  assert.deepEqual(business.hours, [nineToSix, nineToSix, nineToSix, nineToSix, nineToSix, [], []]);
  const always = r.json.calendars.find((c) => c.always_open);
  assert.deepEqual(always.hours, [[], [], [], [], [], [], []]);
});

test('split days and a closing at midnight read as written', async () => {
  server.addUser('admin', 'boss@desk.test', 'admin-pass-1');
  const admin = tokenClient(server.url, server.token('boss@desk.test'));
  const source = `name = "Split"
default_priority = "P2"
[calendars.shop]
tz = "America/Sao_Paulo"
hours = { mon = [["08:00", "12:00"], ["13:30", "24:00"]], sat = [["09:00", "13:00"]] }
[[priorities]]
name = "P2"
description = "Normal"
[[targets]]
target = "resolution"
within = "2d"
calendar = "shop"
`;
  const put = await admin.request('PUT', '/api/v1/policy', { source });
  assert.equal(put.status, 200, put.text);
  const shop = (await agent.get('/api/v1/policy')).json.calendars.find((c) => c.name === 'shop');
  assert.deepEqual(shop.hours, [[{ start: '08:00', end: '12:00' }, { start: '13:30', end: '24:00' }], [], [], [], [], [{ start: '09:00', end: '13:00' }], []]);
});
