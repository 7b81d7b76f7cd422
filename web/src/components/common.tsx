// Small building blocks shared by the agent console and the customer portal.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, NETWORK_ERROR } from '../api';
import { clockSynced, serverNow, syncServerClock } from '../clock';
import { customerStatusLabel, formatDateTime, formatRelative, formatSize, statusLabel, t } from '../i18n';
import type { Attachment, Priority, Status } from '../types';
import { ClipIcon, CloseIcon } from './icons';

/** The words to show for a failed request: always the server's `detail` when there is one. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === NETWORK_ERROR) return t('error.network');
    return err.detail || t('error.generic');
  }
  return t('error.generic');
}

export function ErrorBox({ error, title, testid }: { error: unknown; title?: string; testid?: string }) {
  if (!error) return null;
  return (
    <div class="alert alert-error" role="alert" data-testid={testid ?? 'error'}>
      {title && <strong class="alert-title">{title}</strong>}
      <span>{errorText(error)}</span>
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  return (
    <div class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

/**
 * Re-renders every `ms` so that "5 min ago" stays true. The server's now (see clock.ts), so
 * that relative times agree with the server even when the browser's clock does not.
 */
export function useNow(ms = 60_000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    if (!clockSynced()) void syncServerClock().then(() => setNow(serverNow()));
    const id = window.setInterval(() => setNow(serverNow()), ms);
    return () => window.clearInterval(id);
  }, [ms]);
  return now;
}

export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Chamado` : 'Chamado';
  }, [title]);
}

export function RelTime({ iso, now }: { iso: string; now?: number }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}

/** Colour by rank: 0 is the most urgent. */
export function priorityTone(rank: number | undefined): string {
  if (rank === undefined) return 'p-unknown';
  return ['p-0', 'p-1', 'p-2'][rank] ?? 'p-3';
}

export function PriorityBadge({ name, priorities, testid }: { name: string; priorities: Priority[]; testid?: string }) {
  const p = priorities.find((x) => x.name === name);
  return (
    <span class={`badge ${priorityTone(p?.rank)}`} title={p?.description} data-testid={testid}>
      {name}
    </span>
  );
}

export function StatusBadge({ status, customer, testid }: { status: Status; customer?: boolean; testid?: string }) {
  return (
    <span class={`status status-${status}`} data-testid={testid} data-status={status}>
      {customer ? customerStatusLabel(status) : statusLabel(status)}
    </span>
  );
}

export function initials(name: string): string {
  const parts = name.trim().split(/[\s@.]+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : (parts[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

export function Avatar({ name, tone }: { name: string; tone?: string }) {
  return (
    <span class={`avatar ${tone ?? ''}`} aria-hidden="true">
      {initials(name)}
    </span>
  );
}

export function AttachmentList({ items }: { items: Attachment[] }) {
  if (!items.length) return null;
  return (
    <ul class="attachments" aria-label={t('attachments.label')}>
      {items.map((a) => (
        <li key={a.id}>
          <a href={a.url} download={a.filename} data-testid="attachment-link" class="attachment">
            <ClipIcon />
            <span class="attachment-name">{a.filename}</span>
            <span class="muted">{formatSize(a.size)}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

/** A labelled multiple-file input that lists what was picked. */
export function FilePicker({
  id,
  files,
  onChange,
  testid,
  disabled,
}: {
  id: string;
  files: File[];
  onChange: (files: File[]) => void;
  testid: string;
  disabled?: boolean;
}) {
  // A fresh input after each clear, so the same file can be chosen again.
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (files.length === 0) setGeneration((g) => g + 1);
  }, [files.length === 0]);
  return (
    <div class="files">
      <input
        key={generation}
        id={id}
        class="file-input"
        type="file"
        multiple
        disabled={disabled}
        data-testid={testid}
        onChange={(e) => {
          const picked = Array.from((e.currentTarget as HTMLInputElement).files ?? []);
          onChange([...files, ...picked]);
        }}
      />
      <label class="file-button" for={id}>
        <ClipIcon /> {t('attachments.add')}
      </label>
      {files.length > 0 && (
        <ul class="picked" aria-label={t('attachments.selected')}>
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              <span class="attachment-name">{f.name}</span>
              <span class="muted">{formatSize(f.size)}</span>
              <button
                type="button"
                class="link-button"
                aria-label={t('attachments.remove', { name: f.name })}
                onClick={() => onChange(files.filter((_, j) => j !== i))}
              >
                <CloseIcon />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
