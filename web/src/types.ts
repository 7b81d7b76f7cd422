// The JSON shapes of the Chamado API (docs/openapi.json), as the UI uses them.

export type Role = 'customer' | 'agent' | 'admin';
export type Status = 'new' | 'open' | 'pending_customer' | 'on_hold' | 'solved' | 'closed';
export type Channel = 'email' | 'web' | 'chat' | 'phone' | 'whatsapp' | 'api';
export type Resolution =
  | 'fixed'
  | 'answered'
  | 'works_as_expected'
  | 'feature_request'
  | 'cannot_reproduce'
  | 'third_party'
  | 'unsupported';
export type MessageKind = 'customer_message' | 'public_reply' | 'internal_note' | 'system_notice';

export const STATUSES: Status[] = ['new', 'open', 'pending_customer', 'on_hold', 'solved', 'closed'];
export const RESOLUTIONS: Resolution[] = [
  'fixed',
  'answered',
  'works_as_expected',
  'feature_request',
  'cannot_reproduce',
  'third_party',
  'unsupported',
];

export interface User {
  id: number;
  name: string;
  email: string;
  role: Role;
  language: string;
  time_zone: string;
  active: boolean;
  organization_id?: number | null;
  group_ids?: number[];
  languages?: string[];
  created_at: string;
}

export interface Session {
  user: User;
  csrf_token?: string;
}

export interface PersonRef {
  id: number | null;
  name: string;
  role?: Role | 'system';
  email?: string;
}

export interface NamedRef {
  id: number;
  name: string;
}

export interface Ticket {
  number: number;
  subject: string;
  status: Status;
  priority: string;
  priority_description?: string;
  channel: Channel;
  requester: PersonRef;
  organization: NamedRef | null;
  group: NamedRef | null;
  assignee: PersonRef | null;
  tags: string[];
  category: string | null;
  custom_fields: Record<string, string | number | boolean>;
  resolution: Resolution | null;
  /** What the resolution tells the customer, in the viewer's language. */
  resolution_text?: string | null;
  /** What was done, as the customer was told when it was solved. */
  resolution_summary?: string | null;
  /** GET /tickets/{n}: the customer's answer to the satisfaction survey. */
  survey?: SurveyAnswer | null;
  created_at: string;
  updated_at: string;
  first_response_at: string | null;
  solved_at: string | null;
  closed_at: string | null;
  /** Agents only: how often the ticket was escalated. */
  escalation_level?: number;
  /** When the running resolution clock is due. */
  expected_resolution_at?: string | null;
  /** Agents only: one clock per SLA target. */
  clocks?: Clock[];
  /** Customers, GET /tickets/{n}: the plan allows asking for escalation. */
  can_request_escalation?: boolean;
  with_specialists?: boolean;
  language?: string | null;
  /** GET /tickets/{n}: tickets opened from a reply to this one, or this one from a reply to them. */
  links?: TicketLink[];
  /** GET /tickets/{n}: the ticket this one is merged into, while the merge holds. */
  merged_into?: number | null;
  /** GET /tickets/{n}: the tickets merged into this one. */
  merged_from?: number[];
}

export interface TicketLink {
  ticket: number;
  subject: string;
  status: Status;
  kind: 'follow_up' | 'answered' | 'merged' | 'split';
  /** to: this ticket points at the other (opened from a reply to it, merged into it, split off it); from: the other at this one. */
  direction: 'to' | 'from';
}

/** POST /tickets/{n}/merge and /unmerge. */
export interface MergeResult {
  merged: Ticket;
  survivor: Ticket;
  messages_moved: number;
}

/** POST /tickets/{n}/split. */
export interface SplitResult {
  original: Ticket;
  ticket: Ticket;
}

/** POST /tickets/bulk: each ticket's outcome. */
export interface BulkResult {
  results: { ticket: number; ok: boolean; survivor?: boolean; problem?: { status: number; detail: string } }[];
  succeeded: number;
  failed: number;
}

export type SlaTarget = 'first_response' | 'next_response' | 'resolution';
export type ClockState = 'running' | 'paused' | 'met' | 'breached' | 'exempt';
export const SLA_TARGETS: SlaTarget[] = ['first_response', 'next_response', 'resolution'];
export const CLOCK_STATES: ClockState[] = ['running', 'paused', 'met', 'breached', 'exempt'];

export interface Clock {
  target: SlaTarget;
  state: ClockState;
  /** As the policy writes it: 30m, 4h, 1d. */
  within: string;
  calendar: string;
  started_at: string;
  /** The last on-time instant (null while paused). */
  due_at: string | null;
  /** The due as people are shown it: at an opening of business hours, the close before it. */
  due_shown_at?: string | null;
  /** The calendar's name per language, when the policy gives one. */
  calendar_names?: Record<string, string>;
  breached_at: string | null;
  stopped_at: string | null;
  /** Business minutes (single ticket only). */
  used_minutes?: number;
  remaining_minutes?: number;
}

export interface EscalationPosted {
  message: Message;
  ticket: Ticket;
}

// ---- the policy in effect (GET /api/v1/policy) ----

export interface PolicyConditions {
  plan?: string[];
  priority?: string[];
  channel?: string[];
  organization?: string[];
  category?: string[];
  tag?: string[];
}

export interface PolicyCalendar {
  name: string;
  /** Its name per language, when the policy gives one. */
  names?: Record<string, string>;
  tz: string;
  always_open: boolean;
  /** Opening hours per weekday, Monday first, local to `tz` ("09:00"-"18:00"); empty when closed. */
  hours?: { start: string; end: string }[][];
  holidays: number;
  day_length_minutes: number;
}

export interface PolicyPriority {
  name: string;
  description: string;
  descriptions?: Record<string, string>;
}

export interface PolicyCategory {
  key: string;
  name: string;
  names?: Record<string, string>;
  group: string;
}

export interface PolicyPlan {
  key: string;
  name: string;
  features: string[];
}

export interface PolicyTarget {
  target: SlaTarget;
  within: string;
  within_minutes?: number;
  calendar: string;
  when: PolicyConditions;
  line?: number;
}

export interface PolicyExemption {
  targets: SlaTarget[];
  when: PolicyConditions;
}

export interface PolicyWarning {
  targets: SlaTarget[];
  before: string;
}

export interface PolicyEscalation {
  targets: SlaTarget[];
  when: PolicyConditions;
  raise_priority: number;
  group: string;
  notify: string[];
  webhook: string;
  mark_escalated: boolean;
}

/** [[automations.rules]]: a named rule, by time or on an event (docs/automations.md). */
export type RuleTrigger = 'time' | 'ticket_created' | 'customer_replied' | 'agent_replied' | 'status_changed';
export interface PolicyRule {
  name: string;
  on: RuleTrigger;
  since: 'created' | 'status' | 'customer_reply' | 'agent_reply' | null;
  after: string | null;
  after_minutes: number | null;
  calendar: string | null;
  when: PolicyConditions & { status?: string[]; not_tag?: string[]; group?: string[]; assigned?: boolean };
  set: { status?: string; resolution?: string; priority?: string; group?: string; assignee?: string };
  add_tags: string[];
  remove_tags: string[];
  notify: string[];
  mail: { subject: Record<string, string>; body: Record<string, string> } | null;
  webhook: string;
  line: number;
}

export interface PolicyAutoClose {
  after: string;
  after_minutes: number;
  reminder_before: string | null;
  reminder_before_minutes: number | null;
  calendar: string | null;
  line: number;
}

export interface Policy {
  version: number;
  name: string;
  description: string;
  /** Per language, when the policy gives them. */
  names?: Record<string, string>;
  descriptions?: Record<string, string>;
  default_priority: string;
  calendars: PolicyCalendar[];
  priorities: PolicyPriority[];
  categories: PolicyCategory[];
  plans: PolicyPlan[];
  targets: PolicyTarget[];
  pause: { statuses: Status[]; targets: SlaTarget[] };
  exemptions: PolicyExemption[];
  warnings: PolicyWarning[];
  escalations: PolicyEscalation[];
  automations: { auto_close?: PolicyAutoClose; rules?: PolicyRule[] };
  routing?: PolicyRouting;
  outcomes: PolicyOutcomes;
  surveys: { enabled: boolean; after_auto_close: boolean };
  source: string;
}

/** [outcomes]: what solving takes, and the resolutions agents choose from (texts per language). */
export interface PolicyOutcomes {
  required: boolean;
  resolutions: { key: Resolution; texts: Record<string, string> }[];
}

export interface SurveyAnswer {
  rating: number;
  comment: string;
  answered_at: string;
  updated_at: string;
  changeable_until: string;
}

/** GET /api/v1/surveys/{n}?sig=: the survey behind a signed link (no sign-in). */
export interface Survey {
  ticket: { number: number; subject: string; status: Status; resolution: Resolution | null; resolution_text: string | null; resolution_summary: string | null };
  language: string;
  requester_name: string;
  open: boolean;
  answer: SurveyAnswer | null;
}

export interface FeatureRequestTicket {
  number: number;
  subject: string;
  summary: string;
  status: Status;
  requester: { name: string; email: string };
  created_at: string;
  solved_at: string | null;
}

export interface FeatureRequests {
  total: number;
  groups: { organization: { id: number; name: string; plan: string } | null; count: number; tickets: FeatureRequestTicket[] }[];
}

export interface Attachment {
  id: number;
  filename: string;
  content_type: string;
  size: number;
  url: string;
}

export interface Message {
  id: number;
  ticket_number: number;
  kind: MessageKind;
  public: boolean;
  author: PersonRef;
  body: string;
  /** Where quoted history begins in body (UTF-16 index), folded in the UI; null when none. */
  quote_start?: number | null;
  /** What the message is, said here in the reader's language before the body; null for most. */
  label?: 'escalation_requested' | null;
  automatic: boolean;
  /** Secrets (API keys, passwords, tokens) were masked before the message was stored. */
  masked?: boolean;
  channel: Channel;
  created_at: string;
  attachments: Attachment[];
}

export interface MessagePosted {
  message: Message;
  ticket: Ticket;
  /** A customer wrote on this closed ticket: `ticket` is the follow-up the message opened. */
  follow_up_of?: number | null;
}

export interface EventChange {
  field: string;
  before: string | null;
  after: string | null;
}

export interface TicketEvent {
  id: number;
  kind: string;
  at: string;
  actor: PersonRef;
  message_id?: number;
  changes: EventChange[];
}

export interface Priority {
  name: string;
  description: string;
  rank: number;
  default: boolean;
}

/** A detail a category asks for when a request is opened (the policy's `details`). */
export interface CategoryDetail {
  key: string;
  kind: 'text' | 'number' | 'attachment';
  required: boolean;
  /** Where it is sent and where the server reports a problem with it: custom_fields.KEY or detail.KEY. */
  field: string;
  name: string;
  /** In the reader's language. */
  label: string;
  names: Record<string, string>;
}

export interface Category {
  key: string;
  name: string;
  details: CategoryDetail[];
}

export interface Group {
  id: number;
  name: string;
  description: string;
  member_ids?: number[];
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface TicketPatch {
  subject?: string;
  status?: Status;
  priority?: string;
  group_id?: number | null;
  assignee_id?: number | null;
  tags?: string[];
  add_tags?: string[];
  category?: string | null;
  resolution?: Resolution | null;
  /** With status solved: what was done, for the customer. */
  resolution_summary?: string;
}

export function isStaff(role: Role | undefined): boolean {
  return role === 'agent' || role === 'admin';
}

export interface Organization {
  id: number;
  name: string;
  plan: string;
  language: string;
  time_zone: string;
  domains: string[];
  notes?: string;
  created_at: string;
  /** false: deactivated, its people cannot sign in or open tickets; its tickets stay. */
  active: boolean;
}

/** An API token as listed: never its secret, which only the answer to its creation carries. */
export interface ApiToken {
  id: number;
  name: string;
  user: { id: number; email: string };
  created_at: string;
  last_used_at: string | null;
  token?: string;
}

// ---- search (GET /api/v1/search/tickets, POST /api/v1/tickets/similar, /api/v1/views) ----

export interface TicketSearchHit {
  ticket: Ticket;
  score: number;
  /** Escaped text with <mark>…</mark> only: render through markedParts(), never as HTML. */
  subject: string;
  /** The same shape; null without messages or for a search by filters alone. */
  snippet: string | null;
  /** The message the snippet is from, when a word matched in it. */
  message: { id: number; kind: MessageKind; created_at: string } | null;
}

export interface TicketSearchPage {
  items: TicketSearchHit[];
  /** The `offset` of the next page. */
  next: string | null;
  total: number;
  total_is_estimate: boolean;
  /** Only the 10,000 most recent matching tickets were ranked. */
  ranked_recent: boolean;
}

/** GET /api/v1/help/products. */
export interface HelpProduct {
  name: string;
  slug: string;
  articles: number;
  modules: { name: string; slug: string; articles: number }[];
}

export interface HelpArticleSummary {
  key: string;
  language: string;
  title: string;
  product: string;
  product_slug: string;
  module: string;
  module_slug: string;
  slug: string;
  path: string;
  updated_at: string;
  tags: string[];
  description: string;
  fallback: boolean;
  status?: 'published' | 'draft';
  feedback?: { helpful: number; unhelpful: number; deflections: number };
}

/** GET /api/v1/help/articles/{key}. */
export interface HelpArticle extends HelpArticleSummary {
  requested_language: string;
  canonical_path: string;
  html: string;
  translations: { language: string; title: string; path: string }[];
  related: HelpArticleSummary[];
  breadcrumbs: { name: string; path: string }[];
}

/** GET /api/v1/help/search: one hit (title_html and snippet: escaped text with <mark>). */
export interface HelpSearchHit {
  key: string;
  title: string;
  title_html: string;
  language: string;
  product: string;
  product_slug: string;
  module: string;
  module_slug: string;
  snippet: string;
  url: string;
  score: number;
  updated_at: string;
  status?: 'draft';
}

export interface HelpFacet {
  name: string;
  slug: string;
  count: number;
  modules?: HelpFacet[];
}

export interface SimilarTicket {
  ticket: Ticket;
  score: number;
  likely: boolean;
}

export interface SavedView {
  id: number;
  name: string;
  query: string;
  pinned: boolean;
  position: number;
  created_at: string;
}

export type RoutingMode = 'manual' | 'round_robin' | 'least_loaded';

export interface PolicyRouting {
  mode: RoutingMode;
  capacity: number;
  group: string | null;
  by_language: boolean;
  groups: { name: string; mode: RoutingMode; capacity: number }[];
  specialists: string[];
  line: number;
}

/** The fields a canned reply sets when the reply using it is sent; null: left as it is. */
export interface MacroFields {
  status: Status | null;
  priority: string | null;
  add_tags: string[];
  group_id: number | null;
}

/** A canned reply (GET /api/v1/macros): the agent's own, or shared (changed by admins). */
export interface Macro extends MacroFields {
  id: number;
  name: string;
  body: string;
  shared: boolean;
  editable: boolean;
  created_at: string;
  updated_at: string;
}

/** A canned reply filled for one ticket (POST /tickets/{number}/macros/{id}/preview). */
export interface MacroPreview {
  macro_id: number;
  text: string;
  fields: MacroFields;
}

/** An agent as routing sees them (GET/PATCH /api/v1/agents/{id}/availability). */
export interface Availability {
  away: boolean;
  open: number;
  capacity: number | null;
}

/** Who saved an article revision; null for files (`chamado help import`). */
export type HelpAuthor = { id: number; name: string } | null;

/** An article translation as the editor lists it (GET /api/v1/help/editor/articles). */
export interface EditedArticle {
  key: string;
  language: string;
  title: string;
  product: string;
  module: string;
  status: 'draft' | 'published';
  tags: string[];
  slug: string;
  path: string;
  revision: number;
  created_at: string;
  updated_at: string;
  updated_by: HelpAuthor;
}

/** A translation as stored, with its Markdown (GET/PUT /api/v1/help/articles/{key}/{language}). */
export interface ArticleSource extends EditedArticle {
  body: string;
  saved?: 'created' | 'updated' | 'unchanged';
}

export interface HelpPlace {
  product: string;
  module: string;
  articles: number;
}

export interface ArticleRevision {
  number: number;
  author: HelpAuthor;
  created_at: string;
  status: 'draft' | 'published';
  title: string;
  restored_from: number | null;
}

export interface DiffLine {
  op: 'same' | 'removed' | 'added';
  text: string;
  before: number | null;
  after: number | null;
}

export interface ArticleRevisionDetail extends ArticleRevision {
  body: string;
  product: string;
  module: string;
  tags: string[];
  previous: number | null;
  diff: DiffLine[];
}

/** An uploaded help image (POST /api/v1/help/images). */
export interface HelpImage {
  id: number;
  url: string;
  filename: string;
  content_type: string;
  size: number;
}

/** An article found by GET /api/v1/help/search. */
export interface HelpSearchHit {
  key: string;
  title: string;
  title_html: string;
  language: string;
  product: string;
  module: string;
  snippet: string;
  url: string;
  score: number;
  updated_at: string;
  status?: 'draft';
}

/** The chatbot (docs/chatbot.md): one turn of a conversation. */
export interface BotTurn {
  seq: number;
  author: 'bot' | 'customer';
  text: string;
  options: { id: string; label: string }[];
  articles: { key: string; title: string; url: string }[];
  ticket: { number: number; url: string } | null;
  at: string;
}

export type BotStatus = 'active' | 'ended' | 'waiting_for_agent' | 'ticket_opened' | 'expired';
export type BotAwaiting = 'choice' | 'words' | 'helped' | 'description' | 'email' | 'nothing';

export interface BotSession {
  id: number;
  token?: string;
  language: string;
  flow_version: number;
  status: BotStatus;
  awaiting: BotAwaiting;
  signed_in: boolean;
  ticket_number: number | null;
  turn_count: number;
  created_at: string;
  updated_at: string;
  turns: BotTurn[];
}

export interface BotFlow {
  version: number;
  name: string;
  applied_at: string;
  applied_by: number | null;
  restored_from: number | null;
  source?: string;
  warnings?: { field: string; message: string }[];
}

// The status page (GET /api/v1/status, docs/status-page.md).
export type StatusCondition = 'operational' | 'degraded' | 'partial' | 'major' | 'maintenance' | 'unknown';
export type IncidentState = 'investigating' | 'identified' | 'monitoring' | 'resolved';
export type Impact = 'degraded' | 'partial' | 'major';
export type Texts = Record<string, string>;

export interface StatusDay {
  date: string;
  percent: number | null;
  up_ms: number;
  down_ms: number;
  unknown_ms: number;
  maintenance_ms: number;
}

export interface StatusComponent {
  id: number;
  key: string;
  name: string;
  names: Texts;
  description: string;
  descriptions: Texts;
  position: number;
  created_at: string;
}

export interface StatusPageComponent extends StatusComponent {
  condition: StatusCondition;
  percent: number | null;
  target_percent: number;
  days: StatusDay[];
}

export interface StatusIncidentUpdate {
  id: number;
  state: IncidentState;
  body: string;
  bodies: Texts;
  at: string;
}

export interface StatusIncident {
  id: number;
  title: string;
  titles: Texts;
  state: IncidentState;
  started_at: string;
  resolved_at: string | null;
  components: { id: number; impact: Impact }[];
  updates: StatusIncidentUpdate[];
  tickets?: number[];
}

export interface StatusMaintenance {
  id: number;
  title: string;
  titles: Texts;
  body: string;
  bodies: Texts;
  starts_at: string;
  ends_at: string;
  components: number[];
}

export interface StatusPage {
  time_zone: string;
  days: number;
  generated_at: string;
  components: StatusPageComponent[];
  incidents: StatusIncident[];
  maintenance: StatusMaintenance[];
  history: StatusIncident[];
}

export interface StatusProbe {
  id: number;
  component_id: number;
  kind: 'http' | 'tcp';
  target: string;
  expect_status: number | null;
  expect_body: string;
  interval_seconds: number;
  timeout_seconds: number;
  retries: number;
  active: boolean;
  next_run_at: string;
  last_sample: { at: string; up: boolean; latency_ms: number; attempts: number; error: string } | null;
}

export interface StatusSubscriber {
  id: number;
  email: string;
  language: string;
  created_at: string;
}

/** The query that lists a report figure's tickets (GET /api/v1/reports/tickets), with the report's filter. */
export interface ReportDrill {
  set: 'created' | 'first_responded' | 'solved' | 'clocks' | 'backlog' | 'rated';
  priority?: string;
  channel?: Channel;
  resolution?: string;
  target?: SlaTarget;
  state?: 'met' | 'breached';
  rating?: number;
  at?: string;
}

export interface DurationSummary {
  count: number;
  mean_minutes: number | null;
  median_minutes: number | null;
  p90_minutes: number | null;
}

export interface TimeFigures {
  calendar: DurationSummary;
  business: DurationSummary;
  priority?: string;
  drill: ReportDrill;
  by_priority?: TimeFigures[];
}

export interface ReportPeriod {
  from: string;
  to: string;
}

export interface ResponseTimesReport {
  period: ReportPeriod;
  first_response: TimeFigures;
  resolution: TimeFigures;
}

export interface SlaReport {
  period: ReportPeriod;
  rows: { target: SlaTarget; priority: string | null; met: number; breached: number; achievement: number | null; drill: ReportDrill }[];
}

export interface BacklogReport {
  period: ReportPeriod;
  days: { day: string; created: number; solved: number; open: number; drill: ReportDrill }[];
}

export interface ChannelReport {
  period: ReportPeriod;
  rows: { channel: Channel; created: number; solved: number; drill: { created: ReportDrill; solved: ReportDrill } }[];
}

export interface OutcomeReport {
  period: ReportPeriod;
  rows: { resolution: string; count: number; share: number | null; drill: ReportDrill }[];
}

export interface SatisfactionReport {
  period: ReportPeriod;
  solved: number;
  answered: number;
  mean_rating: number | null;
  response_rate: number | null;
  by_rating: { rating: number; count: number; drill: ReportDrill }[];
  drill: ReportDrill;
}

/** GET /api/v1/public/response-time: the desk's published average first response. */
export interface PublishedResponseTime {
  average_first_response_minutes: number | null;
  median_first_response_minutes: number | null;
  tickets: number;
  time: 'calendar' | 'business';
  window_days: number;
  as_of: string;
}
