// Connection caps, and accepting when the process is out of file descriptors (issue 9:
// "with file descriptors exhausted, the accept loop spins at 100 % CPU and answers nothing").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { startServer, parseRawAnswer } from '../lib/server.mjs';
import { assertDocumented } from '../lib/openapi.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A connection left open (keep-alive, no request yet).
function openConnection(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), hostname, () => resolve(s));
    s.on('error', reject);
  });
}

function rawRequest(url, text) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const s = net.connect(Number(port), hostname, () => s.write(text));
    let out = '';
    s.on('data', (d) => { out += d; });
    s.on('end', () => resolve(out));
    s.on('error', () => resolve(out));
    setTimeout(() => { s.destroy(); resolve(out); }, 3000);
  });
}

const health = 'GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';

// User plus system CPU time of a process, in clock ticks (1/100 s).
function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

test('a client over its connection cap gets a 503, and is served again once it closes one', async () => {
  const server = await startServer({ env: { CHAMADO_SERVER_MAX_CONNECTIONS_PER_CLIENT: '4' } });
  const open = [];
  try {
    for (let i = 0; i < 4; i++) open.push(await openConnection(server.url));
    await sleep(200);
    const refused = await rawRequest(server.url, health);
    assert.match(refused, /^HTTP\/1\.1 503/);
    assert.match(refused, /Too many open connections/);
    const answer = parseRawAnswer(refused);
    assert.equal(answer.json.code, 'unavailable', 'a program can tell it from the other 503s');
    assertDocumented('GET', '/api/v1/health', answer);
    open.shift().destroy();
    await sleep(300);
    assert.match(await rawRequest(server.url, health), /^HTTP\/1\.1 200/);
  } finally {
    for (const s of open) s.destroy();
    await server.stop();
  }
});

test('out of file descriptors, the server waits instead of spinning, and serves again after', async () => {
  // How many descriptors the server holds when idle, then a server allowed a few more.
  const probe = await startServer();
  assert.match(await rawRequest(probe.url, health), /^HTTP\/1\.1 200/);
  const idle = readdirSync(`/proc/${probe.proc.pid}/fd`).length;
  await probe.stop();
  const server = await startServer({ wrap: ['prlimit', `--nofile=${idle + 8}:${idle + 8}`, '--'] });
  const open = [];
  try {
    assert.match(await rawRequest(server.url, health), /^HTTP\/1\.1 200/);
    // More connections than descriptors left: the rest wait in the listen queue, and every
    // accept fails with EMFILE while they do.
    for (let i = 0; i < 40; i++) open.push(await openConnection(server.url));
    await sleep(500);
    const before = cpuTicks(server.proc.pid);
    await sleep(2000);
    const used = cpuTicks(server.proc.pid) - before;
    assert.ok(used < 60, `the server used ${used / 100} s of CPU in 2 s while out of descriptors`);
    for (const s of open.splice(0)) s.destroy();
    let answer = '';
    for (let i = 0; i < 20 && !/^HTTP\/1\.1 200/.test(answer); i++) {
      await sleep(250);
      answer = await rawRequest(server.url, health);
    }
    assert.match(answer, /^HTTP\/1\.1 200/);
  } finally {
    for (const s of open) s.destroy();
    await server.stop();
  }
});

// Sends `head`, then the body in pieces of `piece` bytes every `every` ms (stopping after
// `stopAfter` bytes, if given); resolves with what the server answered.
function trickle(url, head, body, { piece, every, stopAfter = body.length }) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    let out = '';
    let sent = 0;
    let timer;
    const s = net.connect(Number(port), hostname, () => {
      s.write(head);
      timer = setInterval(() => {
        if (sent >= stopAfter) return;
        s.write(body.subarray(sent, Math.min(sent + piece, stopAfter)));
        sent += piece;
      }, every);
    });
    s.on('data', (d) => { out += d; });
    const done = () => { clearInterval(timer); resolve(out); };
    s.on('end', done);
    s.on('close', done);
    s.on('error', done);
    setTimeout(() => { s.destroy(); done(); }, 10000);
  });
}

test('a slow body is read while it keeps coming; a stalled one is answered 408', async () => {
  const server = await startServer({ env: { CHAMADO_SERVER_IDLE_TIMEOUT: '1s' } });
  try {
    const body = Buffer.from(`{"email": "nobody@desk.test", "password": "not-this-one"${' '.repeat(6000)}}`);
    const head = `POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    // About 3 s at 2 KB/s: three times the idle timeout, never silent for long.
    const slow = await trickle(server.url, head, body, { piece: 500, every: 250 });
    assert.match(slow, /^HTTP\/1\.1 401/, 'the whole body was read and the request answered');
    const stalled = await trickle(server.url, head, body, { piece: 500, every: 100, stopAfter: 1000 });
    assert.match(stalled, /^HTTP\/1\.1 408/);
    assert.match(stalled, /"code":"timeout"/);
  } finally {
    await server.stop();
  }
});
