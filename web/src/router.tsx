// History-API routing: the server answers every extension-less path with index.html.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const CHANGE = 'chamado:navigate';

export interface Location {
  path: string;
  search: URLSearchParams;
  /** path + search, as for a `next` parameter. */
  full: string;
}

function read(): Location {
  return {
    path: window.location.pathname,
    search: new URLSearchParams(window.location.search),
    full: window.location.pathname + window.location.search,
  };
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === window.location.pathname + window.location.search) {
    window.dispatchEvent(new Event(CHANGE));
    return;
  }
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  if (!opts.replace) window.scrollTo(0, 0);
  window.dispatchEvent(new Event(CHANGE));
}

/** Replaces the query string of the current page (filters), without a new history entry. */
export function setSearch(params: Record<string, string | null | undefined>): void {
  const search = new URLSearchParams(window.location.search);
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '') search.delete(k);
    else search.set(k, v);
  }
  const s = search.toString();
  navigate(window.location.pathname + (s ? `?${s}` : ''), { replace: true });
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(read);
  useEffect(() => {
    const update = () => setLoc(read());
    window.addEventListener('popstate', update);
    window.addEventListener(CHANGE, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(CHANGE, update);
    };
  }, []);
  return loc;
}

/** Matches "/agent/tickets/:number" against a path; returns the parameters or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

type LinkProps = JSX.HTMLAttributes<HTMLAnchorElement> & { href: string };

/** An <a> that navigates in the page, yet still opens in a new tab with Ctrl/Cmd/middle click. */
export function Link({ href, onClick, ...rest }: LinkProps) {
  return (
    <a
      href={href}
      onClick={(e) => {
        if (onClick) (onClick as (ev: MouseEvent) => void)(e);
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
      {...rest}
    />
  );
}

/** Sends the browser elsewhere once rendered. */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
