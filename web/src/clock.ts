// The server's notion of now. SLA countdowns must agree with the server, whose clock may
// differ from the browser's (or stand still: `chamado serve --test-clock`). We keep an offset
// from GET /api/v1/health's `time` (millisecond precision), resynchronised every so often,
// and notice when a response's `Date` header says the server's clock moved.
import { useEffect, useState } from 'preact/hooks';

/** serverNow = Date.now() + offset */
let offset = 0;
let synced = false;
/** The first synchronisation ended (even if it failed: then the browser's clock it is). */
let ready = false;
let lastSync = 0;
let inFlight: Promise<void> | null = null;

/** A jump of more than this (the server's clock was moved, or the browser's) reloads SLA views. */
const JUMP_MS = 60_000;
/** Resynchronise at most this often while something shows a countdown. */
const RESYNC_MS = 20_000;

const jumpListeners = new Set<() => void>();

export function clockSynced(): boolean {
  return synced;
}

/** Countdowns wait for this, so that they never flash the browser's idea of now. */
export function clockReady(): boolean {
  return ready;
}

export function serverNow(): number {
  return Date.now() + offset;
}

function setOffset(next: number): void {
  const jumped = synced && Math.abs(next - offset) > JUMP_MS;
  offset = next;
  synced = true;
  if (jumped) for (const l of jumpListeners) l();
}

/** Asks GET /api/v1/health for the server's time; the request's half round trip is added. */
export function syncServerClock(): Promise<void> {
  if (inFlight) return inFlight;
  inFlight = (async () => {
    lastSync = Date.now(); // also after a failure: retry later, not every second
    try {
      const sent = Date.now();
      const res = await fetch('/api/v1/health', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      const received = Date.now();
      if (!res.ok) return;
      const body = (await res.json()) as { time?: string };
      const server = body.time ? Date.parse(body.time) : NaN;
      if (Number.isNaN(server)) return;
      setOffset(server + (received - sent) / 2 - received);
    } catch {
      /* offline: keep the offset we have */
    } finally {
      inFlight = null;
      ready = true;
    }
  })();
  return inFlight;
}

/**
 * Called by the API client with each response's `Date` header (one-second precision).
 * When it disagrees with our offset by more than a few seconds, the server's clock moved:
 * ask /health for the precise time.
 */
export function noteServerDate(header: string | null, sent: number, received: number): void {
  if (!header) return;
  const server = Date.parse(header);
  if (Number.isNaN(server)) return;
  const implied = server + 500 + (received - sent) / 2 - received; // the header truncates to the second
  if (!synced || Math.abs(implied - offset) > 3_000) void syncServerClock();
}

/** Runs `listener` when the server's time jumped (a test clock was advanced): reload clocks. */
export function onServerClockJump(listener: () => void): () => void {
  jumpListeners.add(listener);
  return () => void jumpListeners.delete(listener);
}

/** The server's now, re-rendered every `ms` (default: every second), kept in sync with the server. */
export function useServerNow(ms = 1000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    if (!synced || Date.now() - lastSync > RESYNC_MS) void syncServerClock().then(() => setNow(serverNow()));
    const id = window.setInterval(() => {
      if (Date.now() - lastSync > RESYNC_MS) void syncServerClock();
      setNow(serverNow());
    }, ms);
    return () => window.clearInterval(id);
  }, [ms]);
  return now;
}

/** Calls `reload` whenever the server's clock jumps. */
export function useReloadOnClockJump(reload: () => void): void {
  useEffect(() => onServerClockJump(reload), [reload]);
}
