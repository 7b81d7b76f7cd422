// Agents' saved views: saving the search on screen under a name, pinning it, and the pinned
// ones beside the queue with their counts.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { del, get, patch, post, qs } from '../api';
import { t } from '../i18n';
import { Link } from '../router';
import type { SavedView, TicketSearchPage } from '../types';
import { ErrorBox } from './common';
import { PinIcon } from './icons';
import { resultCount, searchPath, shortCount } from './Search';

/** The agent's views, fetched again by `reload` after a change. */
function useViews() {
  const [views, setViews] = useState<SavedView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(() => {
    get<{ items: SavedView[] }>('/api/v1/views').then(
      (r) => {
        setViews(r.items);
        setError(null);
      },
      (err) => setError(err),
    );
  }, []);
  useEffect(reload, [reload]);
  return { views, error, reload };
}

/** Under the search: "Save as view", or the view this search is, to pin, unpin or delete. */
export function SaveView({ q }: { q: string }) {
  const { views, error: loadError, reload } = useViews();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [pinned, setPinned] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    setOpen(false);
    setError(null);
  }, [q]);
  useEffect(() => {
    if (open) nameInput.current?.focus();
  }, [open]);
  if (!views) return <ErrorBox error={loadError} />;

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      setOpen(false);
      reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const saved = views.find((v) => v.query === q);

  if (saved)
    return (
      <div class="saved-view" data-testid="saved-view">
        <span>{t('views.savedAs', { name: saved.name })}</span>
        <button
          type="button"
          class="btn btn-small"
          aria-pressed={saved.pinned}
          disabled={busy}
          data-testid="saved-view-pin"
          onClick={() => void run(() => patch(`/api/v1/views/${saved.id}`, { pinned: !saved.pinned }))}
        >
          <PinIcon /> {saved.pinned ? t('views.pinned') : t('views.pin')}
        </button>
        <button
          type="button"
          class="btn btn-ghost btn-small"
          disabled={busy}
          data-testid="saved-view-delete"
          onClick={() => void run(() => del(`/api/v1/views/${saved.id}`))}
        >
          {t('views.delete')}
        </button>
        <ErrorBox error={error} testid="saved-view-error" />
      </div>
    );

  if (!open)
    return (
      <div class="saved-view">
        <button
          type="button"
          class="btn btn-small"
          data-testid="save-view-open"
          onClick={() => {
            setName('');
            setOpen(true);
          }}
        >
          {t('views.save')}
        </button>
      </div>
    );

  return (
    <form
      class="saved-view saved-view-form"
      data-testid="save-view-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(() => post('/api/v1/views', { name: name.trim(), query: q, pinned }));
      }}
    >
      <div class="inline-field">
        <label for="save-view-name">{t('views.name')}</label>
        <input
          id="save-view-name"
          type="text"
          maxLength={100}
          required
          value={name}
          placeholder={t('views.namePlaceholder')}
          data-testid="save-view-name"
          ref={nameInput}
          onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <label class="check">
        <input
          type="checkbox"
          checked={pinned}
          data-testid="save-view-pinned"
          onChange={(e) => setPinned((e.currentTarget as HTMLInputElement).checked)}
        />{' '}
        {t('views.pinBesideQueue')}
      </label>
      <button type="submit" class="btn btn-primary btn-small" disabled={busy || !name.trim()} data-testid="save-view-submit">
        {t('views.submit')}
      </button>
      <button type="button" class="btn btn-ghost btn-small" onClick={() => setOpen(false)}>
        {t('common.cancel')}
      </button>
      <ErrorBox error={error} testid="save-view-error" />
    </form>
  );
}

interface Counted {
  view: SavedView;
  /** Null while counting or when the count failed (the view's page says why). */
  count: { short: string; long: string } | null;
}

/** Beside the queue: the pinned views, each with how many tickets it finds now. */
export function PinnedViews() {
  const [items, setItems] = useState<Counted[]>([]);
  useEffect(() => {
    let live = true;
    get<{ items: SavedView[] }>('/api/v1/views').then(
      (r) => {
        const pinned = r.items.filter((v) => v.pinned);
        if (!live) return;
        setItems(pinned.map((view) => ({ view, count: null })));
        pinned.forEach((view, i) => {
          get<TicketSearchPage>(`/api/v1/search/tickets${qs({ q: view.query, limit: 1 })}`).then(
            (page) => live && setItems((old) => old.map((c, j) => (j === i ? { ...c, count: { short: shortCount(page), long: resultCount(page) } } : c))),
            () => {
              /* the view's own page shows the search's error */
            },
          );
        });
      },
      () => live && setItems([]),
    );
    return () => {
      live = false;
    };
  }, []);
  if (items.length === 0) return null;
  return (
    <nav class="pinned-views" aria-label={t('views.title')} data-testid="pinned-views">
      <span class="pinned-views-label">
        <PinIcon /> {t('views.title')}
      </span>
      <ul>
        {items.map(({ view, count }) => (
          <li key={view.id}>
            <Link href={searchPath(true, view.query)} class="pinned-view" data-testid="pinned-view" data-view={view.id} title={view.query}>
              <span class="pinned-view-name">{view.name}</span>
              {count !== null && (
                <span class="pinned-view-count" title={count.long}>
                  <span aria-hidden="true" data-testid="pinned-view-count">
                    {count.short}
                  </span>
                  <span class="sr-only">{count.long}</span>
                </span>
              )}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
