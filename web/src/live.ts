// Live updates: one EventSource per page on GET /api/v1/events, shared by every component
// that listens (docs/live-updates.md). The browser reconnects by itself when the server ends
// the stream (sending Last-Event-ID); when it cannot connect at all, we try again with a
// growing wait (1 s doubling to 60 s) and resume from the last event seen.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { MessageKind } from './types';

export interface LiveTicketEvent {
  id: number;
  kind: 'ticket.created' | 'message.added' | 'ticket.updated';
  ticket: number;
  /** A customer acted: their new ticket or their reply. */
  by_customer: boolean;
  message_kind?: MessageKind;
  fields?: string[];
}

/** A ticket event, or 'reload': events were missed, so what is shown should be fetched again. */
export type LiveSignal = LiveTicketEvent | 'reload';
type Listener = (signal: LiveSignal) => void;

const listeners = new Set<Listener>();
const connectedWatchers = new Set<(connected: boolean) => void>();
let source: EventSource | null = null;
let lastId = '';
let backoff = 1000;
let retryTimer = 0;
let connected = false;

function setConnected(value: boolean) {
  if (connected === value) return;
  connected = value;
  // On the page too, for tests and styles: <html data-live="on">.
  document.documentElement.dataset.live = value ? 'on' : 'off';
  connectedWatchers.forEach((w) => w(value));
}

function emit(signal: LiveSignal) {
  listeners.forEach((l) => l(signal));
}

function connect() {
  if (source || typeof EventSource === 'undefined') return;
  const url = `/api/v1/events${lastId ? `?last_event_id=${encodeURIComponent(lastId)}` : ''}`;
  const es = new EventSource(url);
  source = es;
  es.onopen = () => {
    backoff = 1000;
    setConnected(true);
  };
  es.addEventListener('ticket', (m: MessageEvent<string>) => {
    if (m.lastEventId) lastId = m.lastEventId;
    try {
      emit(JSON.parse(m.data) as LiveTicketEvent);
    } catch {
      /* not an event of ours: ignore it */
    }
  });
  es.addEventListener('reload', () => emit('reload'));
  es.onerror = () => {
    setConnected(false);
    if (es.readyState !== EventSource.CLOSED) return; // the browser is reconnecting by itself
    es.close();
    source = null;
    if (listeners.size === 0) return;
    retryTimer = window.setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, 60_000);
  };
}

function disconnect() {
  window.clearTimeout(retryTimer);
  source?.close();
  source = null;
  setConnected(false);
}

/** Calls `listener` for each live signal while the component is mounted. */
export function useLiveEvents(listener: Listener) {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => {
    const l: Listener = (s) => latest.current(s);
    listeners.add(l);
    connect();
    return () => {
      listeners.delete(l);
      if (listeners.size === 0) disconnect();
    };
  }, []);
}

/** Whether the live stream is open now (the page falls back to its periodic refresh when not). */
export function useLiveConnected(): boolean {
  const [value, setValue] = useState(connected);
  useEffect(() => {
    connectedWatchers.add(setValue);
    setValue(connected);
    return () => {
      connectedWatchers.delete(setValue);
    };
  }, []);
  return value;
}

/** Runs `f` once, `ms` after the last of several calls in a row (a burst of events is one refresh). */
export function useDebounced(f: () => void, ms: number): () => void {
  const latest = useRef(f);
  latest.current = f;
  const timer = useRef(0);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return useRef(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => latest.current(), ms);
  }).current;
}

/** Refreshes a list in place after live events (once per burst of them). */
export function useRefreshOnLiveEvents(refresh: () => void, ms = 400) {
  const later = useDebounced(refresh, ms);
  useLiveEvents(() => later());
}
