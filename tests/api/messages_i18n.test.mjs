// Server messages in the caller's language: the signed-in person's language, else the
// request's Accept-Language, else English. `code` and `field` stay the same for programs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tokenClient, sessionClient, readAnswer } from '../lib/server.mjs';

let s, admin, joana;

before(async () => {
  s = await startServer();
  s.addUser('admin', 'admin@desk.test');
  admin = tokenClient(s.url, s.token('admin@desk.test'));
  const org = await admin.post('/api/v1/organizations', { name: 'Cliente SA', language: 'pt-BR' });
  assert.equal(org.status, 201, org.text);
  const c = await admin.post('/api/v1/contacts', { email: 'joana@cliente.test', name: 'Joana', language: 'pt-BR', organization_id: org.json.id, password: 'password-123' });
  assert.equal(c.status, 201, c.text);
  joana = await sessionClient(s.url, 'joana@cliente.test', 'password-123');
});
after(async () => { await s?.stop(); });

async function signIn(password, headers = {}) {
  return readAnswer(await fetch(`${s.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email: 'joana@cliente.test', password }),
  }));
}

test('before signing in, Accept-Language chooses the language; without it, English', async () => {
  const de = await signIn('wrong-password-1', { 'accept-language': 'de-DE,de;q=0.9,en;q=0.8' });
  assert.equal(de.status, 401);
  assert.deepEqual([de.json.code, de.json.title, de.json.detail],
    ['unauthenticated', 'Anmeldung erforderlich', 'E-Mail-Adresse oder Passwort sind nicht richtig.']);
  const ru = await signIn('wrong-password-1', { 'accept-language': 'fr, ru;q=0.5' });
  assert.equal(ru.json.detail, 'Неверный адрес электронной почты или пароль.');
  const plain = await signIn('wrong-password-1');
  assert.deepEqual([plain.json.title, plain.json.detail], ['Sign-in required', 'The email or password is not right.']);
  const unknown = await signIn('wrong-password-1', { 'accept-language': 'fr-FR' });
  assert.equal(unknown.json.detail, 'The email or password is not right.');
});

test("a signed-in person's own language wins over the browser's, field by field", async () => {
  const r = await joana.post('/api/v1/tickets', { subject: ' ', description: 'Não consigo exportar.' }, { 'accept-language': 'en' });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.code, 'invalid_argument');
  assert.equal(r.json.title, 'Pedido inválido');
  assert.deepEqual(r.json.errors.map((e) => [e.field, e.message]),
    [['subject', 'O assunto está vazio; diga em poucas palavras do que se trata o pedido.']]);
  assert.equal(r.json.detail, r.json.errors[0].message);
  const empty = await joana.post('/api/v1/tickets', { subject: 'Exportar', description: ' ' });
  assert.deepEqual(empty.json.errors.map((e) => [e.field, e.message]),
    [['description', 'O campo "description" está vazio; escreva o que você precisa.']]);

  const missing = await joana.get('/api/v1/tickets/999999');
  assert.deepEqual([missing.status, missing.json.code, missing.json.detail], [404, 'not_found', 'O chamado #999999 não existe.']);
  const staffOnly = await joana.get('/api/v1/queue');
  assert.deepEqual([staffOnly.status, staffOnly.json.code, staffOnly.json.detail], [403, 'permission_denied', 'Só agentes podem usar /api/v1/queue.']);
  const unknownField = await joana.post('/api/v1/tickets', { subject: 'Ajuda', description: 'Texto', color: 'blue', size: 2 });
  assert.equal(unknownField.status, 400);
  assert.deepEqual(unknownField.json.errors.map((e) => e.field), ['color', 'size']);
  assert.match(unknownField.json.errors[0].message, /^Campo desconhecido "color"; os campos aceitos são: /);
  assert.equal(unknownField.json.detail, `${unknownField.json.errors[0].message} (e mais 1 problema(s), listados em errors)`);

  // Her own profile: what only an agent may change, and a time zone that does not exist.
  const profile = await joana.patch(`/api/v1/contacts/${joana.user.id}`, { email: 'joana@outra.test', time_zone: 'Mars/Olympus' });
  assert.equal(profile.status, 400, profile.text);
  assert.deepEqual(profile.json.errors.map((e) => [e.field, e.message]), [
    ['email', 'Peça a um agente para mudar o seu endereço de e-mail.'],
    ['time_zone', 'Fuso horário desconhecido "Mars/Olympus"; use um nome IANA como America/Sao_Paulo ou Europe/Berlin.'],
  ]);
});

test('an API token speaks its owner language; an English admin reads English', async () => {
  const r = await admin.get('/api/v1/tickets/424242', { 'accept-language': 'pt-BR' });
  assert.deepEqual([r.status, r.json.detail], [404, 'Ticket #424242 does not exist.']);
  const json = await admin.post('/api/v1/tickets', 'not json', { 'content-type': 'application/json', 'accept-language': 'es' });
  assert.equal(json.status, 400);
  assert.match(json.json.detail, /^The body is not valid JSON/);
});

test("the directory's conflicts and routing refusals in the admin's language", async () => {
  const made = await admin.post('/api/v1/agents', { email: 'rafael@desk.test', name: 'Rafael', role: 'admin', language: 'pt-BR', password: 'rafael-pass-123' });
  assert.equal(made.status, 201, made.text);
  const rafael = await sessionClient(s.url, 'rafael@desk.test', 'rafael-pass-123');
  const twice = await rafael.post('/api/v1/organizations', { name: 'Cliente SA' });
  assert.equal(twice.status, 409, twice.text);
  assert.deepEqual(twice.json.errors.map((e) => [e.field, e.message]), [['name', 'Já existe uma organização chamada "Cliente SA".']]);
  const email = await rafael.post('/api/v1/contacts', { email: 'joana@cliente.test', name: 'Joana de novo' });
  assert.equal(email.status, 409, email.text);
  assert.equal(email.json.detail, 'Já existe um usuário com o email joana@cliente.test.');
  const group = await rafael.get('/api/v1/groups/999999');
  assert.deepEqual([group.status, group.json.detail], [404, 'O grupo 999999 não existe.']);
  const capacity = await rafael.patch(`/api/v1/agents/${made.json.id}/availability`, { capacity: 20000 });
  assert.equal(capacity.status, 400, capacity.text);
  assert.match(capacity.json.errors[0].message, /^capacity é o máximo de chamados abertos do atendente/);
  // The same refusal to an English admin stays English.
  const en = await admin.post('/api/v1/organizations', { name: 'Cliente SA' });
  assert.equal(en.json.detail, 'An organization named "Cliente SA" already exists.');
});

test("the ticket paths' refusals in each reader's language: transitions, tags, filters, channels, resolutions", async () => {
  const agents = {};
  for (const [name, language] of [['lucas', 'pt-BR'], ['greta', 'de']]) {
    const made = await admin.post('/api/v1/agents', { email: `${name}@desk.test`, name, role: 'agent', language, password: `${name}-pass-123` });
    assert.equal(made.status, 201, made.text);
    agents[language] = await sessionClient(s.url, `${name}@desk.test`, `${name}-pass-123`);
  }
  const t = await joana.post('/api/v1/tickets', { subject: 'Exportação falha', description: 'O relatório não exporta.' });
  assert.equal(t.status, 201, t.text);
  const number = t.json.number;

  // A refused status transition: the same code for programs, the sentence in each agent's language.
  const closePt = await agents['pt-BR'].patch(`/api/v1/tickets/${number}`, { status: 'closed' });
  assert.deepEqual([closePt.status, closePt.json.code, closePt.json.detail],
    [409, 'conflict', 'Um chamado com status new não pode ser fechado diretamente; resolva-o primeiro.']);
  const closeDe = await agents.de.patch(`/api/v1/tickets/${number}`, { status: 'closed' });
  assert.deepEqual([closeDe.status, closeDe.json.code, closeDe.json.detail],
    [409, 'conflict', 'Ein Ticket im Status new kann nicht direkt geschlossen werden; lösen Sie es zuerst.']);
  const backDe = await agents.de.patch(`/api/v1/tickets/${number}`, { status: 'open' });
  assert.equal(backDe.status, 200, backDe.text);
  const toNew = await agents.de.patch(`/api/v1/tickets/${number}`, { status: 'new' });
  assert.equal(toNew.json.detail, 'Ein Ticket kann nicht zum Status new zurückkehren; setzen Sie es stattdessen auf open.');

  // A field check keeps its field; the tag itself is data, quoted as given.
  const tag = await agents['pt-BR'].patch(`/api/v1/tickets/${number}`, { tags: ['sem espaço'] });
  assert.equal(tag.status, 400, tag.text);
  assert.deepEqual(tag.json.errors.map((e) => [e.field, e.message]), [['tags',
    'A etiqueta "sem espaço" não é válida; etiquetas têm de 1 a 80 caracteres entre letras, dígitos e _ - : . /, sem espaços.']]);

  // A list filter's unknown status: the accepted names stay API values.
  const filter = await agents.de.get('/api/v1/tickets?status=lost');
  assert.equal(filter.status, 400, filter.text);
  assert.deepEqual(filter.json.errors.map((e) => e.field), ['status']);
  assert.match(filter.json.errors[0].message, /^Unbekannter Status "lost"; verwenden Sie einen von: new, open, /);

  // What a customer may not choose, in the customer's language.
  const channel = await joana.post('/api/v1/tickets', { subject: 'Telefone', description: 'Liguei ontem.', channel: 'phone' });
  assert.deepEqual([channel.status, channel.json.code, channel.json.detail],
    [403, 'permission_denied', 'Clientes abrem chamados pela web ou pela API; deixe channel de fora.']);
  const resolution = await agents.de.patch(`/api/v1/tickets/${number}`, { resolution: 'fixed' });
  assert.deepEqual([resolution.status, resolution.json.detail],
    [409, 'Die Lösungsart wird beim Lösen des Tickets festgehalten; setzen Sie den Status zusammen damit auf solved.']);

  // The same refusal to an English admin stays English, word for word as before.
  const closeEn = await admin.patch(`/api/v1/tickets/${number}`, { status: 'new' });
  assert.equal(closeEn.json.detail, 'A ticket cannot go back to new; set it to open instead.');
});

test('conversations, the status page, reports, help articles, macros, tokens and uploads answer in the reader\'s language', async () => {
  const staff = {};
  for (const [name, language] of [['helena', 'pt-BR'], ['dieter', 'de']]) {
    const made = await admin.post('/api/v1/agents', { email: `${name}@desk.test`, name, role: 'admin', language, password: `${name}-pass-123` });
    assert.equal(made.status, 201, made.text);
    staff[language] = await sessionClient(s.url, `${name}@desk.test`, `${name}-pass-123`);
  }
  const pt = staff['pt-BR'], de = staff.de;
  const fieldsOf = (r) => r.json.errors.map((e) => [e.field, e.message]);

  // Live conversations: agents answer them, and a status filter names the API's values.
  const start = await de.post('/api/v1/conversations', {});
  assert.deepEqual([start.status, start.json.code, start.json.detail],
    [403, 'permission_denied', 'Mitarbeiter beantworten Unterhaltungen; begonnen werden sie von Kunden.']);
  const filter = await pt.get('/api/v1/conversations?status=lost');
  assert.equal(filter.status, 400, filter.text);
  assert.deepEqual(fieldsOf(filter), [['status', '"lost" não é um status; use bot, waiting, active, waiting_on_customer ou closed.']]);

  // The status page: a component's checks, field by field; a visitor's window by Accept-Language.
  const component = await pt.post('/api/v1/status/components', { key: 'API Pública', names: { en: 'API', fr: 'API' } });
  assert.equal(component.status, 400, component.text);
  assert.deepEqual(fieldsOf(component), [
    ['key', 'A chave de um componente tem letras minúsculas, dígitos, _ ou -, como "api".'],
    ['names.fr', '"fr" não é um idioma do helpdesk; use en, pt-BR, es, de, ru.'],
  ]);
  const made = await admin.post('/api/v1/status/components', { key: 'api', names: { en: 'API' } });
  assert.equal(made.status, 201, made.text);
  const window = await fetch(`${s.url}/api/v1/status/components/${made.json.id}/uptime?window=7d`, { headers: { 'accept-language': 'de' } });
  assert.deepEqual(await window.json().then((j) => [window.status, j.detail]), [400, 'Die gleitenden Zeiträume sind 30d und 90d.']);
  const taken = await de.post('/api/v1/status/components', { key: 'api', names: { de: 'API' } });
  assert.deepEqual([taken.status, taken.json.detail], [409, 'Es gibt bereits eine Komponente mit dem Schlüssel "api".']);

  // Reports: a bad parameter.
  const format = await pt.get('/api/v1/reports/backlog?format=xml');
  assert.deepEqual([format.status, format.json.detail], [400, 'Formato desconhecido "xml"; use json ou csv.']);
  const period = await de.get('/api/v1/reports/sla?from=2026-03-10&to=2026-03-01');
  assert.deepEqual(fieldsOf(period), [['to', 'Das Ende des Zeitraums (to) muss nach seinem Beginn (from) liegen.']]);

  // Help-center authoring: a title, a key.
  const title = await pt.put('/api/v1/help/articles/precos/pt-BR', { title: ' ', body: 'Tabela de preços.' });
  assert.equal(title.status, 400, title.text);
  assert.deepEqual(fieldsOf(title), [['title', 'Dê um título ao artigo.']]);
  const key = await de.put('/api/v1/help/articles/Preise!/de', { title: 'Preise', body: 'Preisliste.' });
  assert.deepEqual(fieldsOf(key), [['key', '"Preise!" ist kein Artikelschlüssel: verwenden Sie 1 bis 100 Zeichen aus a-z, 0-9, \'-\', \'_\' und \'.\'.']]);

  // Macros and API tokens.
  const placeholder = await pt.post('/api/v1/macros', { name: 'Reembolso', body: 'Olá {{cliente.nome}}' });
  assert.equal(placeholder.status, 400, placeholder.text);
  assert.deepEqual(placeholder.json.errors.map((e) => e.field), ['body']);
  assert.match(placeholder.json.errors[0].message, /^Marcador desconhecido \{\{cliente\.nome\}\}; use um destes: /);
  const macro = await de.patch('/api/v1/macros/999999', { name: 'Erstattung' });
  assert.deepEqual([macro.status, macro.json.detail], [404, 'Das Makro 999999 existiert nicht.']);
  const token = await pt.post('/api/v1/tokens', { name: ' ' });
  assert.deepEqual(fieldsOf(token), [['name', 'O nome de um token tem de 1 a 100 caracteres.']]);
  const revoke = await de.del('/api/v1/tokens/999999');
  assert.deepEqual([revoke.status, revoke.json.detail], [404, 'Das API-Token 999999 existiert nicht.']);

  // An upload the server cannot read, in the customer's language.
  const upload = await joana.post('/api/v1/tickets', '--x\r\n', { 'content-type': 'multipart/form-data' });
  assert.deepEqual([upload.status, upload.json.code, upload.json.detail],
    [400, 'invalid_argument', 'O corpo multipart/form-data não tem boundary no seu Content-Type.']);

  // The same refusals to an English admin stay English, word for word as before.
  const en = await admin.post('/api/v1/status/components', { key: 'API Pública', names: { en: 'API' } });
  assert.deepEqual(fieldsOf(en), [['key', 'A component key is lower-case letters, digits, _ or -, such as "api".']]);
  const enFormat = await admin.get('/api/v1/reports/backlog?format=xml');
  assert.equal(enFormat.json.detail, 'Unknown format "xml"; use json or csv.');
  const enMacro = await admin.patch('/api/v1/macros/999999', { name: 'Refund' });
  assert.equal(enMacro.json.detail, 'Macro 999999 does not exist.');
});
