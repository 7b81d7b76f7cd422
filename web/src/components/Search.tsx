// The search box in the top bar, and marked text from search results.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatNumber, t } from '../i18n';
import { navigate } from '../router';
import { markedParts } from '../search';
import type { TicketSearchPage } from '../types';
import { SearchIcon } from './icons';

/** Marked HTML from the search (escaped text and <mark> only) as text and <mark> elements. */
export function Marked({ html }: { html: string }) {
  return (
    <>
      {markedParts(html).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : p.text))}
    </>
  );
}

type Counted = Pick<TicketSearchPage, 'total' | 'total_is_estimate'>;

/** "Results: 12", or "more than 1,000" when the server stopped counting. */
export function resultCount(page: Counted): string {
  const count = formatNumber(page.total);
  return page.total_is_estimate ? t('search.countMore', { count }) : t('search.count', { count });
}

/** The same as a badge: "12", "1,000+". */
export function shortCount(page: Counted): string {
  return formatNumber(page.total) + (page.total_is_estimate ? '+' : '');
}

/** Where a search of this area shows its results. */
export function searchPath(staff: boolean, q: string): string {
  return `${staff ? '/agent' : '/portal'}/search?q=${encodeURIComponent(q)}`;
}

/** Typing goes to a field; "/" anywhere else means "search". */
function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

/** The top bar's search: "/" focuses it, Enter opens the results page. */
export function SearchBox({ staff }: { staff: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState('');
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target)) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  const label = staff ? t('search.label') : t('search.labelPortal');
  return (
    <form
      class="search-box"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (!q.trim()) return;
        navigate(searchPath(staff, q.trim()));
        setQ('');
        input.current?.blur();
      }}
    >
      <label for="search-box" class="sr-only">
        {label}
      </label>
      <span class="search-box-icon" aria-hidden="true">
        <SearchIcon />
      </span>
      <input
        id="search-box"
        ref={input}
        type="search"
        value={q}
        placeholder={label}
        aria-keyshortcuts="/"
        data-testid="search-box"
        onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
      />
      <kbd class="search-box-key" aria-hidden="true">
        /
      </kbd>
    </form>
  );
}
