// The search box's language on the client: the marked HTML the server sends turned into
// parts (never into markup), and the filters written in a query found and rewritten. The
// query grammar is the server's (src/search/query.cc); this reads it only as far as the
// filter chips need.

/** A run of text, marked when the search matched it. */
export interface MarkedPart {
  text: string;
  mark: boolean;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** One pass, so that "&amp;lt;" becomes "&lt;" and not "<". */
function unescapeHtml(s: string): string {
  return s.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]);
}

/**
 * The server's marked HTML (escaped text plus <mark>…</mark>, nothing else) as text parts.
 * Anything else that looks like a tag stays text: it was escaped, so it is the ticket's own.
 */
export function markedParts(html: string): MarkedPart[] {
  const out: MarkedPart[] = [];
  let mark = false;
  for (const piece of html.split(/(<mark>|<\/mark>)/)) {
    if (piece === '<mark>') mark = true;
    else if (piece === '</mark>') mark = false;
    else if (piece) out.push({ text: unescapeHtml(piece), mark });
  }
  return out;
}

const FIELDS = new Set([
  'status',
  'priority',
  'group',
  'assignee',
  'org',
  'organization',
  'requester',
  'tag',
  'channel',
  'created',
  'updated',
]);

/** A filter written in the query, where it stands in it. */
export interface QueryFilter {
  /** As written, `status:open` or `group:"Nível 2"`. */
  text: string;
  field: string;
  start: number;
  end: number;
}

const isSpace = (c: string) => /\s/.test(c);

/** The filters of a query, in order (`-status:open` too: the server says why it is refused). */
export function queryFilters(q: string): QueryFilter[] {
  const out: QueryFilter[] = [];
  let i = 0;
  while (i < q.length) {
    while (i < q.length && isSpace(q[i])) i++;
    if (i >= q.length) break;
    const start = i;
    if (q[i] === '-' && i + 1 < q.length && !isSpace(q[i + 1])) i++;
    const name = /^[A-Za-z]+/.exec(q.slice(i))?.[0] ?? '';
    const op = /^(>=|<=|:|>|<)/.exec(q.slice(i + name.length))?.[0] ?? '';
    const value = i + name.length + op.length;
    const field = FIELDS.has(name.toLowerCase()) && op && value < q.length && !isSpace(q[value]) ? name.toLowerCase() : '';
    if (field) i = value;
    if (q[i] === '"') {
      const close = q.indexOf('"', i + 1);
      i = close < 0 ? q.length : close + 1;
    } else {
      while (i < q.length && !isSpace(q[i])) i++;
    }
    if (field) out.push({ text: q.slice(start, i), field: field === 'organization' ? 'org' : field, start, end: i });
  }
  return out;
}

/** The query without one of its filters, the space around it closed up. */
export function withoutFilter(q: string, f: QueryFilter): string {
  const before = q.slice(0, f.start).trimEnd();
  const after = q.slice(f.end).trimStart();
  return before && after ? `${before} ${after}` : before + after;
}

/** Whether the query has this very filter (`status:open`), case aside. */
export function findFilter(q: string, text: string): QueryFilter | undefined {
  return queryFilters(q).find((f) => f.text.toLowerCase() === text.toLowerCase());
}

/** Adds the filter when the query lacks it, removes it when it has it. */
export function toggleFilter(q: string, text: string): string {
  const found = findFilter(q, text);
  if (found) return withoutFilter(q, found);
  const base = q.trim();
  return base ? `${base} ${text}` : text;
}
