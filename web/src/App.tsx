// Routes, and who may see which: visitors go to /login (and come back afterwards),
// customers stay in /portal, agents and admins in /agent; the help center (/help) and the
// status page (/status) are for everybody.
import type { FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Layout } from './components/Layout';
import { Loading, useTitle } from './components/common';
import { t } from './i18n';
import { Link, match, Redirect, useLocation, type Location } from './router';
import { useLanguage, useSession } from './state';
import { isStaff, type User } from './types';
import { QueuePage, TicketsPage } from './pages/AgentLists';
import { AgentTicketPage } from './pages/AgentTicket';
import { LoginPage, landingFor } from './pages/Login';
import { PolicyPage } from './pages/Policy';
import { AgentNewPage } from './pages/AgentNew';
import { adminPage } from './pages/Admin';
import { PortalHome, PortalNew, PortalTicket } from './pages/Portal';
import { SearchPage } from './pages/Search';
import { FeatureRequestsPage } from './pages/FeatureRequests';
import { ReportsPage } from './pages/Reports';
import { MacrosPage } from './pages/Macros';
import { SurveyPage } from './pages/Survey';
import { ContactPage } from './pages/Contact';
import { HelpEditPage, HelpListPage } from './pages/HelpEditor';
import { HelpCenter } from './pages/Help';
import { StatusPage } from './pages/Status';
import { StatusAdminPage } from './pages/StatusAdmin';

function NotFound() {
  useTitle(t('notFound.title'));
  return (
    <div class="page page-narrow">
      <h1>{t('notFound.title')}</h1>
      <p class="muted">{t('notFound.text')}</p>
      <p>
        <Link href="/">{t('notFound.home')}</Link>
      </p>
    </div>
  );
}

// The live-chat console is its own chunk: only agents who open it download it.
function AgentChats() {
  const [Page, setPage] = useState<FunctionComponent | null>(null);
  useEffect(() => {
    void import('./pages/AgentChats').then((m) => setPage(() => m.AgentChatsPage));
  }, []);
  return Page ? <Page /> : <Loading />;
}

function agentPage(loc: Location) {
  const p = loc.path.replace(/\/+$/, '') || '/';
  if (p === '/agent') return <QueuePage loc={loc} />;
  if (p === '/agent/tickets') return <TicketsPage loc={loc} />;
  if (p === '/agent/new') return <AgentNewPage />;
  if (p === '/agent/policy') return <PolicyPage />;
  if (p === '/agent/reports/feature-requests') return <FeatureRequestsPage />;
  if (p === '/agent/reports') return <ReportsPage />;
  if (p === '/agent/macros') return <MacrosPage />;
  if (p === '/agent/status') return <StatusAdminPage />;
  if (p === '/agent/chats') return <AgentChats />;
  if (p === '/agent/search') return <SearchPage loc={loc} staff />;
  if (p === '/agent/help') return <HelpListPage loc={loc} />;
  const article = match('/agent/help/:key/:language', p);
  if (article)
    return <HelpEditPage key={`${article.key} ${article.language}`} articleKey={article.key} language={article.language} loc={loc} />;
  const m = match('/agent/tickets/:number', p);
  if (m) return <AgentTicketPage key={m.number} number={m.number} />;
  const contact = match('/agent/contacts/:id', p);
  if (contact) return <ContactPage key={contact.id} id={Number(contact.id)} />;
  return adminPage(p, loc) ?? <NotFound />;
}

function portalPage(loc: Location) {
  const p = loc.path.replace(/\/+$/, '') || '/';
  if (p === '/portal') return <PortalHome />;
  if (p === '/portal/new') return <PortalNew />;
  if (p === '/portal/search') return <SearchPage loc={loc} staff={false} />;
  const m = match('/portal/tickets/:number', p);
  if (m)
    return (
      <PortalTicket
        key={m.number}
        number={m.number}
        justCreated={loc.search.get('created') === '1'}
        followUpOf={loc.search.get('follow_up_of')}
      />
    );
  return <NotFound />;
}

/** The same place in the other area: /portal/tickets/7 ↔ /agent/tickets/7. */
function otherArea(user: User, path: string): string {
  const n = match('/portal/tickets/:number', path) ?? match('/agent/tickets/:number', path);
  if (isStaff(user.role)) return n ? `/agent/tickets/${n.number}` : '/agent';
  return n ? `/portal/tickets/${n.number}` : '/portal';
}

export function App() {
  const session = useSession();
  const loc = useLocation();
  useLanguage(); // re-render everything when the language changes

  // Move focus to the page's content after in-app navigation, for keyboard and screen reader users.
  useEffect(() => {
    const main = document.getElementById('main');
    if (main && document.activeElement && document.activeElement !== document.body) {
      const active = document.activeElement as HTMLElement;
      if (!main.contains(active) || active.tagName === 'A') main.focus({ preventScroll: true });
    }
  }, [loc.path]);

  // The survey's signed link needs no sign-in: it is the customer's credential.
  const survey = match('/survey/:number', loc.path.replace(/\/+$/, ''));
  if (survey) return <SurveyPage number={survey.number} sig={loc.search.get('sig') ?? ''} />;
  // The help center is public: its own top bar offers sign-in, or the way back to the desk.
  if (loc.path === '/help' || loc.path.startsWith('/help/')) return <HelpCenter loc={loc} session={session} />;
  // So is the status page: customers are sent there when something is down.
  if (loc.path.replace(/\/+$/, '') === '/status') return <StatusPage session={session} />;
  if (session === undefined) return <Loading />;

  if (loc.path === '/login') {
    if (session) return <Redirect to={landingFor(session.user.role, loc.search.get('next'))} />;
    return <LoginPage next={loc.search.get('next')} />;
  }
  if (!session) {
    const next = loc.path === '/' ? '' : `?next=${encodeURIComponent(loc.full)}`;
    return <Redirect to={`/login${next}`} />;
  }
  const user = session.user;
  const staff = isStaff(user.role);
  if (loc.path === '/' || loc.path === '') return <Redirect to={staff ? '/agent' : '/portal'} />;
  const inAgent = loc.path === '/agent' || loc.path.startsWith('/agent/');
  const inPortal = loc.path === '/portal' || loc.path.startsWith('/portal/');
  if ((inAgent && !staff) || (inPortal && staff)) return <Redirect to={otherArea(user, loc.path)} />;

  return (
    <Layout user={user} path={loc.path}>
      {inAgent ? agentPage(loc) : inPortal ? portalPage(loc) : <NotFound />}
    </Layout>
  );
}
