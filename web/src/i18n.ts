// A tiny translation framework: flat dictionaries in locales/*.json, `t(key, params)`
// with {param} placeholders, and Intl for dates, relative times and numbers.
import en from './locales/en.json';
import languages from './languages.json';
import { serverNow } from './clock';
import type { Channel, ClockState, MessageKind, Resolution, SlaTarget, Status } from './types';

export type MessageKey = keyof typeof en;
type Dictionary = Record<MessageKey, string>;

/**
 * The desk's languages in the order the switcher offers them, each with its own name: the list
 * of src/core/languages.h, which languages_test holds languages.json and locales/ to.
 */
export const LANGUAGES: readonly { code: string; name: string }[] = languages;

/** A code of LANGUAGES. */
export type Lang = string;

// Every locale file, by its code ("./locales/pt-BR.json" → "pt-BR"). check-i18n holds each to
// en.json's keys: the type checker cannot see into a glob.
const dictionaries: Record<Lang, Dictionary> = Object.fromEntries(
  Object.entries(import.meta.glob<Dictionary>('./locales/*.json', { eager: true, import: 'default' })).map(([path, dict]) => [
    path.slice('./locales/'.length, -'.json'.length),
    dict,
  ]),
);

const STORAGE_KEY = 'chamado.language';

let current: Lang = 'en';
const listeners = new Set<(lang: Lang) => void>();

/** Maps a BCP 47 tag ("pt", "pt-PT", "de-AT", "en-US") to a supported language. */
export function matchLanguage(tag: string | null | undefined): Lang | null {
  if (!tag) return null;
  const lower = tag.toLowerCase();
  for (const l of LANGUAGES) if (l.code.toLowerCase() === lower) return l.code;
  const base = lower.split('-')[0];
  for (const l of LANGUAGES) if (l.code.toLowerCase().split('-')[0] === base) return l.code;
  return null;
}

/** The language the person chose with the switcher, if any. */
export function storedLanguage(): Lang | null {
  try {
    return matchLanguage(localStorage.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

export function rememberLanguage(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
}

/** The switcher's choice, else the account's language, else the browser's. */
export function preferredLanguage(accountLanguage?: string): Lang {
  const stored = storedLanguage();
  if (stored) return stored;
  const account = matchLanguage(accountLanguage);
  if (account) return account;
  const browser = typeof navigator !== 'undefined' ? [...(navigator.languages ?? []), navigator.language] : [];
  for (const tag of browser) {
    const m = matchLanguage(tag);
    if (m) return m;
  }
  return 'en';
}

export function getLanguage(): Lang {
  return current;
}

export function setLanguage(lang: Lang): void {
  if (lang === current) return;
  current = lang;
  document.documentElement.lang = lang;
  for (const l of listeners) l(lang);
}

export function onLanguageChange(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The text for `key` in the current language, with {name} placeholders filled in. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[current][key] ?? en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? formatNumber(v) : v;
  });
}

// ---- names of API values ----

export function statusLabel(s: Status): string {
  return t(`status.${s}` as MessageKey);
}

/** The friendlier words the customer portal uses for a status. */
export function customerStatusLabel(s: Status): string {
  return t(`portal.status.${s}` as MessageKey);
}

export function kindLabel(k: MessageKind): string {
  return t(`kind.${k}` as MessageKey);
}

export function resolutionLabel(r: Resolution): string {
  return t(`resolution.${r}` as MessageKey);
}

export function channelLabel(c: Channel): string {
  return t(`channel.${c}` as MessageKey);
}

export function targetLabel(target: SlaTarget | string): string {
  return tMaybe(`sla.target.${target}`, target);
}

export function clockStateLabel(state: ClockState | string): string {
  return tMaybe(`sla.state.${state}`, state);
}

/** A known key's text, or `fallback` when the dictionary has no such key. */
export function tMaybe(key: string, fallback: string): string {
  return key in en ? t(key as MessageKey) : fallback;
}

// ---- Intl formatting in the current language ----

const cache = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  const k = `${current}|${key}`;
  let f = cache.get(k) as T | undefined;
  if (!f) {
    f = make();
    cache.set(k, f);
  }
  return f;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return cached('dt', () => new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' })).format(d);
}

export function formatNumber(n: number): string {
  return cached('n', () => new Intl.NumberFormat(current)).format(n);
}

/** "3 hours ago", "yesterday", "in 5 minutes" in the current language. */
export function formatRelative(iso: string | null | undefined, now: number = serverNow()): string {
  if (!iso) return '';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const rtf = cached('rel', () => new Intl.RelativeTimeFormat(current, { numeric: 'auto', style: 'short' }));
  const seconds = Math.round((then - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return rtf.format(0, 'second');
  if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 26 * 86400) return rtf.format(Math.round(seconds / 86400), 'day');
  if (abs < 320 * 86400) return rtf.format(Math.round(seconds / (30 * 86400)), 'month');
  return rtf.format(Math.round(seconds / (365 * 86400)), 'year');
}

/** "12 KB", "3.4 MB" with the current language's digits and unit names. */
export function formatSize(bytes: number): string {
  const units: [number, string][] = [
    [1024 * 1024 * 1024, 'gigabyte'],
    [1024 * 1024, 'megabyte'],
    [1024, 'kilobyte'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) {
      return cached(`u-${unit}`, () =>
        new Intl.NumberFormat(current, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }),
      ).format(bytes / size);
    }
  }
  return cached('u-byte', () => new Intl.NumberFormat(current, { style: 'unit', unit: 'byte', unitDisplay: 'long' })).format(bytes);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A span of time for countdowns: "2 d 04 h", "1 h 05 min", "23 min", and with
 * `seconds` below ten minutes "4 min 09 s". Truncates: 59.9 minutes is still "59 min".
 */
export function formatDuration(ms: number, seconds = false): string {
  const total = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return t('duration.days', { d, hh: pad2(h) });
  if (h > 0) return t('duration.hours', { h, mm: pad2(m) });
  if (seconds && m < 10) return m > 0 ? t('duration.minutesSeconds', { m, ss: pad2(s) }) : t('duration.seconds', { s });
  return t('duration.minutes', { m });
}

/** A policy duration as written ("30m", "4h", "1d", "1h30m") in the current language's units. */
export function formatWithin(text: string): string {
  const parts = [...text.matchAll(/(\d+)\s*([dhm])/g)];
  if (!parts.length || parts.map((p) => p[0]).join('').replace(/\s/g, '') !== text.replace(/\s/g, '')) return text;
  return parts.map((p) => t(`unit.${p[2]}` as MessageKey, { n: Number(p[1]) })).join(' ');
}
