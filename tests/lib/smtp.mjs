// A real SMTP server for mail-out tests: Debian's python3-aiosmtpd on 127.0.0.1 writing a
// Maildir, and a reader of what arrived (headers unfolded, encoded words and the body decoded).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function decodeWords(v) {
  return v.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, cs, enc, text) => {
    const bytes = enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    return new TextDecoder(cs.toLowerCase()).decode(bytes);
  });
}

export function parseMail(raw) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = rest.join('\n\n');
  const cte = (headers['content-transfer-encoding'] || '').toLowerCase();
  // The body in the charset the mail declares (a text that fits Latin-1 may be sent in it).
  const charset = (/charset="?([^";\s]+)"?/i.exec(headers['content-type'] || '') || [])[1] || 'utf-8';
  const decode = (bytes) => new TextDecoder(charset.toLowerCase()).decode(bytes);
  if (cte === 'base64') body = decode(Buffer.from(body.replace(/\s+/g, ''), 'base64'));
  if (cte === 'quoted-printable') body = decode(Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1'));
  return { headers, subject: decodeWords(headers.subject || ''), body: body.replace(/\r\n/g, '\n'), raw };
}

export class MailSink {
  // `describe`: what to add to a "no mail arrived" failure (the outbox, say).
  constructor(describe = async () => '') {
    this.describe = describe;
    this.seen = new Set();
    this.proc = null;
  }

  async start() {
    this.port ??= await freePort();
    // aiosmtpd's Mailbox creates the Maildir (with tmp, new, cur) only when it does not exist.
    this.maildir ??= join(mkdtempSync(join(tmpdir(), 'chamado-smtp-')), 'Maildir');
    this.proc = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${this.port}`, '-c', 'aiosmtpd.handlers.Mailbox', this.maildir], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const up = await new Promise((resolve) => {
        const c = net.connect(this.port, '127.0.0.1', () => { c.end(); resolve(true); });
        c.on('error', () => resolve(false));
      });
      if (up) return this;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('aiosmtpd did not start');
  }

  get url() { return `smtp://127.0.0.1:${this.port}`; }

  async stop() {
    const proc = this.proc;
    if (!proc) return;
    proc.kill('SIGTERM');
    await new Promise((r) => { if (proc.exitCode !== null || proc.signalCode !== null) r(); else proc.on('exit', r); });
    this.proc = null;
  }

  async remove() {
    await this.stop();
    if (this.maildir) rmSync(join(this.maildir, '..'), { recursive: true, force: true });
  }

  // The next mail to `to` not read yet (of ticket `ticket`, when given).
  async next(to, ticket = 0, timeoutMs = 15000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const dir of ['new', 'cur']) {
        let files = [];
        try { files = readdirSync(join(this.maildir, dir)).sort(); } catch { /* not yet */ }
        for (const f of files) {
          const path = join(this.maildir, dir, f);
          if (this.seen.has(path)) continue;
          const m = parseMail(readFileSync(path, 'utf8'));
          if (!m.headers.to?.includes(to)) continue;
          if (ticket && m.headers['x-chamado-ticket'] !== String(ticket)) continue;
          this.seen.add(path);
          return m;
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no mail for ${to} arrived; ${await this.describe()}; files: ${JSON.stringify(readdirSync(this.maildir, { recursive: true }))}`);
  }
}
