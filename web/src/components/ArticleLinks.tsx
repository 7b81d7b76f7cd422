// The reply composer's "Insert article link": search the help center (published articles,
// the ticket's language first) and put a Markdown link to the article's public page into the
// reply.
import { useEffect, useState } from 'preact/hooks';
import { get, qs } from '../api';
import { t } from '../i18n';
import type { HelpSearchHit } from '../types';
import { Marked } from './Search';

export function ArticleLinkPicker({ language, onInsert }: { language: string; onInsert: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<HelpSearchHit[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!open || q.trim().length < 2) {
      setHits(null);
      return;
    }
    let stale = false;
    const timer = setTimeout(() => {
      get<{ items: HelpSearchHit[] }>(`/api/v1/help/search${qs({ q, language, limit: 8 })}`).then(
        (r) => {
          if (stale) return;
          setHits(r.items);
          setFailed(false);
        },
        () => !stale && setFailed(true),
      );
    }, 250);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [q, open, language]);

  if (!open)
    return (
      <button type="button" class="btn btn-ghost btn-small" data-testid="article-link-open" onClick={() => setOpen(true)}>
        {t('articleLinks.insert')}
      </button>
    );
  return (
    <div class="article-links card" data-testid="article-links">
      <label for="article-link-q">{t('articleLinks.search')}</label>
      <input
        id="article-link-q"
        data-testid="article-link-q"
        value={q}
        autoFocus
        onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
        onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
      />
      {failed && <p class="field-error">{t('articleLinks.failed')}</p>}
      {hits && hits.length === 0 && <p class="muted">{t('articleLinks.none')}</p>}
      {hits && hits.length > 0 && (
        <ul>
          {hits.map((h) => (
            <li key={`${h.key} ${h.language}`} data-testid="article-link-hit" data-key={h.key}>
              <button
                type="button"
                class="btn btn-small"
                data-testid="article-link-insert"
                onClick={() => {
                  onInsert(`[${h.title}](${window.location.origin}${h.url})`);
                  setOpen(false);
                  setQ('');
                }}
              >
                {t('articleLinks.pick')}
              </button>{' '}
              <Marked html={h.title_html} /> <span class="muted">· {h.product} › {h.module} · {h.language}</span>
            </li>
          ))}
        </ul>
      )}
      <button type="button" class="btn btn-ghost btn-small" onClick={() => setOpen(false)}>
        {t('articleLinks.close')}
      </button>
    </div>
  );
}
