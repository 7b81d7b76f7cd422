// Behind a reverse proxy: the sign-in limit per client address counts the address the trusted
// proxy saw (X-Forwarded-For), not the proxy's own; without a trusted proxy the header is ignored.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

const servers = [];
after(async () => { for (const s of servers) await s.stop(); });

async function attempts(server, forwardedFor, n) {
  const out = [];
  for (let i = 0; i < n; ++i) {
    const r = await fetch(server.url + '/api/v1/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ email: `someone${forwardedFor}${i}@acme.test`, password: 'wrong-password' }),
    });
    out.push(r.status);
  }
  return out;
}

test('a trusted proxy\'s X-Forwarded-For names the client of the per-address limit', async () => {
  const s = await startServer({ env: { CHAMADO_SERVER_TRUSTED_PROXIES: '127.0.0.1', CHAMADO_SECURITY_SIGNIN_ATTEMPTS_PER_ADDRESS: '3' } });
  servers.push(s);
  assert.deepEqual(await attempts(s, '203.0.113.7', 4), [401, 401, 401, 429]);
  assert.deepEqual(await attempts(s, '198.51.100.2', 1), [401], 'another client behind the same proxy is not locked');
});

test('without a trusted proxy the header is a client\'s word and is ignored', async () => {
  const s = await startServer({ env: { CHAMADO_SECURITY_SIGNIN_ATTEMPTS_PER_ADDRESS: '3' } });
  servers.push(s);
  assert.deepEqual(await attempts(s, '203.0.113.7', 3), [401, 401, 401]);
  assert.deepEqual(await attempts(s, '198.51.100.2', 1), [429], 'the peer address is what counts');
});
