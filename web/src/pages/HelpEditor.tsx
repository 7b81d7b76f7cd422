// /agent/help: the help center's articles for agents (drafts too), filtered by product, module,
// language and status; /agent/help/{key}/{language}: one translation's editor — Markdown with
// a live preview, images, saving as a new revision (a 409 when somebody saved since), the
// revisions with their diff and restore, and the other translations.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, post, put, qs } from '../api';
import { Empty, ErrorBox, Loading, RelTime, useTitle } from '../components/common';
import { LANGUAGES, getLanguage, t } from '../i18n';
import { Link, navigate, setSearch, type Location } from '../router';
import type {
  ArticleRevision,
  ArticleRevisionDetail,
  ArticleSource,
  EditedArticle,
  HelpAuthor,
  HelpImage,
  HelpPlace,
} from '../types';

const KEY_RE = /^[a-z0-9._-]{1,100}$/;

/** An article key from a title or a ticket's subject: "Emissão de NF-e" → "emissao-de-nf-e". */
export function articleKeyFrom(text: string): string {
  const key = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return key || 'article';
}

// A draft handed to the editor by another page (a reply made into an article): kept for the
// tab only, read once.
const HANDOFF = 'chamado.helpDraft';
interface Handoff {
  key: string;
  language: string;
  title: string;
  body: string;
}

/** Opens the editor on a new article prefilled with `title` and `body`. */
export function startDraftArticle(d: Handoff): void {
  sessionStorage.setItem(HANDOFF, JSON.stringify(d));
  navigate(`/agent/help/${encodeURIComponent(d.key)}/${encodeURIComponent(d.language)}?draft=1`);
}

/**
 * Opens the editor on a new draft made of an agent's reply: titled by the ticket's subject,
 * keyed by it (with -2, -3 ... when that key is taken in the language), in the ticket's language.
 */
export async function draftArticleFromReply(ticket: { subject: string; language?: string | null }, body: string): Promise<void> {
  const language = ticket.language && LANGUAGES.some((l) => l.code === ticket.language) ? ticket.language : getLanguage();
  const base = articleKeyFrom(ticket.subject);
  let key = base;
  for (let i = 2; i < 100; i++) {
    try {
      await get<ArticleSource>(`/api/v1/help/articles/${key}/${language}`);
      key = `${base}-${i}`;
    } catch {
      break; // 404: free (any other answer: the editor will say what is wrong)
    }
  }
  startDraftArticle({ key, language, title: ticket.subject, body });
}

function takeHandoff(key: string, language: string): Handoff | null {
  const raw = sessionStorage.getItem(HANDOFF);
  if (!raw) return null;
  sessionStorage.removeItem(HANDOFF);
  try {
    const d = JSON.parse(raw) as Handoff;
    return d.key === key && d.language === language ? d : null;
  } catch {
    return null;
  }
}

function languageName(code: string): string {
  return LANGUAGES.find((l) => l.code === code)?.name ?? code;
}

function authorName(a: HelpAuthor): string {
  return a ? a.name : t('helpEditor.byImport');
}

function StatusTag({ status }: { status: 'draft' | 'published' }) {
  return (
    <span class={`badge ${status === 'draft' ? 'badge-draft' : 'badge-info'}`} data-testid="help-status">
      {status === 'draft' ? t('helpEditor.statusDraft') : t('helpEditor.statusPublished')}
    </span>
  );
}

// ---- the list ----

export function HelpListPage({ loc }: { loc: Location }) {
  useTitle(t('helpEditor.title'));
  const filter = {
    product: loc.search.get('product') ?? '',
    module: loc.search.get('module') ?? '',
    language: loc.search.get('language') ?? '',
    status: loc.search.get('status') ?? '',
  };
  const [items, setItems] = useState<EditedArticle[] | null>(null);
  const [places, setPlaces] = useState<HelpPlace[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [newKey, setNewKey] = useState('');
  const [newLanguage, setNewLanguage] = useState(LANGUAGES[0]?.code ?? 'en');
  const [keyProblem, setKeyProblem] = useState(false);

  const load = async (after: string | null) => {
    setError(null);
    try {
      const r = await get<{ items: EditedArticle[]; next: string | null; places: HelpPlace[] }>(
        `/api/v1/help/editor/articles${qs({ ...filter, limit: 100, after })}`,
      );
      setItems((old) => (after && old ? [...old, ...r.items] : r.items));
      setNext(r.next);
      setPlaces(r.places);
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    setItems(null);
    void load(null);
  }, [filter.product, filter.module, filter.language, filter.status]);

  const products = [...new Set(places.map((p) => p.product))];
  const modules = places.filter((p) => !filter.product || p.product === filter.product).map((p) => p.module);
  const select = (name: keyof typeof filter, label: string, options: { value: string; label: string }[]) => (
    <div class="field">
      <label for={`help-filter-${name}`}>{label}</label>
      <select
        id={`help-filter-${name}`}
        data-testid={`help-filter-${name}`}
        value={filter[name]}
        onChange={(e) => {
          const v = (e.currentTarget as HTMLSelectElement).value;
          setSearch({ [name]: v || null, ...(name === 'product' ? { module: null } : {}) });
        }}
      >
        <option value="">{t('helpEditor.any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );

  const create = (e: Event) => {
    e.preventDefault();
    const key = newKey.trim();
    if (!KEY_RE.test(key)) {
      setKeyProblem(true);
      return;
    }
    navigate(`/agent/help/${key}/${newLanguage}`);
  };

  return (
    <div class="page page-wide" data-testid="help-list-page">
      <header class="page-header">
        <h1>{t('helpEditor.title')}</h1>
        <p class="muted">{t('helpEditor.subtitle')}</p>
      </header>
      <form class="card help-new" onSubmit={create} noValidate data-testid="help-new">
        <h2 class="card-title">{t('helpEditor.newArticle')}</h2>
        <div class="help-new-fields">
          <div class="field">
            <label for="help-new-key">{t('helpEditor.key')}</label>
            <input
              id="help-new-key"
              data-testid="help-new-key"
              value={newKey}
              placeholder="invoices-issue-nfe"
              aria-invalid={keyProblem}
              aria-describedby="help-new-key-hint"
              onInput={(e) => {
                setNewKey((e.currentTarget as HTMLInputElement).value);
                setKeyProblem(false);
              }}
            />
            <p id="help-new-key-hint" class={keyProblem ? 'field-error' : 'hint'}>
              {t('helpEditor.keyHint')}
            </p>
          </div>
          <div class="field">
            <label for="help-new-language">{t('helpEditor.language')}</label>
            <select id="help-new-language" data-testid="help-new-language" value={newLanguage} onChange={(e) => setNewLanguage((e.currentTarget as HTMLSelectElement).value)}>
              {LANGUAGES.map((l) => (
                <option key={l.code} value={l.code}>
                  {l.name}
                </option>
              ))}
            </select>
          </div>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" data-testid="help-new-open">
              {t('helpEditor.write')}
            </button>
          </div>
        </div>
      </form>
      <div class="help-filters" data-testid="help-filters">
        {select('product', t('helpEditor.product'), products.filter(Boolean).map((p) => ({ value: p, label: p })))}
        {select('module', t('helpEditor.module'), [...new Set(modules)].filter(Boolean).map((m) => ({ value: m, label: m })))}
        {select('language', t('helpEditor.language'), LANGUAGES.map((l) => ({ value: l.code, label: l.name })))}
        {select('status', t('helpEditor.status'), [
          { value: 'draft', label: t('helpEditor.statusDraft') },
          { value: 'published', label: t('helpEditor.statusPublished') },
        ])}
      </div>
      <ErrorBox error={error} testid="help-error" />
      {items === null ? (
        !error && <Loading />
      ) : items.length === 0 ? (
        <Empty>{t('helpEditor.empty')}</Empty>
      ) : (
        <div class="table-wrap">
          <table class="table" data-testid="help-list">
            <thead>
              <tr>
                <th scope="col">{t('helpEditor.articleTitle')}</th>
                <th scope="col">{t('helpEditor.language')}</th>
                <th scope="col">{t('helpEditor.place')}</th>
                <th scope="col">{t('helpEditor.status')}</th>
                <th scope="col">{t('helpEditor.revision')}</th>
                <th scope="col">{t('helpEditor.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={`${a.key} ${a.language}`} data-testid="help-row" data-key={a.key} data-language={a.language}>
                  <td>
                    <Link href={`/agent/help/${a.key}/${a.language}`}>{a.title}</Link>
                    <div class="muted help-key">{a.key}</div>
                  </td>
                  <td>{languageName(a.language)}</td>
                  <td>
                    {a.product || t('helpEditor.none')} › {a.module || t('helpEditor.none')}
                  </td>
                  <td>
                    <StatusTag status={a.status} />
                  </td>
                  <td>{a.revision}</td>
                  <td>
                    <RelTime iso={a.updated_at} /> · {authorName(a.updated_by)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <p>
          <button type="button" class="btn" data-testid="help-more" onClick={() => void load(next)}>
            {t('list.loadMore')}
          </button>
        </p>
      )}
    </div>
  );
}

// ---- the editor ----

interface Draft {
  title: string;
  product: string;
  module: string;
  tags: string;
  status: 'draft' | 'published';
  body: string;
}

function draftOf(a: ArticleSource | null): Draft {
  return a
    ? { title: a.title, product: a.product, module: a.module, tags: a.tags.join(', '), status: a.status, body: a.body }
    : { title: '', product: '', module: '', tags: '', status: 'draft', body: '' };
}

/** The preview of the Markdown, from the server's renderer, 400 ms after the last change. */
function usePreview(body: string): { html: string | null; failed: boolean } {
  const [state, setState] = useState<{ html: string | null; failed: boolean }>({ html: null, failed: false });
  useEffect(() => {
    let stale = false;
    const timer = setTimeout(() => {
      post<{ html: string }>('/api/v1/help/preview', { body }).then(
        (r) => !stale && setState({ html: r.html, failed: false }),
        () => !stale && setState({ html: null, failed: true }),
      );
    }, 400);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [body]);
  return state;
}

export function HelpEditPage({ articleKey, language, loc }: { articleKey: string; language: string; loc: Location }) {
  const from = loc.search.get('from');
  const [stored, setStored] = useState<ArticleSource | null | undefined>(undefined);
  const [draft, setDraft] = useState<Draft>(draftOf(null));
  const [translations, setTranslations] = useState<EditedArticle[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState('');
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [revisionsVersion, setRevisionsVersion] = useState(0);
  const body = useRef<HTMLTextAreaElement>(null);
  const preview = usePreview(draft.body);
  useTitle(draft.title || articleKey);

  const loadTranslations = () =>
    get<{ items: EditedArticle[] }>(`/api/v1/help/editor/articles${qs({ key: articleKey })}`).then(
      (r) => setTranslations(r.items),
      () => setTranslations([]),
    );

  useEffect(() => {
    let gone = false;
    (async () => {
      try {
        const a = await get<ArticleSource>(`/api/v1/help/articles/${articleKey}/${language}`);
        if (gone) return;
        setStored(a);
        setDraft(draftOf(a));
      } catch (err) {
        if (gone) return;
        if (!(err instanceof ApiError) || err.status !== 404) return setError(err);
        setStored(null);
        // A new translation: from another language's text, or from a reply handed over.
        const handed = takeHandoff(articleKey, language);
        if (handed) return setDraft({ ...draftOf(null), title: handed.title, body: handed.body });
        if (from) {
          try {
            const base = await get<ArticleSource>(`/api/v1/help/articles/${articleKey}/${from}`);
            if (!gone) setDraft({ ...draftOf(base), status: 'draft' });
          } catch (e) {
            if (!gone) setError(e);
          }
        }
      }
    })();
    void loadTranslations();
    return () => {
      gone = true;
    };
  }, [articleKey, language]);

  if (stored === undefined && !error) return <Loading />;

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setDraft((d) => ({ ...d, [k]: v }));
    setSaved('');
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    setConflict('');
    setSaved('');
    try {
      const a = await put<ArticleSource>(`/api/v1/help/articles/${articleKey}/${language}`, {
        title: draft.title,
        body: draft.body,
        product: draft.product,
        module: draft.module,
        status: draft.status,
        tags: draft.tags
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
        base_revision: stored?.revision ?? 0,
      });
      setStored(a);
      setDraft(draftOf(a));
      setSaved(a.saved === 'unchanged' ? t('helpEditor.unchanged') : t('helpEditor.saved', { revision: a.revision }));
      setRevisionsVersion((v) => v + 1);
      if (a.saved === 'created') void loadTranslations();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setConflict(err.detail);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const upload = async (file: File) => {
    setUploading(true);
    setError(null);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const img = await post<HelpImage>('/api/v1/help/images', form);
      const el = body.current;
      const at = el ? el.selectionStart : draft.body.length;
      const name = file.name.replace(/\.[^.]+$/, '').replace(/[[\]]/g, '');
      // On a line of its own: Markdown shows it as a block there.
      const before = draft.body.slice(0, at);
      const text = `${before && !before.endsWith('\n') ? '\n' : ''}![${name}](${img.url})\n`;
      set('body', before + text + draft.body.slice(at));
    } catch (err) {
      setError(err);
    } finally {
      setUploading(false);
    }
  };

  const restored = (a: ArticleSource) => {
    setStored(a);
    setDraft(draftOf(a));
    setConflict('');
    setSaved(a.saved === 'unchanged' ? t('helpEditor.unchanged') : t('helpEditor.restored', { revision: a.revision }));
    setRevisionsVersion((v) => v + 1);
  };

  const missing = LANGUAGES.filter((l) => l.code !== language && !translations.some((x) => x.language === l.code));
  const field = (k: 'title' | 'product' | 'module' | 'tags', label: string, hint?: string) => (
    <div class="field">
      <label for={`help-${k}`}>{label}</label>
      <input
        id={`help-${k}`}
        data-testid={`help-${k}`}
        value={draft[k]}
        aria-describedby={hint ? `help-${k}-hint` : undefined}
        onInput={(e) => set(k, (e.currentTarget as HTMLInputElement).value)}
      />
      {hint && (
        <p id={`help-${k}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error instanceof ApiError && error.fieldMessage(k) && <p class="field-error">{error.fieldMessage(k)}</p>}
    </div>
  );

  return (
    <div class="page page-wide help-editor" data-testid="help-editor">
      <nav class="crumbs" aria-label={t('helpEditor.breadcrumb')}>
        <Link href="/agent/help">{t('helpEditor.title')}</Link>
        <span aria-hidden="true"> / </span>
        <span>
          {articleKey} · {languageName(language)}
        </span>
      </nav>
      <header class="page-header">
        <h1 data-testid="help-editor-title">{stored ? stored.title : t('helpEditor.newTranslation', { language: languageName(language) })}</h1>
        {stored ? (
          <p class="muted" data-testid="help-editor-meta">
            {t('helpEditor.revisionBy', { revision: stored.revision, name: authorName(stored.updated_by) })} · <RelTime iso={stored.updated_at} />
            {stored.status === 'published' && (
              <>
                {' · '}
                <a href={stored.path} target="_blank" rel="noopener" data-testid="help-public-link">
                  {stored.path}
                </a>
              </>
            )}
          </p>
        ) : (
          <p class="muted" data-testid="help-editor-meta">
            {from ? t('helpEditor.fromTranslation', { language: languageName(from) }) : t('helpEditor.notSaved')}
          </p>
        )}
      </header>
      {conflict && (
        <div class="alert alert-error" role="alert" data-testid="help-conflict">
          <p class="alert-title">{t('helpEditor.conflictTitle')}</p>
          <p>{conflict}</p>
        </div>
      )}
      <ErrorBox error={error instanceof ApiError && error.errors.length ? null : error} testid="help-error" />
      <form class="card" onSubmit={save} noValidate data-testid="help-form">
        {field('title', t('helpEditor.articleTitle'))}
        <div class="help-place">
          {field('product', t('helpEditor.product'))}
          {field('module', t('helpEditor.module'))}
        </div>
        {field('tags', t('helpEditor.tags'), t('helpEditor.tagsHint'))}
        <div class="field">
          <label for="help-status">{t('helpEditor.status')}</label>
          <select id="help-status" data-testid="help-status-select" value={draft.status} onChange={(e) => set('status', (e.currentTarget as HTMLSelectElement).value as Draft['status'])}>
            <option value="draft">{t('helpEditor.statusDraft')}</option>
            <option value="published">{t('helpEditor.statusPublished')}</option>
          </select>
        </div>
        <div class="help-panes">
          <div class="field">
            <label for="help-body">{t('helpEditor.body')}</label>
            <textarea
              id="help-body"
              ref={body}
              data-testid="help-body"
              rows={20}
              value={draft.body}
              spellcheck
              onInput={(e) => set('body', (e.currentTarget as HTMLTextAreaElement).value)}
            />
            {error instanceof ApiError && error.fieldMessage('body') && <p class="field-error">{error.fieldMessage('body')}</p>}
            <label class="btn btn-small help-upload">
              {uploading ? t('helpEditor.uploading') : t('helpEditor.addImage')}
              <input
                type="file"
                class="sr-only"
                accept="image/png,image/jpeg,image/gif,image/webp"
                data-testid="help-image"
                disabled={uploading}
                onChange={(e) => {
                  const input = e.currentTarget as HTMLInputElement;
                  const f = input.files?.[0];
                  input.value = '';
                  if (f) void upload(f);
                }}
              />
            </label>
          </div>
          <section class="help-preview" aria-label={t('helpEditor.preview')} data-testid="help-preview">
            <h2 class="card-title">{t('helpEditor.preview')}</h2>
            {preview.failed ? (
              <p class="notice" data-testid="help-preview-unavailable">
                {t('helpEditor.previewUnavailable')}
              </p>
            ) : preview.html === null ? (
              <p class="muted">{t('common.loading')}</p>
            ) : (
              // The server's renderer sanitizes its HTML (nothing executable survives).
              <div class="help-article" dangerouslySetInnerHTML={{ __html: preview.html }} />
            )}
          </section>
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" disabled={busy} data-testid="help-save">
            {busy ? t('common.saving') : t('helpEditor.save')}
          </button>
          {saved && (
            <span class="help-saved" role="status" data-testid="help-saved">
              {saved}
            </span>
          )}
        </div>
      </form>
      <section class="card" data-testid="help-translations">
        <h2 class="card-title">{t('helpEditor.translations')}</h2>
        <ul class="help-translations">
          {translations.map((x) => (
            <li key={x.language}>
              {x.language === language ? (
                <strong>{languageName(x.language)}</strong>
              ) : (
                <Link href={`/agent/help/${x.key}/${x.language}`}>{languageName(x.language)}</Link>
              )}{' '}
              <StatusTag status={x.status} />
            </li>
          ))}
        </ul>
        {stored && missing.length > 0 && (
          <p>
            {t('helpEditor.translateInto')}{' '}
            {missing.map((l) => (
              <Link key={l.code} class="btn btn-small" href={`/agent/help/${articleKey}/${l.code}?from=${language}`} data-testid={`help-translate-${l.code}`}>
                {l.name}
              </Link>
            ))}
          </p>
        )}
      </section>
      {stored && <Revisions articleKey={articleKey} language={language} version={revisionsVersion} latest={stored.revision} onRestored={restored} />}
    </div>
  );
}

function Revisions({
  articleKey,
  language,
  version,
  latest,
  onRestored,
}: {
  articleKey: string;
  language: string;
  version: number;
  latest: number;
  onRestored: (a: ArticleSource) => void;
}) {
  const base = `/api/v1/help/articles/${articleKey}/${language}/revisions`;
  const [items, setItems] = useState<ArticleRevision[] | null>(null);
  const [shown, setShown] = useState<ArticleRevisionDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    get<{ items: ArticleRevision[] }>(base).then(
      (r) => setItems(r.items),
      (err) => setError(err),
    );
  }, [articleKey, language, version]);

  const show = async (n: number) => {
    setError(null);
    try {
      setShown(await get<ArticleRevisionDetail>(`${base}/${n}`));
    } catch (err) {
      setError(err);
    }
  };
  const restore = async (n: number) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onRestored(await post<ArticleSource>(`${base}/${n}/restore`));
      setShown(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" data-testid="help-revisions">
      <h2 class="card-title">{t('helpEditor.revisions')}</h2>
      <ErrorBox error={error} />
      {items === null ? (
        !error && <Loading />
      ) : (
        <ol class="help-revisions" reversed>
          {items.map((r) => (
            <li key={r.number} data-testid="help-revision" data-number={r.number}>
              <button type="button" class="btn btn-ghost btn-small" onClick={() => void show(r.number)} aria-pressed={shown?.number === r.number}>
                {t('helpEditor.revisionN', { revision: r.number })}
              </button>{' '}
              {authorName(r.author)} · <RelTime iso={r.created_at} /> · <StatusTag status={r.status} /> · {r.title}
              {r.restored_from !== null && <span class="muted"> · {t('helpEditor.restoredFrom', { revision: r.restored_from })}</span>}
            </li>
          ))}
        </ol>
      )}
      {shown && (
        <div class="help-diff-view" data-testid="help-diff-view">
          <h3>
            {shown.previous === null
              ? t('helpEditor.diffFirst', { revision: shown.number })
              : t('helpEditor.diffAgainst', { revision: shown.number, previous: shown.previous })}
          </h3>
          <pre class="help-diff" data-testid="help-diff">
            {shown.diff.map((l, i) => (
              <div key={i} class={`diff-${l.op}`} data-op={l.op}>
                <span class="diff-mark" aria-hidden="true">
                  {l.op === 'added' ? '+' : l.op === 'removed' ? '−' : ' '}
                </span>
                <span class="sr-only">{l.op === 'added' ? t('helpEditor.lineAdded') : l.op === 'removed' ? t('helpEditor.lineRemoved') : ''}</span>
                {l.text || ' '}
              </div>
            ))}
          </pre>
          {shown.number !== latest && (
            <button type="button" class="btn" disabled={busy} data-testid="help-restore" onClick={() => void restore(shown.number)}>
              {t('helpEditor.restore', { revision: shown.number })}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
