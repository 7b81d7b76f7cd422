// Test harness: starts the real `chamado serve` on a free port with a fresh data folder,
// and gives tests small HTTP clients (API token or browser-like session with CSRF).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
export const chamadoBin = process.env.CHAMADO_BIN || join(repoRoot, 'build', 'src', 'app', 'chamado');

// `wrap`: a command the server runs under, e.g. ['prlimit', '--nofile=40:40', '--'] (it must
// exec the server, so the process is the server's). `bin`: another chamado than CHAMADO_BIN's.
export async function startServer({ demo = false, web = '', extraArgs = [], env = {}, data = '', wrap = [], bin = chamadoBin } = {}) {
  data ||= mkdtempSync(join(tmpdir(), 'chamado-test-'));
  if (demo) execFileSync(bin, ['demo', '--data', data], { stdio: 'pipe' });
  const args = ['serve', '--data', data, '--listen', '127.0.0.1:0', '--threads', '2', ...extraArgs];
  if (web) args.push('--web', web);
  const [command, ...prefix] = wrap.length ? [...wrap, bin] : [bin];
  const proc = spawn(command, [...prefix, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CHAMADO_LOG_LEVEL: 'warn', ...env } });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  let out = '';
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) { clearTimeout(timer); resolveUrl(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}: ${stderr}`)); });
  });
  const lmtp = out.match(/LMTP is listening on ([0-9.]+):(\d+)/);
  const server = {
    url,
    data,
    lmtpPort: lmtp ? Number(lmtp[2]) : 0,
    proc,
    stderr: () => stderr,
    cli(...cliArgs) {
      return execFileSync(bin, [...cliArgs, '--data', data], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    },
    addUser(role, email, password = 'password-123', extra = []) {
      return this.cli('user', 'add', '--role', role, '--email', email, '--password', password, ...extra);
    },
    token(email) {
      const out = this.cli('token', 'create', '--email', email).trim().split('\n');
      return out[out.length - 1];
    },
    // keepData: leave the data folder for a server started on it next (restart tests).
    async stop({ keepData = false } = {}) {
      proc.kill('SIGTERM');
      await new Promise((r) => { if (proc.exitCode !== null || proc.signalCode !== null) r(); else proc.on('exit', r); });
      if (!keepData) rmSync(data, { recursive: true, force: true });
    },
  };
  return server;
}

// A client for an API token.
export function tokenClient(baseUrl, token) {
  return makeClient(baseUrl, { authorization: `Bearer ${token}` });
}

// A fetch Response as the clients give answers: status, headers, text, and json (null when the
// body is not JSON).
export async function readAnswer(res) {
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, json, text };
}

// The first answer in raw HTTP/1.1 text (from a socket) in the same shape.
export function parseRawAnswer(out) {
  const [head, ...rest] = out.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = new Headers(lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
  const text = rest.join('\r\n\r\n');
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: Number(statusLine.split(' ')[1]), headers, json, text };
}

function makeClient(baseUrl, headers) {
  const request = async (method, path, body, extraHeaders = {}) => {
    const h = { ...headers, ...extraHeaders };
    let payload = body;
    if (body !== undefined && !(body instanceof FormData) && typeof body !== 'string') {
      h['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return readAnswer(await fetch(baseUrl + path, { method, headers: h, body: payload }));
  };
  return {
    request,
    get: (p, h) => request('GET', p, undefined, h),
    post: (p, b, h) => request('POST', p, b, h),
    patch: (p, b, h) => request('PATCH', p, b, h),
    put: (p, b, h) => request('PUT', p, b, h),
    del: (p, h) => request('DELETE', p, undefined, h),
  };
}

// Signs in like the browser does: session cookie plus X-CSRF-Token on changes.
export async function sessionClient(baseUrl, email, password) {
  const res = await fetch(baseUrl + '/api/v1/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`sign-in failed for ${email}: ${res.status} ${JSON.stringify(json)}`);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const client = makeClient(baseUrl, { cookie, 'x-csrf-token': json.csrf_token });
  client.cookie = cookie;
  client.csrf = json.csrf_token;
  client.user = json.user;
  client.setCookie = res.headers.get('set-cookie');
  return client;
}
