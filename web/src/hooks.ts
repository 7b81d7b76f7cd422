import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { get, getAll } from './api';
import { useReloadOnClockJump } from './clock';
import { useDebounced, useLiveConnected, useLiveEvents } from './live';
import type { Message, Page, Ticket } from './types';

export interface PagedList<T, P extends Page<T> = Page<T>> {
  items: T[];
  /** The page loaded last, for what a list says beside its items (a search's total). */
  last: P | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
  /**
   * Fetches the loaded items again without a loading state (a live update): what is shown
   * stays until the new items arrive, and as many are asked for as are shown (up to 100).
   */
  refresh: () => void;
}

/**
 * A cursor-paginated list: the first page when `path` changes, more on demand. The next page
 * is asked for with `cursor` set to the previous page's `next` (`after` for lists, `offset`
 * for search results).
 */
export function usePagedList<T, P extends Page<T> = Page<T>>(
  path: string | null,
  { cursor = 'after' }: { cursor?: 'after' | 'offset' } = {},
): PagedList<T, P> {
  const [items, setItems] = useState<T[]>([]);
  const [last, setLast] = useState<P | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const current = useRef(0);

  useEffect(() => {
    if (path === null) return;
    const id = ++current.current;
    setLoading(true);
    setError(null);
    get<P>(path).then(
      (page) => {
        if (id !== current.current) return;
        setItems(page.items);
        setLast(page);
        setNext(page.next);
        setLoading(false);
      },
      (err) => {
        if (id !== current.current) return;
        setItems([]);
        setLast(null);
        setNext(null);
        setError(err);
        setLoading(false);
      },
    );
  }, [path, generation]);

  const loadMore = useCallback(() => {
    if (!next || path === null) return;
    const id = current.current;
    setLoadingMore(true);
    const sep = path.includes('?') ? '&' : '?';
    get<P>(`${path}${sep}${cursor}=${encodeURIComponent(next)}`).then(
      (page) => {
        if (id !== current.current) return;
        setItems((old) => [...old, ...page.items]);
        setLast(page);
        setNext(page.next);
        setLoadingMore(false);
      },
      (err) => {
        if (id !== current.current) return;
        setError(err);
        setLoadingMore(false);
      },
    );
  }, [path, next, cursor]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const shown = useRef(0);
  shown.current = items.length;
  const refresh = useCallback(() => {
    if (path === null || cursor !== 'after') return reload();
    const id = current.current;
    const limit = Math.min(100, Math.max(shown.current, Number(new URL(path, location.origin).searchParams.get('limit') ?? 0)));
    const url = new URL(path, location.origin);
    if (limit > 0) url.searchParams.set('limit', String(limit));
    get<P>(url.pathname + url.search).then(
      (page) => {
        if (id !== current.current) return; // the list changed meanwhile
        setItems(page.items);
        setLast(page);
        setNext(page.next);
      },
      () => {
        /* keep what is shown; the next event or refresh may work */
      },
    );
  }, [path, cursor, reload]);

  return { items, last, loading, loadingMore, error, hasMore: next !== null, loadMore, reload, refresh };
}

export interface TicketAndMessages {
  /** null until the first load arrives. */
  ticket: Ticket | null;
  messages: Message[];
  /** Why the first load, or a reload, failed. */
  error: unknown;
  /** Shows what a change made on the page returned: the ticket as it is now, the message it added. */
  changed: (change: { ticket?: Ticket; message?: Message }) => void;
  /** Fetches the ticket and its messages again, showing the old ones until they arrive. */
  reload: () => void;
}

/**
 * One ticket and its conversation, for a ticket page (App keys the page by `number`, so it
 * never changes here). With `live`, SLA clocks that move on their own (warnings, breaches,
 * escalations) show: the ticket is refreshed every minute, and the messages too when the
 * server's clock jumps. A refresh that fails keeps what is shown, and one started before a
 * change made on the page is dropped.
 */
export function useTicketAndMessages(number: string, { live = false } = {}): TicketAndMessages {
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  // Bumped by every change made on the page, so that a background refresh started before it is dropped.
  const generation = useRef(0);
  const path = `/api/v1/tickets/${encodeURIComponent(number)}`;

  useEffect(() => {
    let current = true;
    setError(null);
    Promise.all([get<Ticket>(path), getAll<Message>(`${path}/messages`)]).then(
      ([tk, msgs]) => {
        if (!current) return;
        setTicket(tk);
        setMessages(msgs);
      },
      (err) => current && setError(err),
    );
    return () => {
      current = false;
    };
  }, [path, version]);

  const refresh = useCallback(
    (withMessages: boolean) => {
      const gen = generation.current;
      Promise.all([get<Ticket>(path), withMessages ? getAll<Message>(`${path}/messages`) : Promise.resolve(null)]).then(
        ([tk, msgs]) => {
          if (gen !== generation.current) return;
          setTicket((old) => (old && old.number === tk.number ? tk : old));
          if (msgs) setMessages(msgs);
        },
        () => {
          /* keep what is shown; the next refresh may work */
        },
      );
    },
    [path],
  );
  // A change to this ticket (a reply, a status change, by anyone) shows within a moment; the
  // page's own state (a reply being typed) stays, as only the ticket and messages are replaced.
  const refreshAll = useDebounced(() => refresh(true), 300);
  useLiveEvents((signal) => {
    if (signal === 'reload' || String(signal.ticket) === number) refreshAll();
  });
  // The minute refresh is for SLA clocks, which move without an event; it stays as the
  // fallback for changes too while the live stream is not connected.
  const streaming = useLiveConnected();
  useEffect(() => {
    if (!live) return;
    const id = window.setInterval(() => refresh(!streaming), 60_000);
    return () => window.clearInterval(id);
  }, [live, refresh, streaming]);
  const onJump = useCallback(() => {
    if (live) refresh(true);
  }, [live, refresh]);
  useReloadOnClockJump(onJump);

  const changed = useCallback(({ ticket: tk, message }: { ticket?: Ticket; message?: Message }) => {
    generation.current++;
    if (message) setMessages((old) => [...old, message]);
    if (tk) setTicket(tk);
  }, []);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  return { ticket, messages, error, changed, reload };
}
