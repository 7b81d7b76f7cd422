// Meta's side of the WhatsApp channel for the tests (docs/whatsapp.md): a fake Graph API on
// 127.0.0.1 (the messages endpoint answering a wamid, media by id then by URL, all behind the
// bearer token; `failNext` refuses the next sends with 503), and signed webhook payloads shaped
// as Meta documents them. Nothing reaches the internet.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';

export const APP_SECRET = 'app-secret-for-tests';
export const VERIFY = 'verify-token-for-tests';
export const TOKEN = 'EAAG-test-access-token';
export const PHONE_ID = '106540352242922';
export const CUSTOMER = '5511987654321';
export const IMAGE = Buffer.from('\xff\xd8\xff\xe0 a small jpeg for the test', 'latin1');

export function startFakeGraph() {
  const state = { posts: [], mediaAsks: [], failNext: 0, wamids: 0 };
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const auth = req.headers.authorization;
      const send = (status, obj, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type });
        res.end(typeof obj === 'string' || Buffer.isBuffer(obj) ? obj : JSON.stringify(obj));
      };
      if (auth !== `Bearer ${TOKEN}`) return send(401, { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } });
      const url = new URL(req.url, 'http://x');
      if (req.method === 'POST' && url.pathname === `/v19.0/${PHONE_ID}/messages`) {
        if (state.failNext > 0) {
          state.failNext -= 1;
          state.posts.push({ refused: true, body: JSON.parse(body) });
          return send(503, { error: { message: 'Service temporarily unavailable', code: 2 } });
        }
        const parsed = JSON.parse(body);
        const wamid = `wamid.OUT${++state.wamids}`;
        state.posts.push({ auth, body: parsed, wamid });
        return send(200, { messaging_product: 'whatsapp', contacts: [{ input: parsed.to, wa_id: parsed.to }], messages: [{ id: wamid }] });
      }
      if (req.method === 'GET' && url.pathname.startsWith('/v19.0/')) {
        const id = url.pathname.slice('/v19.0/'.length);
        state.mediaAsks.push(id);
        if (id === 'media-gone') return send(404, { error: { message: 'Unsupported get request.', code: 100 } });
        return send(200, { messaging_product: 'whatsapp', url: `${state.base}/files/${id}`, mime_type: 'image/jpeg', file_size: IMAGE.length, id });
      }
      if (req.method === 'GET' && url.pathname.startsWith('/files/')) return send(200, IMAGE, 'image/jpeg');
      return send(404, { error: { message: 'unknown path' } });
    });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => {
    state.base = `http://127.0.0.1:${srv.address().port}`;
    resolve({ srv, state, stop: () => new Promise((r) => srv.close(r)) });
  }));
}

// The server's environment for a desk whose graph_url is the fake's.
export const whatsappEnv = (fake) => ({
  CHAMADO_WHATSAPP_VERIFY_TOKEN: VERIFY, CHAMADO_WHATSAPP_APP_SECRET: APP_SECRET, CHAMADO_WHATSAPP_TOKEN: TOKEN,
  CHAMADO_WHATSAPP_PHONE_NUMBER_ID: PHONE_ID, CHAMADO_WHATSAPP_GRAPH_URL: `${fake.state.base}/v19.0`, CHAMADO_WHATSAPP_LANGUAGE: 'pt-BR',
});

export const sign = (raw, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
export const envelope = (value, field = 'messages') => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '102290129340398', changes: [{ field, value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_ID }, ...value } }] }],
});
// A customer's text message, `timestamp` in Unix seconds.
export const textChange = (id, body, timestamp) => envelope({
  contacts: [{ profile: { name: 'Zé Silva' }, wa_id: CUSTOMER }],
  messages: [{ from: CUSTOMER, id, timestamp, type: 'text', text: { body } }],
});

// POSTs a payload to the server's webhook, signed (or `signature`: null to leave it out).
export async function postWebhook(url, payload, { signature, raw } = {}) {
  const body = raw ?? JSON.stringify(payload);
  const headers = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-hub-signature-256'] = signature ?? sign(body);
  const res = await fetch(`${url}/api/v1/channels/whatsapp/webhook`, { method: 'POST', headers, body });
  const t = await res.text();
  return { status: res.status, headers: res.headers, text: t, json: t ? JSON.parse(t) : null };
}
