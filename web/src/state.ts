// App-wide state: who is signed in, the language, and cached reference lists
// (priorities, categories, groups, agents) that many pages use.
import { useEffect, useState } from 'preact/hooks';
import { del, get, getAll, onUnauthenticated, patch, setCsrfToken } from './api';
import { getLanguage, onLanguageChange, preferredLanguage, rememberLanguage, setLanguage, type Lang } from './i18n';
import { navigate } from './router';
import type { Category, Group, Page, Policy, PolicyOutcomes, Priority, Session, User } from './types';

/** undefined while the page asks the server, null when nobody is signed in. */
let session: Session | null | undefined = undefined;
const sessionListeners = new Set<() => void>();

function emit() {
  for (const l of sessionListeners) l();
}

export function currentUser(): User | null {
  return session?.user ?? null;
}

export function setSession(s: Session | null): void {
  session = s;
  setCsrfToken(s?.csrf_token);
  clearCaches();
  setLanguage(preferredLanguage(s?.user.language));
  emit();
}

export function useSession(): Session | null | undefined {
  const [, setSeen] = useState(session);
  useEffect(() => {
    const l = () => setSeen(session);
    sessionListeners.add(l);
    l(); // the session may have arrived between the first render and this effect
    return () => void sessionListeners.delete(l);
  }, []);
  return session;
}

export function useLanguage(): Lang {
  const [lang, setLang] = useState(getLanguage());
  useEffect(() => {
    const off = onLanguageChange(setLang);
    setLang(getLanguage());
    return off;
  }, []);
  return lang;
}

/**
 * The switcher: remembered in this browser, and saved as the signed-in person's language,
 * so texts the server writes (priority descriptions, categories, emails) follow it too.
 */
export function changeLanguage(lang: Lang): void {
  rememberLanguage(lang);
  setLanguage(lang);
  const user = session?.user;
  if (!user || user.language === lang) return;
  const path = user.role === 'customer' ? `/api/v1/contacts/${user.id}` : `/api/v1/agents/${user.id}`;
  patch<User>(path, { language: lang })
    .then((saved) => {
      if (session) session = { ...session, user: { ...session.user, language: saved.language } };
      clearCaches();  // priorities and categories come back in the new language
      emit();
    })
    .catch(() => {
      /* the choice still holds in this browser */
    });
}

/** Asks the server whether this browser has a session (at page load). */
export async function loadSession(): Promise<void> {
  try {
    const s = await get<Session>('/api/v1/session', { quiet401: true });
    setSession(s);
  } catch {
    setSession(null);
  }
}

export async function signOut(): Promise<void> {
  try {
    await del('/api/v1/session');
  } catch {
    /* the session may already be gone; sign out locally all the same */
  }
  setSession(null);
  navigate('/login', { replace: true });
}

// A request answering 401 means the session ended: back to the sign-in page, then here again.
onUnauthenticated(() => {
  if (!session) return;
  const here = window.location.pathname + window.location.search;
  setSession(null);
  navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
});

// ---- reference lists, fetched once per session ----

const caches = new Map<string, Promise<unknown>>();

function clearCaches() {
  caches.clear();
}

function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = caches.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    caches.set(key, p);
    p.catch(() => caches.delete(key));
  }
  return p;
}

/** After a new policy: priorities and categories come from it. */
export function refreshPolicyCaches(): void {
  caches.delete('priorities');
  caches.delete('categories');
  caches.delete('outcomes');
}

/** After a change to groups or their members: the cached groups and agents are stale. */
export function refreshGroupCaches(): void {
  caches.delete('groups');
  caches.delete('agents');
}

export const loadPriorities = () => once('priorities', async () => (await get<Page<Priority>>('/api/v1/priorities')).items);
export const loadCategories = () => once('categories', async () => (await get<Page<Category>>('/api/v1/categories')).items);
export const loadGroups = () => once('groups', () => getAll<Group>('/api/v1/groups'));
export const loadAgents = () => once('agents', () => getAll<User>('/api/v1/agents'));
/** Agents: the policy's [outcomes] (what solving takes, the resolutions to choose from). */
export const loadOutcomes = () => once('outcomes', async () => (await get<Policy>('/api/v1/policy')).outcomes);

/** Resolves a cached list for rendering; [] until it arrives (or if it fails). */
export function useList<T>(load: () => Promise<T[]>): T[] {
  const [items, setItems] = useState<T[]>([]);
  useEffect(() => {
    let live = true;
    load().then(
      (v) => live && setItems(v),
      () => live && setItems([]),
    );
    return () => {
      live = false;
    };
  }, [load]);
  return items;
}

/** Agents: the policy's [outcomes]; null until it arrives (or if it fails). */
export function useOutcomes(): PolicyOutcomes | null {
  const [outcomes, setOutcomes] = useState<PolicyOutcomes | null>(null);
  useEffect(() => {
    let live = true;
    loadOutcomes().then(
      (v) => live && setOutcomes(v),
      () => live && setOutcomes(null),
    );
    return () => {
      live = false;
    };
  }, []);
  return outcomes;
}
