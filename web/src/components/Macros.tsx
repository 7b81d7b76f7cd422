// Canned replies in the composer: the picker that fills a macro for the ticket, and the
// summary of the fields it will set when the reply is sent.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api';
import { statusLabel, t } from '../i18n';
import { Link } from '../router';
import { loadGroups, useList } from '../state';
import type { Macro, MacroFields, MacroPreview } from '../types';

/** The shared macros and the agent's own, as the server lists them (by name). */
export function useMacros(): Macro[] {
  const [items, setItems] = useState<Macro[]>([]);
  useEffect(() => {
    let live = true;
    get<{ items: Macro[] }>('/api/v1/macros').then(
      (r) => live && setItems(r.items),
      () => live && setItems([]),
    );
    return () => {
      live = false;
    };
  }, []);
  return items;
}

export function hasFieldChanges(f: MacroFields | null): f is MacroFields {
  return !!f && (f.status !== null || f.priority !== null || f.add_tags.length > 0 || f.group_id !== null);
}

/** "Priority: P1 · Tags: +vip · Group: Billing": what a macro sets, for people. */
export function FieldChanges({ fields }: { fields: MacroFields }) {
  const groups = useList(loadGroups);
  const parts: string[] = [];
  if (fields.status) parts.push(`${t('field.status')}: ${statusLabel(fields.status)}`);
  if (fields.priority) parts.push(`${t('field.priority')}: ${fields.priority}`);
  if (fields.add_tags.length) parts.push(`${t('field.tags')}: ${fields.add_tags.map((x) => `+${x}`).join(' ')}`);
  if (fields.group_id !== null)
    parts.push(`${t('field.group')}: ${groups.find((g) => g.id === fields.group_id)?.name ?? `#${fields.group_id}`}`);
  return <>{parts.join(' · ')}</>;
}

/** Picks a macro, fills it for the ticket and hands the text and fields to the composer. */
export function MacroPicker({ number, onPicked, onError }: { number: number; onPicked: (p: MacroPreview) => void; onError: (e: unknown) => void }) {
  const macros = useMacros();
  const [busy, setBusy] = useState(false);
  return (
    <div class="inline-field macro-picker">
      <label for="composer-macro">{t('macros.picker')}</label>
      <select
        id="composer-macro"
        data-testid="macro-picker"
        value=""
        disabled={busy}
        onChange={async (e) => {
          const id = (e.currentTarget as HTMLSelectElement).value;
          if (!id) return;
          setBusy(true);
          try {
            onPicked(await post<MacroPreview>(`/api/v1/tickets/${number}/macros/${id}/preview`));
          } catch (err) {
            onError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <option value="">{macros.length ? t('macros.choose') : t('macros.none')}</option>
        {macros.map((m) => (
          <option key={m.id} value={m.id}>
            {m.shared ? `${m.name} (${t('macros.shared')})` : m.name}
          </option>
        ))}
      </select>
      <Link href="/agent/macros" class="small" data-testid="macro-manage">
        {t('macros.manage')}
      </Link>
    </div>
  );
}
