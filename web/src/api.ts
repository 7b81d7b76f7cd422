// A small client for the Chamado API: JSON or multipart bodies, the CSRF header on
// changes, and RFC 9457 problem details turned into ApiError with the server's `detail`.
import { noteServerDate } from './clock';
import { getLanguage } from './i18n';
import type { Page } from './types';

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];

  constructor(status: number, detail: string, code = '', errors: FieldError[] = []) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
  }

  /** The message for one form field, if the server named it. */
  fieldMessage(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }
}

/** Raised when the server could not be reached at all (status 0). */
export const NETWORK_ERROR = 0;

let csrfToken = '';
let unauthenticatedHandler: (() => void) | null = null;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token ?? '';
}

/** Called when a request answers 401 (the session expired or was signed out elsewhere). */
export function onUnauthenticated(handler: (() => void) | null): void {
  unauthenticatedHandler = handler;
}

type Query = Record<string, string | number | boolean | null | undefined>;

/** Builds "?a=1&b=2" from the defined values. */
export function qs(params: Query): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    search.set(k, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

export async function request<T>(method: string, path: string, body?: unknown, opts: { quiet401?: boolean } = {}): Promise<T> {
  // The server says its problems in the signed-in person's language; before signing in, in
  // the language this page shows (chosen on the sign-in page or taken from the browser).
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': getLanguage() };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) {
    payload = body; // the browser sets multipart/form-data with its boundary
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  const sent = Date.now();
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(NETWORK_ERROR, '');
  }
  noteServerDate(res.headers.get('date'), sent, Date.now());
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const p = (json ?? {}) as { detail?: string; title?: string; code?: string; errors?: FieldError[] };
    const err = new ApiError(res.status, p.detail || p.title || `HTTP ${res.status}`, p.code ?? '', p.errors ?? []);
    if (res.status === 401 && !opts.quiet401 && unauthenticatedHandler) unauthenticatedHandler();
    throw err;
  }
  return json as T;
}

export const get = <T>(path: string, opts?: { quiet401?: boolean }) => request<T>('GET', path, undefined, opts);
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);
export const del = <T>(path: string) => request<T>('DELETE', path);

/** Fetches every page of a cursor-paginated list (bounded, in case of a server loop). */
export async function getAll<T>(path: string, limit = 200, maxPages = 50): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const sep: string = path.includes('?') ? '&' : '?';
    const page: Page<T> = await get<Page<T>>(`${path}${sep}${qs({ limit, after }).slice(1)}`);
    out.push(...page.items);
    if (!page.next) break;
    after = page.next;
  }
  return out;
}
