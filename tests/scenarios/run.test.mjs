// Plays every scenario in this folder through the real server with the test clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chamadoBin, repoRoot, startServer, tokenClient } from '../lib/server.mjs';
import { problemsOf, readScenario } from './format.mjs';

const here = dirname(fileURLToPath(import.meta.url));

function parseOffset(text) {
  const m = /^\+((?:\d+[dhms])+)$/.exec(text);
  if (!m) return null;
  let ms = 0;
  for (const [, n, u] of m[1].matchAll(/(\d+)([dhms])/g)) ms += Number(n) * { d: 86400000, h: 3600000, m: 60000, s: 1000 }[u];
  return ms;
}

function instantOf(at, start) {
  const off = parseOffset(String(at));
  if (off !== null) return new Date(start.getTime() + off);
  const d = new Date(String(at));
  assert.ok(!Number.isNaN(d.getTime()), `"${at}" is neither an offset like +30m nor an instant`);
  return d;
}

async function play(file) {
  const sc = readScenario(join(here, file), file);
  const data = mkdtempSync(join(tmpdir(), 'chamado-scenario-'));
  const cli = (...args) => execFileSync(chamadoBin, [...args, '--data', data], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  cli('policy', 'apply', join(repoRoot, 'examples', 'policies', sc.policy));
  cli('user', 'add', '--role', 'admin', '--email', 'admin@scenario.test', '--password', 'scenario-admin');
  const tokenOf = (email) => cli('token', 'create', '--email', email).trim().split('\n').pop();
  const server = await startServer({ data, extraArgs: ['--test-clock'] });
  try {
    const admin = tokenClient(server.url, tokenOf('admin@scenario.test'));
    const start = new Date(sc.start);
    let now = start;
    const setClock = async (t) => {
      assert.ok(t >= now, `steps go forward in time (${t.toISOString()} is before ${now.toISOString()})`);
      const r = await admin.post('/api/v1/test/clock', { set: t.toISOString() });
      assert.equal(r.status, 200, r.text);
      now = t;
    };
    await setClock(start);
    const ok = (r, what) => assert.ok(r.status < 300, `${what}: ${r.status} ${r.text}`);
    const groups = {};
    for (const g of sc.groups ?? []) {
      const r = await admin.post('/api/v1/groups', { name: g.name });
      ok(r, `group ${g.name}`);
      groups[g.name] = r.json.id;
    }
    const people = {};
    for (const a of sc.agents ?? []) {
      const r = await admin.post('/api/v1/agents', {
        email: a.email, name: a.name ?? a.email, password: 'scenario-pass', group_ids: (a.groups ?? []).map((n) => groups[n]),
        ...(a.languages && { languages: a.languages }),
      });
      ok(r, `agent ${a.email}`);
      people[a.email] = { id: r.json.id, client: tokenClient(server.url, tokenOf(a.email)) };
      if (a.capacity !== undefined) ok(await admin.patch(`/api/v1/agents/${r.json.id}/availability`, { capacity: a.capacity }), `capacity of ${a.email}`);
    }
    const orgs = {};
    for (const o of sc.organizations ?? []) {
      const r = await admin.post('/api/v1/organizations', { name: o.name, plan: o.plan ?? '', domains: o.domains ?? [] });
      ok(r, `organization ${o.name}`);
      orgs[o.name] = r.json.id;
      if (o.tam || o.tam_backup) {
        const idOf = (email) => (email ? people[email]?.id ?? assert.fail(`unknown agent ${email}`) : null);
        ok(await admin.put(`/api/v1/organizations/${r.json.id}/tam`, { tam_id: idOf(o.tam), tam_backup_id: idOf(o.tam_backup) }), `TAM of ${o.name}`);
      }
    }
    const agentClient = (email) => (email ? people[email]?.client : admin) ?? assert.fail(`unknown agent ${email}`);
    const tickets = {};
    const numberOf = (ref) => tickets[ref] ?? assert.fail(`unknown ticket "${ref}"`);

    for (const [i, step] of (sc.steps ?? []).entries()) {
      const where = `${file} step ${i + 1} (at ${step.at})`;
      await setClock(instantOf(step.at, start));
      if (step.open) {
        const o = step.open;
        const fields = {
          subject: o.subject ?? 'Scenario ticket', description: o.description ?? 'Scenario description',
          ...(o.priority && { priority: o.priority }), channel: o.channel ?? 'web',
          ...(o.category && { category: o.category }),
        };
        let body = { ...fields, requester: { email: o.requester }, ...(o.tags && { tags: o.tags }), ...(o.details && { custom_fields: o.details }) };
        if (o.files) {
          // A category's attachment details arrive as files under detail.KEY: a form, as the portal sends.
          body = new FormData();
          for (const [k, v] of Object.entries(fields)) body.append(k, String(v));
          body.append('requester_email', o.requester);
          if (o.tags) body.append('tags', o.tags.join(','));
          for (const [k, v] of Object.entries(o.details ?? {})) body.append(`custom_fields.${k}`, String(v));
          for (const k of o.files) body.append(`detail.${k}`, new Blob(['scenario screenshot'], { type: 'image/png' }), `${k}.png`);
        }
        const r = await agentClient(o.by).post('/api/v1/tickets', body);
        ok(r, where);
        tickets[o.ticket] = r.json.number;
      } else if (step.reply) {
        const o = step.reply;
        const r = await agentClient(o.by).post(`/api/v1/tickets/${numberOf(o.ticket)}/messages`, {
          body: o.body ?? 'Agent reply', kind: o.kind ?? 'public_reply', ...(o.status && { status: o.status }),
        });
        ok(r, where);
      } else if (step.customer_reply) {
        const o = step.customer_reply;
        people[o.by] ??= { client: tokenClient(server.url, tokenOf(o.by)) };
        const r = await people[o.by].client.post(`/api/v1/tickets/${numberOf(o.ticket)}/messages`, { body: o.body ?? 'Customer reply' });
        ok(r, where);
      } else if (step.auto_reply) {
        // An out-of-office answer by email, as mail clients send them (RFC 3834).
        const o = step.auto_reply;
        const number = numberOf(o.ticket);
        const raw = [`From: ${o.by}`, 'To: support@desk.test', `Subject: Automatic reply: [#${number}]`,
          `Message-ID: <auto-${number}-${i}@scenario.test>`, 'Auto-Submitted: auto-replied', 'MIME-Version: 1.0',
          'Content-Type: text/plain; charset=utf-8', '', o.body ?? 'I am out of the office until Monday.', ''].join('\r\n');
        const r = await admin.post('/api/v1/mail/inbound', raw, { 'content-type': 'message/rfc822' });
        ok(r, where);
        assert.equal(r.json.automatic, 'auto_reply', `${where}: the mail was not taken as an auto-reply (${r.text})`);
        assert.equal(r.json.ticket, number, `${where}: the auto-reply did not join its ticket (${r.text})`);
      } else if (step.update) {
        const { ticket, by, group, assignee, ...patch } = step.update;
        if (group !== undefined) patch.group_id = group ? groups[group] : null;
        if (assignee !== undefined) patch.assignee_id = assignee ? people[assignee].id : null;
        const r = await agentClient(by).patch(`/api/v1/tickets/${numberOf(ticket)}`, patch);
        ok(r, where);
      } else if (step.set_plan) {
        const r = await admin.patch(`/api/v1/organizations/${orgs[step.set_plan.organization]}`, { plan: step.set_plan.plan });
        ok(r, where);
      } else if (step.availability) {
        const { agent, ...change } = step.availability;
        const person = people[agent] ?? assert.fail(`unknown agent ${agent}`);
        // An agent marks themself away or back; capacity is the administrator's.
        const by = change.capacity === undefined ? person.client : admin;
        ok(await by.patch(`/api/v1/agents/${person.id}/availability`, change), where);
      } else if (step.check) {
        await check(admin, numberOf(step.check.ticket), step.check, where, groups, people);
      }
    }
  } finally {
    await server.stop();
  }
}

const same = (a, b) => new Date(a).getTime() === new Date(b).getTime();

async function check(admin, number, c, where, groups, people) {
  const t = (await admin.get(`/api/v1/tickets/${number}`)).json;
  if (c.status) assert.equal(t.status, c.status, `${where}: status`);
  if (c.priority) assert.equal(t.priority, c.priority, `${where}: priority`);
  if (c.resolution !== undefined) assert.equal(t.resolution, c.resolution, `${where}: resolution`);
  if (c.escalation_level !== undefined) assert.equal(t.escalation_level, c.escalation_level, `${where}: escalation level`);
  if (c.group !== undefined) assert.equal(t.group?.id ?? null, c.group ? groups[c.group] : null, `${where}: group`);
  if (c.assignee !== undefined) assert.equal(t.assignee?.email ?? '', c.assignee, `${where}: assignee`);
  for (const [target, want] of Object.entries(c.clocks ?? {})) {
    const got = t.clocks.find((k) => k.target === target);
    assert.ok(got, `${where}: no ${target} clock (clocks: ${JSON.stringify(t.clocks)})`);
    for (const [k, v] of Object.entries(want)) {
      if (k.endsWith('_at')) assert.ok(got[k] && same(got[k], v), `${where}: ${target}.${k} is ${got[k]}, want ${v}`);
      else assert.equal(got[k], v, `${where}: ${target}.${k} (clock ${JSON.stringify(got)})`);
    }
  }
  for (const target of c.no_clocks ?? []) assert.ok(!t.clocks.some((k) => k.target === target), `${where}: unexpected ${target} clock`);
  if (c.events || c.absent_events || c.event_counts) {
    const events = (await admin.get(`/api/v1/tickets/${number}/events?limit=200`)).json.items;
    const labels = events.map((e) => {
      const target = e.changes.find((x) => x.field === 'target')?.after;
      return target ? [e.kind, `${e.kind}:${target}`] : [e.kind];
    }).flat();
    for (const e of c.events ?? []) assert.ok(labels.includes(e), `${where}: no event ${e} (events: ${labels.join(', ')})`);
    for (const e of c.absent_events ?? []) assert.ok(!labels.includes(e), `${where}: unexpected event ${e}`);
    for (const [kind, n] of Object.entries(c.event_counts ?? {}))
      assert.equal(events.filter((e) => e.kind === kind).length, n, `${where}: how many ${kind} events`);
  }
  if (c.notifications) {
    const queued = (await admin.get(`/api/v1/outbox?ticket_number=${number}&limit=200`)).json.items;
    for (const n of c.notifications) {
      const found = queued.some((q) => Object.entries(n).every(([k, v]) => q[k] === v));
      assert.ok(found, `${where}: no notification ${JSON.stringify(n)} (queued: ${JSON.stringify(queued.map((q) => [q.kind, q.recipient, q.event]))})`);
    }
  }
}

for (const file of readdirSync(here).filter((f) => f.endsWith('.toml')).sort()) {
  test(file, async () => { await play(file); });
}

// Each file in invalid/ lists, in its "# refused: " comments, the start of every message the
// runner must refuse it with.
for (const file of readdirSync(join(here, 'invalid')).filter((f) => f.endsWith('.toml')).sort()) {
  test(`invalid/${file} is refused`, () => {
    const text = readFileSync(join(here, 'invalid', file), 'utf8');
    const want = [...text.matchAll(/^# refused: (.*)$/gm)].map((m) => m[1]);
    assert.ok(want.length, 'the file says how it must be refused');
    const got = problemsOf(text, `invalid/${file}`);
    assert.equal(got.length, want.length, got.join('\n'));
    want.forEach((w, i) => assert.ok(got[i].startsWith(w), `got\n  ${got[i]}\nwant\n  ${w}…`));
  });
}
