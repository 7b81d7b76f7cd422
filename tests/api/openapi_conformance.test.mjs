// Real answers against docs/openapi.json (issue 9): a tour of the API on the demo's data as an
// administrator, an agent and a customer, each answer checked by tests/lib/openapi.mjs (status
// listed, content type listed, JSON body fits the schema), errors included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sessionClient, readAnswer } from '../lib/server.mjs';
import { assertDocumented, documentedCall } from '../lib/openapi.mjs';

let server, admin, lucas, maria;

before(async () => {
  server = await startServer({ demo: true });
  admin = await sessionClient(server.url, 'admin@chamado.example', 'chamado-admin');
  lucas = await sessionClient(server.url, 'lucas@chamado.example', 'chamado-agent');
  maria = await sessionClient(server.url, 'maria@acme.com.br', 'chamado-customer');
});

after(async () => { await server?.stop(); });

test('what the desk reads answers as documented', async () => {
  await documentedCall(admin, 'GET', '/api/v1/health', '/api/v1/health');
  await documentedCall(admin, 'GET', '/api/v1/openapi.json', '/api/v1/openapi.json');
  await documentedCall(lucas, 'GET', '/api/v1/session', '/api/v1/session');
  for (const path of ['/api/v1/tickets', '/api/v1/queue', '/api/v1/queue?order=due', '/api/v1/priorities', '/api/v1/categories',
    '/api/v1/policy', '/api/v1/organizations', '/api/v1/contacts', '/api/v1/agents', '/api/v1/groups', '/api/v1/routing',
    '/api/v1/outbox', '/api/v1/tokens', '/api/v1/views', '/api/v1/macros', '/api/v1/reports/feature-requests']) {
    const r = await documentedCall(admin, 'GET', path, path.split('?')[0]);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
  }
  const tickets = (await admin.get('/api/v1/tickets?limit=5')).json.items;
  assert.ok(tickets.length > 0, 'the demo has tickets');
  for (const t of tickets) {
    for (const [path, template] of [[`/api/v1/tickets/${t.number}`, '/api/v1/tickets/{number}'],
      [`/api/v1/tickets/${t.number}/messages`, '/api/v1/tickets/{number}/messages'],
      [`/api/v1/tickets/${t.number}/events`, '/api/v1/tickets/{number}/events'],
      [`/api/v1/tickets/${t.number}/similar`, '/api/v1/tickets/{number}/similar']]) {
      const r = await documentedCall(lucas, 'GET', path, template);
      assert.equal(r.status, 200, `${path}: ${r.text}`);
    }
  }
  for (const kind of ['organizations', 'contacts', 'agents', 'groups']) {
    const first = (await admin.get(`/api/v1/${kind}?limit=1`)).json.items[0];
    const r = await documentedCall(admin, 'GET', `/api/v1/${kind}/${first.id}`, `/api/v1/${kind}/{id}`);
    assert.equal(r.status, 200, r.text);
  }
  const agent = (await admin.get('/api/v1/agents?limit=1')).json.items[0];
  await documentedCall(admin, 'GET', `/api/v1/agents/${agent.id}/availability`, '/api/v1/agents/{id}/availability');
  const org = (await admin.get('/api/v1/organizations?limit=1')).json.items[0];
  await documentedCall(admin, 'GET', `/api/v1/organizations/${org.id}/tam`, '/api/v1/organizations/{id}/tam');
  const contact = (await admin.get('/api/v1/contacts?limit=1')).json.items[0];
  await documentedCall(admin, 'GET', `/api/v1/contacts/${contact.id}/surveys`, '/api/v1/contacts/{id}/surveys');
  const found = await documentedCall(lucas, 'GET', '/api/v1/search/tickets?q=status:open', '/api/v1/search/tickets');
  assert.equal(found.status, 200, found.text);
  const help = await documentedCall(maria, 'GET', '/api/v1/help/search?q=password', '/api/v1/help/search');
  assert.equal(help.status, 200, help.text);
});

test('a conversation with a file answers as documented, the file with its own content type', async () => {
  const form = new FormData();
  form.append('subject', 'The invoice export is empty');
  form.append('description', 'Since this morning the CSV has only its header.');
  form.append('attachments', new Blob(['date,total\n'], { type: 'text/csv' }), 'export.csv');
  const opened = await documentedCall(maria, 'POST', '/api/v1/tickets', '/api/v1/tickets', form);
  assert.equal(opened.status, 201, opened.text);
  const number = opened.json.number;
  const messages = await documentedCall(maria, 'GET', `/api/v1/tickets/${number}/messages`, '/api/v1/tickets/{number}/messages');
  const file = messages.json.items[0].attachments[0];
  const download = await documentedCall(maria, 'GET', `/api/v1/attachments/${file.id}`, '/api/v1/attachments/{id}');
  assert.equal(download.status, 200);
  assert.equal(download.headers.get('content-type').split(';')[0], 'text/csv', 'served as the file is, not as octet-stream');
  const reply = await documentedCall(lucas, 'POST', `/api/v1/tickets/${number}/messages`, '/api/v1/tickets/{number}/messages',
    { body: 'Fixed: the export job runs again.', status: 'solved', resolution: 'fixed' });
  assert.equal(reply.status, 201, reply.text);
  const patched = await documentedCall(lucas, 'PATCH', `/api/v1/tickets/${number}`, '/api/v1/tickets/{number}', { add_tags: ['export'] });
  assert.equal(patched.status, 200, patched.text);
  const token = await documentedCall(lucas, 'POST', '/api/v1/tokens', '/api/v1/tokens', { name: 'conformance' });
  assert.equal(token.status, 201, token.text);
  const revoked = await documentedCall(lucas, 'DELETE', `/api/v1/tokens/${token.json.id}`, '/api/v1/tokens/{id}');
  assert.equal(revoked.status, 204);
});

test('refusals answer as documented', async () => {
  const missing = await documentedCall(lucas, 'GET', '/api/v1/tickets/99999', '/api/v1/tickets/{number}');
  assert.equal(missing.status, 404);
  const customer = await documentedCall(maria, 'GET', '/api/v1/queue', '/api/v1/queue');
  assert.equal(customer.status, 403);
  const badLimit = await documentedCall(lucas, 'GET', '/api/v1/tickets?limit=0', '/api/v1/tickets');
  assert.equal(badLimit.status, 400);
  const notJson = await documentedCall(lucas, 'PATCH', '/api/v1/tickets/1', '/api/v1/tickets/{number}', 'subject=x');
  assert.equal(notJson.status, 415, notJson.text);
  const anonymous = await readAnswer(await fetch(server.url + '/api/v1/tickets'));
  assert.equal(anonymous.status, 401);
  assertDocumented('GET', '/api/v1/tickets', anonymous);
  // The session cookie without X-CSRF-Token: every change made with the cookie is refused.
  const signIn = await fetch(server.url + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'lucas@chamado.example', password: 'chamado-agent' }) });
  const cookie = signIn.headers.get('set-cookie').split(';')[0];
  const noCsrf = await readAnswer(await fetch(server.url + '/api/v1/tickets/similar', { method: 'POST',
    headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ subject: 'Export' }) }));
  assert.equal(noCsrf.status, 403, noCsrf.text);
  assertDocumented('POST', '/api/v1/tickets/similar', noCsrf);
});
