/**
 * A PromQL (or long text) change as a reviewer reads it: the changed tokens marked inside a
 * short excerpt (`…{quantile=[-"0.95"-]{+"0.99"+},job=~"$job"…`) instead of two long lines, a
 * `topSeries` ranking unwrapped so its inner query is compared once, and a signature of the
 * edit itself, so that the same edit in several panels is shown once.
 */
import { diffArrays } from 'diff';
import { rankedQuery } from '../../queries/index.js';

/** PromQL's tokens, as far as a reader sees them: strings, names, numbers, durations, operators, spaces. */
const token =
  /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|\$\{?\w+\}?|[A-Za-z_:][\w:]*|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[a-z]*|!=|=~|!~|==|>=|<=|\s+|[^\s]/g;

export function tokens(expr: string): string[] {
  return expr.match(token) ?? [];
}

/** The part of an expression a change reads: the inner query of a ranking, and the ranking. */
function unwrapped(expr: string): { query: string; ranking?: string } {
  const ranked = rankedQuery(expr);
  return ranked ? { query: ranked.inner, ranking: ranked.ranking } : { query: expr };
}

/** The text both sides share, and the runs of removed and added tokens between, in order. */
type Segment = { readonly shared: string } | { readonly removed: string; readonly added: string };

function segments(before: string, after: string): Segment[] {
  const result: Segment[] = [];
  for (const part of diffArrays(tokens(before), tokens(after))) {
    const value = part.value.join('');
    const last = result.at(-1);
    if (!part.added && !part.removed) result.push({ shared: value });
    else if (last && 'removed' in last)
      result[result.length - 1] = part.removed
        ? { ...last, removed: last.removed + value }
        : { ...last, added: last.added + value };
    else result.push(part.removed ? { removed: value, added: '' } : { removed: '', added: value });
  }
  return result;
}

/** Shared text cut to `context` characters beside each change: the start's end, the end's start, both ends of a middle part. */
function cut(text: string, position: 'start' | 'middle' | 'end', context: number): string {
  if (position === 'start') return text.length > context ? `…${text.slice(-context)}` : text;
  if (position === 'end') return text.length > context ? `${text.slice(0, context)}…` : text;
  return text.length > 2 * context ? `${text.slice(0, context)}…${text.slice(-context)}` : text;
}

/** How a query change reads: the marked excerpts, and the ranking's change if it changed. */
export interface QueryEdit {
  /** `…{quantile="[-0.95-]{+0.99+}",…`: removed tokens in `[-…-]`, added in `{+…+}`. */
  readonly marked: string;
  /** `top 10 by model -> top 5 by model`, where the ranking itself changed. */
  readonly ranking?: string;
  /** The ranking both sides keep: `top 10 by model`. */
  readonly ranked?: string;
  /** The removed and added tokens of every hunk: equal for the same edit in another query. */
  readonly signature: string;
}

/** Marks `removed` and `added` as a word diff does; `paint` colours them. */
export type Marker = (removed: string, added: string) => string;

export const plainMarker: Marker = (removed, added) => `${removed ? `[-${removed}-]` : ''}${added ? `{+${added}+}` : ''}`;

/** The edit from query `before` to `after`, as excerpts of `context` characters around each change. */
export function queryEdit(before: string, after: string, marker: Marker = plainMarker, context = 30): QueryEdit {
  const left = unwrapped(before);
  const right = unwrapped(after);
  const parts = segments(left.query, right.query);
  const changes = parts.filter((part): part is { removed: string; added: string } => 'removed' in part);
  const marked = parts
    .map((part, index) => {
      if ('removed' in part) return marker(part.removed, part.added);
      return cut(part.shared, index === 0 ? 'start' : index === parts.length - 1 ? 'end' : 'middle', context);
    })
    .join('');
  const ranking = left.ranking !== right.ranking ? `${left.ranking ?? 'none'} -> ${right.ranking ?? 'none'}` : undefined;
  // The distinct edits, not where or how often: `[5m] -> [$__rate_interval]` is one edit in every query it touches.
  const edits = [...new Set(changes.map((change) => JSON.stringify([change.removed, change.added])))].sort();
  const signature = JSON.stringify([edits, ranking ?? '']);
  return {
    marked: changes.length === 0 ? '(the same query)' : marked,
    signature,
    ...(ranking ? { ranking } : {}),
    ...(left.ranking && !ranking ? { ranked: left.ranking } : {}),
  };
}

/** A query shown alone (added, or a rule's): its ranking unwrapped, cut to `limit` characters. */
export function queryExcerpt(expr: string, limit = 160): string {
  const { query, ranking } = unwrapped(expr);
  const cut = query.length > limit ? `${query.slice(0, limit - 1)}…` : query;
  return ranking ? `${cut} (${ranking})` : cut;
}

/** A long text's change (a description) as one marked excerpt. */
export function textEdit(before: string, after: string, marker: Marker = plainMarker): string {
  return queryEdit(before, after, marker).marked;
}
