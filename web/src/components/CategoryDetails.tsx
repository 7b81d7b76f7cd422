// The details a category asks for when a ticket is opened (the policy's `details`): the fields
// of the new-request form (portal) and of the agent's new ticket, the check made before
// sending (the server checks again and names each missing one), and how they are sent.
import { useState } from 'preact/hooks';
import { FilePicker } from './common';
import { t } from '../i18n';
import type { CategoryDetail } from '../types';

/** What was typed and picked for the chosen category's details, by detail key. */
export function useDetails() {
  const [values, setValues] = useState<Record<string, string>>({});
  const [files, setFiles] = useState<Record<string, File[]>>({});
  const [problems, setProblems] = useState<Record<string, string>>({});
  return { values, setValues, files, setFiles, problems, setProblems };
}
export type DetailsState = ReturnType<typeof useDetails>;

/** What the details still lack, by key, in the reader's language; records them for the fields. Empty: fine. */
export function checkDetails(details: CategoryDetail[], s: DetailsState): string[] {
  const out: Record<string, string> = {};
  for (const d of details) {
    const text = s.values[d.key]?.trim() ?? '';
    const given = d.kind === 'attachment' ? (s.files[d.key]?.length ?? 0) > 0 : text !== '';
    if (!given && d.required) out[d.key] = t(d.kind === 'attachment' ? 'details.fileRequired' : 'details.required', { name: d.label });
    else if (given && d.kind === 'number' && !Number.isFinite(Number(text))) out[d.key] = t('details.notNumber', { name: d.label });
  }
  s.setProblems(out);
  return Object.keys(out);
}

/** Adds the details to a multipart form: text as custom_fields.KEY, files as detail.KEY. */
export function appendDetails(form: FormData, details: CategoryDetail[], s: DetailsState) {
  for (const d of details) {
    if (d.kind === 'attachment') for (const f of s.files[d.key] ?? []) form.append(d.field, f, f.name);
    else if (s.values[d.key]?.trim()) form.append(d.field, s.values[d.key].trim());
  }
}

/**
 * The fields, labelled in the reader's language, required ones marked; under each, what the
 * page found missing or else what the server said about it (`serverField`).
 */
export function DetailFields({ idPrefix, category, details, state: s, serverField, disabled }: {
  idPrefix: string;
  category: string;
  details: CategoryDetail[];
  state: DetailsState;
  serverField: (field: string) => string | undefined;
  disabled?: boolean;
}) {
  if (!details.length) return null;
  return (
    <fieldset class="field details" data-testid={`${idPrefix}-details`}>
      <legend>{t('details.heading')}</legend>
      {details.map((d) => {
        const id = `${idPrefix}-detail-${d.key}`;
        const problem = s.problems[d.key] ?? serverField(d.field);
        return (
          <div class="field" key={`${category}-${d.key}`}>
            <label for={id}>
              {d.label}
              {d.required ? (
                <span class="required-mark" title={t('details.requiredMark')} aria-label={t('details.requiredMark')}>
                  {' *'}
                </span>
              ) : (
                <span class="muted"> {t('details.optional')}</span>
              )}
            </label>
            {d.kind === 'attachment' ? (
              <FilePicker id={id} files={s.files[d.key] ?? []} onChange={(f) => s.setFiles({ ...s.files, [d.key]: f })} testid={id} disabled={disabled} />
            ) : (
              <input
                id={id}
                type="text"
                inputMode={d.kind === 'number' ? 'numeric' : undefined}
                value={s.values[d.key] ?? ''}
                data-testid={id}
                aria-required={d.required ? 'true' : undefined}
                aria-invalid={problem ? 'true' : undefined}
                aria-describedby={problem ? `${id}-error` : undefined}
                onInput={(e) => s.setValues({ ...s.values, [d.key]: (e.currentTarget as HTMLInputElement).value })}
              />
            )}
            {problem && (
              <p id={`${id}-error`} class="field-error" data-testid={`${id}-error`}>
                {problem}
              </p>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
