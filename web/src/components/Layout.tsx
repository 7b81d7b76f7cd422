// The frame around every signed-in page: top bar with navigation, the search box, the
// person, the language switcher and sign out.
import type { ComponentChildren } from 'preact';
import { LANGUAGES, t, type Lang } from '../i18n';
import { Link } from '../router';
import { changeLanguage, signOut, useLanguage } from '../state';
import { isStaff, type User } from '../types';
import { AvailabilityToggle } from './Availability';
import { GlobeIcon } from './icons';
import { SearchBox } from './Search';

export function Logo() {
  return (
    <svg class="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
      <rect x="2" y="2" width="28" height="28" rx="8" fill="currentColor" />
      <path d="M9 12.5a3.5 3.5 0 0 1 3.5-3.5h7a3.5 3.5 0 0 1 3.5 3.5v4a3.5 3.5 0 0 1-3.5 3.5H15l-4 3.5V20a3.5 3.5 0 0 1-2-3.2z" fill="#fff" />
    </svg>
  );
}

export function LanguageSelect({ id = 'language' }: { id?: string }) {
  const lang = useLanguage();
  return (
    <div class="language">
      <label for={id} class="sr-only">
        {t('nav.language')}
      </label>
      <span class="language-icon">
        <GlobeIcon />
      </span>
      <select
        id={id}
        data-testid="language-select"
        value={lang}
        onChange={(e) => changeLanguage((e.currentTarget as HTMLSelectElement).value as Lang)}
      >
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </div>
  );
}

interface NavItem {
  href: string;
  label: string;
  testid: string;
  active: boolean;
}

export function Layout({ user, path, children }: { user: User; path: string; children: ComponentChildren }) {
  const staff = isStaff(user.role);
  const lang = useLanguage();
  const items: NavItem[] = staff
    ? [
        { href: '/agent', label: t('nav.queue'), testid: 'nav-queue', active: path === '/agent' },
        {
          href: '/agent/tickets',
          label: t('nav.tickets'),
          testid: 'nav-tickets',
          active: path.startsWith('/agent/tickets'),
        },
        { href: '/agent/new', label: t('nav.agentNew'), testid: 'nav-agent-new', active: path === '/agent/new' },
        { href: '/agent/chats', label: t('nav.chats'), testid: 'nav-chats', active: path === '/agent/chats' },
        { href: '/agent/policy', label: t('nav.policy'), testid: 'nav-policy', active: path === '/agent/policy' },
        { href: '/agent/macros', label: t('nav.macros'), testid: 'nav-macros', active: path === '/agent/macros' },
        { href: '/agent/help', label: t('nav.helpArticles'), testid: 'nav-help-articles', active: path.startsWith('/agent/help') },
        { href: '/agent/status', label: t('nav.status'), testid: 'nav-status', active: path === '/agent/status' },
        { href: '/agent/reports', label: t('nav.reports'), testid: 'nav-reports', active: path === '/agent/reports' },
        {
          href: '/agent/reports/feature-requests',
          label: t('nav.featureRequests'),
          testid: 'nav-feature-requests',
          active: path === '/agent/reports/feature-requests',
        },
        ...(user.role === 'admin'
          ? [{ href: '/agent/admin', label: t('nav.admin'), testid: 'nav-admin', active: path.startsWith('/agent/admin') }]
          : []),
      ]
    : [
        {
          href: '/portal',
          label: t('nav.myRequests'),
          testid: 'nav-portal',
          active: path === '/portal' || path.startsWith('/portal/tickets'),
        },
        { href: '/portal/new', label: t('nav.newRequest'), testid: 'nav-new-request', active: path === '/portal/new' },
      ];
  items.push({ href: `/help/${lang}`, label: t('nav.helpCenter'), testid: 'nav-help', active: false });
  return (
    <div class={`app ${staff ? 'app-agent' : 'app-portal'}`}>
      <a class="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header class="topbar" data-testid="topbar">
        <div class="topbar-inner">
          <Link href={staff ? '/agent' : '/portal'} class="brand">
            <Logo />
            <span>Chamado</span>
            {!staff && <span class="brand-sub">{t('portal.brand')}</span>}
          </Link>
          <nav class="nav" aria-label={t('nav.main')}>
            {items.map((i) => (
              <Link key={i.href} href={i.href} data-testid={i.testid} class="nav-link" aria-current={i.active ? 'page' : undefined}>
                {i.label}
              </Link>
            ))}
          </nav>
          <SearchBox staff={staff} />
          <div class="topbar-right">
            {staff && <AvailabilityToggle userId={user.id} />}
            <span class="who" data-testid="user-name" title={user.email}>
              {user.name || user.email}
            </span>
            <LanguageSelect />
            <button type="button" class="btn btn-ghost btn-small" data-testid="sign-out" onClick={() => void signOut()}>
              {t('nav.signOut')}
            </button>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} class="main">
        {children}
      </main>
    </div>
  );
}
