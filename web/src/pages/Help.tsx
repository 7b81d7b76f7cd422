// The public help center: /help/{language} (products), /help/{language}/{product} (its
// modules), /help/{language}/{product}/{module} (its articles), /help/{language}/{product}/
// {module}/{slug} (an article) and /help/{language}/search?q= (search with product and module
// filters). No sign-in: the top bar offers it, or the way back to the desk when signed in.
// The texts follow the address's language. An article's `html` comes sanitized from the
// server (docs/help-center.md), the one place this app sets inner HTML.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, post, qs } from '../api';
import { ErrorBox, Loading, useTitle } from '../components/common';
import { Logo } from '../components/Layout';
import { Marked } from '../components/Search';
import { GlobeIcon, SearchIcon } from '../components/icons';
import { formatDateTime, getLanguage, LANGUAGES, matchLanguage, rememberLanguage, setLanguage, t } from '../i18n';
import { Link, navigate, Redirect, type Location } from '../router';
import { useLanguage } from '../state';
import {
  isStaff,
  type Session,
  type HelpArticle,
  type HelpArticleSummary,
  type HelpFacet,
  type HelpProduct,
  type HelpSearchHit,
} from '../types';

/** One GET, again when `path` changes (what an earlier path gave is never shown for it); null path: nothing yet. */
function useFetch<T>(path: string | null): { data: T | null; error: unknown; loading: boolean } {
  const [state, setState] = useState<{ path: string | null; data: T | null; error: unknown }>({ path: null, data: null, error: null });
  useEffect(() => {
    if (path === null) return;
    let live = true;
    get<T>(path).then(
      (data) => live && setState({ path, data, error: null }),
      (error) => live && setState({ path, data: null, error }),
    );
    return () => {
      live = false;
    };
  }, [path]);
  if (path === null || state.path !== path) return { data: null, error: null, loading: true };
  return { data: state.data, error: state.error, loading: false };
}

function languageName(code: string): string {
  return LANGUAGES.find((l) => l.code === code)?.name ?? code;
}

/** "Help center > Product > Module", each a link but the last. */
function Crumbs({ items }: { items: { name: string; path: string }[] }) {
  return (
    <nav class="crumbs" aria-label={t('help.breadcrumbs')} data-testid="help-crumbs">
      {items.map((c, i) => (
        <span key={c.path}>
          {i > 0 && <span aria-hidden="true"> / </span>}
          {i < items.length - 1 ? <Link href={c.path}>{c.name}</Link> : <span aria-current="page">{c.name}</span>}
        </span>
      ))}
    </nav>
  );
}

function HelpSearchForm({ lang, initial = '', big = false }: { lang: string; initial?: string; big?: boolean }) {
  const [q, setQ] = useState(initial);
  useEffect(() => setQ(initial), [initial]);
  return (
    <form
      class={big ? 'help-search help-search-big' : 'help-search'}
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (q.trim()) navigate(`/help/${lang}/search${qs({ q: q.trim() })}`);
      }}
    >
      <label class="sr-only" for={big ? 'help-q-big' : 'help-q'}>
        {t('help.searchLabel')}
      </label>
      <SearchIcon />
      <input
        id={big ? 'help-q-big' : 'help-q'}
        type="search"
        value={q}
        placeholder={t('help.searchPlaceholder')}
        data-testid={big ? 'help-search-big' : 'help-search'}
        onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
      />
    </form>
  );
}

/** The help center's top bar: home, search, sign in (or back to the desk), language. */
function HelpFrame({ lang, loc, session, children }: { lang: string; loc: Location; session: Session | null | undefined; children: ComponentChildren }) {
  const user = session?.user;
  const q = loc.search.get('q') ?? '';
  const searching = loc.path.replace(/\/+$/, '').endsWith('/search');
  return (
    <div class="app app-help">
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header class="topbar" data-testid="help-topbar">
        <div class="topbar-inner">
          <Link href={`/help/${lang}`} class="brand" data-testid="help-home-link">
            <Logo />
            <span>Chamado</span>
            <span class="brand-sub">{t('help.title')}</span>
          </Link>
          <HelpSearchForm lang={lang} initial={searching ? q : ''} />
          <div class="topbar-right">
            {user ? (
              <Link href={isStaff(user.role) ? '/agent' : '/portal'} class="nav-link" data-testid="help-desk-link">
                {isStaff(user.role) ? t('help.toDesk') : t('nav.myRequests')}
              </Link>
            ) : (
              <Link href={`/login${qs({ next: loc.full })}`} class="nav-link" data-testid="help-sign-in">
                {t('help.signIn')}
              </Link>
            )}
            <div class="language">
              <label for="help-language" class="sr-only">
                {t('nav.language')}
              </label>
              <span class="language-icon">
                <GlobeIcon />
              </span>
              <select
                id="help-language"
                data-testid="help-language"
                value={lang}
                onChange={(e) => {
                  const next = (e.currentTarget as HTMLSelectElement).value;
                  rememberLanguage(next);
                  // Products and modules have their names (and addresses) per language: another
                  // language starts at its home; a search is asked again in it. An article links
                  // its own translations.
                  navigate(searching ? `/help/${next}/search${qs({ q })}` : `/help/${next}`);
                }}
              >
                {LANGUAGES.map((l) => (
                  <option key={l.code} value={l.code} lang={l.code}>
                    {l.name}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} class="main">
        {children}
      </main>
    </div>
  );
}

function NotFoundHere({ lang }: { lang: string }) {
  useTitle(t('help.notFound'));
  return (
    <div class="page page-narrow" data-testid="help-not-found">
      <h1>{t('help.notFound')}</h1>
      <p class="muted">{t('help.notFoundText')}</p>
      <p>
        <Link href={`/help/${lang}`}>{t('help.backHome')}</Link>
      </p>
    </div>
  );
}

function HelpHome({ lang }: { lang: string }) {
  useTitle(t('help.title'));
  const products = useFetch<{ items: HelpProduct[] }>(`/api/v1/help/products${qs({ language: lang })}`);
  return (
    <div class="page help-page">
      <div class="help-hero">
        <h1>{t('help.heading')}</h1>
        <HelpSearchForm lang={lang} big />
      </div>
      <ErrorBox error={products.error} />
      {products.loading ? (
        <Loading />
      ) : products.data && products.data.items.length === 0 ? (
        <p class="muted">{t('help.empty')}</p>
      ) : (
        <ul class="help-products" data-testid="help-products">
          {products.data?.items.map((p) => (
            <li key={p.slug} class="card help-product" data-testid="help-product">
              <h2>
                <Link href={`/help/${lang}/${p.slug}`}>{p.name}</Link>
              </h2>
              <ul class="help-modules">
                {p.modules.map((m) => (
                  <li key={m.slug}>
                    <Link href={`/help/${lang}/${p.slug}/${m.slug}`} data-testid="help-module-link">
                      {m.name}
                    </Link>{' '}
                    <span class="muted">{t('help.articleCount', { count: m.articles })}</span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ProductPage({ lang, product }: { lang: string; product: string }) {
  const products = useFetch<{ items: HelpProduct[] }>(`/api/v1/help/products${qs({ language: lang })}`);
  const p = products.data?.items.find((x) => x.slug === product);
  useTitle(p ? p.name : t('help.title'));
  if (products.loading) return <Loading />;
  if (products.error) return <ErrorBox error={products.error} />;
  if (!p) return <NotFoundHere lang={lang} />;
  return (
    <div class="page help-page">
      <Crumbs items={[{ name: t('help.title'), path: `/help/${lang}` }, { name: p.name, path: `/help/${lang}/${p.slug}` }]} />
      <h1>{p.name}</h1>
      <ul class="help-list" data-testid="help-module-list">
        {p.modules.map((m) => (
          <li key={m.slug} class="card help-item">
            <Link href={`/help/${lang}/${p.slug}/${m.slug}`} class="help-item-title" data-testid="help-module-link">
              {m.name}
            </Link>
            <span class="muted">{t('help.articleCount', { count: m.articles })}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ArticleRow({ a, lang }: { a: HelpArticleSummary; lang: string }) {
  return (
    <li class="card help-item" data-testid="help-article-row" data-key={a.key}>
      <Link href={a.path} class="help-item-title" data-testid="help-article-link">
        {a.title}
      </Link>
      {a.language !== lang && (
        <span class="badge" lang={a.language}>
          {languageName(a.language)}
        </span>
      )}
      <p class="muted">{a.description}</p>
    </li>
  );
}

function ModulePage({ lang, product, module }: { lang: string; product: string; module: string }) {
  const list = useFetch<{ items: HelpArticleSummary[] }>(`/api/v1/help/articles${qs({ language: lang, product, module })}`);
  const first = list.data?.items[0];
  useTitle(first ? `${first.module} · ${first.product}` : t('help.title'));
  if (list.loading) return <Loading />;
  if (list.error || !first) return <NotFoundHere lang={lang} />;
  return (
    <div class="page help-page">
      <Crumbs
        items={[
          { name: t('help.title'), path: `/help/${lang}` },
          { name: first.product, path: `/help/${lang}/${first.product_slug}` },
          { name: first.module, path: `/help/${lang}/${first.product_slug}/${first.module_slug}` },
        ]}
      />
      <h1>{first.module}</h1>
      <ul class="help-list" data-testid="help-article-list">
        {list.data?.items.map((a) => (
          <ArticleRow key={a.key} a={a} lang={lang} />
        ))}
      </ul>
    </div>
  );
}

function Vote({ article }: { article: HelpArticle }) {
  const [sent, setSent] = useState<boolean | null>(null);
  const [error, setError] = useState<unknown>(null);
  const vote = (helpful: boolean) => {
    setError(null);
    post(`/api/v1/help/articles/${encodeURIComponent(article.key)}/votes`, { language: article.language, helpful }).then(
      () => setSent(helpful),
      setError,
    );
  };
  return (
    <section class="card help-vote" data-testid="help-vote" aria-live="polite">
      {sent === null ? (
        <>
          <span>{t('help.helpful')}</span>
          <button type="button" class="btn btn-small" data-testid="help-vote-yes" onClick={() => vote(true)}>
            {t('help.yes')}
          </button>
          <button type="button" class="btn btn-small" data-testid="help-vote-no" onClick={() => vote(false)}>
            {t('help.no')}
          </button>
        </>
      ) : (
        <span data-testid="help-vote-thanks">{sent ? t('help.thanksYes') : t('help.thanksNo')}</span>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

/** The article's body as the server rendered and sanitized it. */
export function ArticleBody({ html }: { html: string }) {
  return <div class="help-article-body" data-testid="help-article-body" dangerouslySetInnerHTML={{ __html: html }} />;
}

function ArticlePage({ lang, product, module, slug }: { lang: string; product: string; module: string; slug: string }) {
  const found = useFetch<{ items: HelpArticleSummary[] }>(`/api/v1/help/articles${qs({ language: lang, product, module, slug })}`);
  const key = found.data?.items[0]?.key;
  const article = useFetch<HelpArticle>(key ? `/api/v1/help/articles/${encodeURIComponent(key)}${qs({ language: lang })}` : null);
  const a = article.data;
  useTitle(a ? a.title : t('help.title'));
  if (found.loading || (key && article.loading)) return <Loading />;
  if (found.error || article.error) return <ErrorBox error={found.error ?? article.error} />;
  if (!a) return <NotFoundHere lang={lang} />;
  return (
    <article class="page help-page help-article" lang={a.language} data-testid="help-article" data-key={a.key}>
      <Crumbs items={a.breadcrumbs} />
      <h1 data-testid="help-article-title">{a.title}</h1>
      <p class="muted help-meta">
        {t('help.updated', { date: formatDateTime(a.updated_at) })}
        {a.tags.length > 0 && <> · {a.tags.join(', ')}</>}
      </p>
      {a.fallback && (
        <p class="notice" role="note" data-testid="help-fallback">
          {t('help.fallback', { language: languageName(a.language) })}
        </p>
      )}
      {a.translations.length > 0 && (
        <nav class="help-translations" aria-label={t('help.translations')} data-testid="help-translations">
          <span>{t('help.translations')}:</span>
          {a.translations.map((tr) => (
            <Link key={tr.language} href={tr.path} lang={tr.language} data-testid="help-translation" data-language={tr.language}>
              {languageName(tr.language)}
            </Link>
          ))}
        </nav>
      )}
      <ArticleBody html={a.html} />
      <Vote article={a} />
      {a.related.length > 0 && (
        <section class="help-related" data-testid="help-related">
          <h2>{t('help.related')}</h2>
          <ul class="help-list">
            {a.related.map((r) => (
              <ArticleRow key={r.key} a={r} lang={lang} />
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}

interface SearchPage {
  items: HelpSearchHit[];
  facets: { products: HelpFacet[] };
}

function SearchResults({ lang, loc }: { lang: string; loc: Location }) {
  const q = loc.search.get('q') ?? '';
  const product = loc.search.get('product') ?? '';
  const module = loc.search.get('module') ?? '';
  useTitle(q ? `${q} · ${t('help.title')}` : t('help.title'));
  const page = useFetch<SearchPage>(q ? `/api/v1/help/search${qs({ q, language: lang, product, module, limit: 20 })}` : null);
  const filter = (p: string, m: string) => navigate(`/help/${lang}/search${qs({ q, product: p, module: m })}`, { replace: true });
  const chosen = page.data?.facets.products.find((p) => p.name === product);
  return (
    <div class="page help-page">
      <Crumbs items={[{ name: t('help.title'), path: `/help/${lang}` }, { name: t('help.searchTitle'), path: loc.full }]} />
      <h1>{t('help.searchTitle')}</h1>
      <HelpSearchForm lang={lang} initial={q} big />
      {!q ? null : page.loading ? (
        <Loading />
      ) : page.error ? (
        <ErrorBox error={page.error} />
      ) : (
        <>
          {page.data && page.data.facets.products.length > 0 && (
            <div class="help-facets" data-testid="help-facets">
              <button type="button" class="chip" aria-pressed={!product} onClick={() => filter('', '')} data-testid="help-facet-all">
                {t('help.allProducts')}
              </button>
              {page.data.facets.products.map((p) => (
                <button
                  type="button"
                  key={p.slug}
                  class="chip"
                  aria-pressed={p.name === product}
                  data-testid="help-facet-product"
                  onClick={() => filter(p.name, '')}
                >
                  {p.name} <span class="muted">{p.count}</span>
                </button>
              ))}
              {chosen &&
                chosen.modules?.map((m) => (
                  <button
                    type="button"
                    key={m.slug}
                    class="chip chip-module"
                    aria-pressed={m.name === module}
                    data-testid="help-facet-module"
                    onClick={() => filter(chosen.name, m.name === module ? '' : m.name)}
                  >
                    {m.name} <span class="muted">{m.count}</span>
                  </button>
                ))}
            </div>
          )}
          {page.data?.items.length === 0 ? (
            <p class="muted" data-testid="help-no-results">
              {t('help.noResults', { q })}
            </p>
          ) : (
            <ul class="help-list" data-testid="help-results">
              {page.data?.items.map((h) => (
                <li key={`${h.key}-${h.language}`} class="card help-item" data-testid="help-result" data-key={h.key} data-language={h.language}>
                  <Link href={h.url} class="help-item-title">
                    <Marked html={h.title_html} />
                  </Link>
                  <span class="help-place" data-testid="help-result-place">
                    {h.product} › {h.module}
                    <span class="badge" lang={h.language}>
                      {languageName(h.language)}
                    </span>
                  </span>
                  <p class="muted">
                    <Marked html={h.snippet} />
                  </p>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

/** The help center's pages (App sends every /help path here, signed in or not). */
export function HelpCenter({ loc, session }: { loc: Location; session: Session | null | undefined }) {
  const parts = loc.path.split('/').filter(Boolean).map(decodeURIComponent);
  const lang = matchLanguage(parts[1]) === parts[1] ? parts[1] : null;
  // The texts follow the address's language (not remembered: the switcher does that), also
  // after the session arrives and sets the signed-in person's.
  const shown = useLanguage();
  useEffect(() => {
    if (lang && lang !== shown) setLanguage(lang);
  }, [lang, shown]);
  if (!lang) return <Redirect to={`/help/${getLanguage()}`} />;
  const [, , product, module, slug] = parts;
  let page: ComponentChildren;
  if (parts.length === 2) page = <HelpHome lang={lang} />;
  else if (parts.length === 3 && product === 'search') page = <SearchResults lang={lang} loc={loc} />;
  else if (parts.length === 3) page = <ProductPage key={product} lang={lang} product={product} />;
  else if (parts.length === 4) page = <ModulePage key={module} lang={lang} product={product} module={module} />;
  else if (parts.length === 5) page = <ArticlePage key={slug} lang={lang} product={product} module={module} slug={slug} />;
  else page = <NotFoundHere lang={lang} />;
  return (
    <HelpFrame lang={lang} loc={loc} session={session}>
      {page}
    </HelpFrame>
  );
}

/** The articles that match what a customer is typing as a new request's subject (GET /help/search, 400 ms after the last key). */
export function useHelpSuggestions(subject: string, lang: string): HelpSearchHit[] {
  const [items, setItems] = useState<HelpSearchHit[]>([]);
  useEffect(() => {
    if (subject.trim().length < 3) {
      setItems([]);
      return;
    }
    let live = true;
    const timer = window.setTimeout(() => {
      get<SearchPage>(`/api/v1/help/search${qs({ q: subject.trim(), language: lang, limit: 3 })}`).then(
        (r) => live && setItems(r.items),
        () => live && setItems([]),
      );
    }, 400);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [subject, lang]);
  return items;
}
