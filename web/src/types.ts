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
  created_at: string;
  updated_at: string;
  first_response_at: string | null;
  solved_at: string | null;
  closed_at: string | null;
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
  automatic: boolean;
  channel: Channel;
  created_at: string;
  attachments: Attachment[];
}

export interface MessagePosted {
  message: Message;
  ticket: Ticket;
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

export interface Category {
  key: string;
  name: string;
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
  category?: string | null;
  resolution?: Resolution | null;
}

export function isStaff(role: Role | undefined): boolean {
  return role === 'agent' || role === 'admin';
}
