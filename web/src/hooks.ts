import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { get } from './api';
import type { Page } from './types';

export interface PagedList<T> {
  items: T[];
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/** A cursor-paginated list: the first page when `path` changes, more on demand. */
export function usePagedList<T>(path: string | null): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
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
    get<Page<T>>(path).then(
      (page) => {
        if (id !== current.current) return;
        setItems(page.items);
        setNext(page.next);
        setLoading(false);
      },
      (err) => {
        if (id !== current.current) return;
        setItems([]);
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
    get<Page<T>>(`${path}${sep}after=${encodeURIComponent(next)}`).then(
      (page) => {
        if (id !== current.current) return;
        setItems((old) => [...old, ...page.items]);
        setNext(page.next);
        setLoadingMore(false);
      },
      (err) => {
        if (id !== current.current) return;
        setError(err);
        setLoadingMore(false);
      },
    );
  }, [path, next]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  return { items, loading, loadingMore, error, hasMore: next !== null, loadMore, reload };
}
