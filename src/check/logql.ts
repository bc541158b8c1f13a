/**
 * LogQL (Loki) and TraceQL (Tempo) as the checks read them: each query parsed with its
 * official grammar (@grafana/lezer-logql, @grafana/lezer-traceql) after Grafana's variables are
 * substituted, as PromQL is; and the facts of a log query the lint rules read.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import type { Parser, SyntaxNode } from '@lezer/common';
import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as traceqlParser } from '@grafana/lezer-traceql';
import { requestLogFormat } from '../../queries/index.js';
import { allPanels, queryLanguage } from '../dashboards/walk.js';
import { BuildError, quoted } from './errors.js';
import { position, substituteVariables, type PromqlError } from './promql.js';
import { unquote } from './expressionFacts.js';

/** The first syntax error of `expr` in `parser`'s language, or undefined. */
function syntaxError(parser: Parser, expr: string): PromqlError | undefined {
  if (!/\S/.test(expr)) return { line: 1, column: 1, message: 'empty query' };
  const text = substituteVariables(expr);
  let errorAt: number | undefined;
  parser.parse(text).iterate({
    enter: (node) => {
      if (errorAt === undefined && node.type.isError) errorAt = node.from;
      return errorAt === undefined;
    },
  });
  if (errorAt === undefined) return undefined;
  const near = text.slice(errorAt, errorAt + 20).split('\n')[0];
  return { ...position(expr, errorAt), message: near ? `unexpected "${near}"` : 'unexpected end of query' };
}

export const checkLogql = (expr: string) => syntaxError(logqlParser as Parser, expr);
export const checkTraceql = (expr: string) => syntaxError(traceqlParser as Parser, expr);

/** Throws a {@link BuildError} for the first LogQL or TraceQL query of `json` that does not parse. */
export function validateLogsAndTraces(json: grafana.Dashboard, where: string): void {
  for (const panel of allPanels(json)) {
    for (const target of (panel.targets ?? []) as { refId?: string; expr?: unknown; query?: unknown; datasource?: unknown }[]) {
      const language = queryLanguage(panel, target);
      const query = language === 'logql' ? target.expr : language === 'traceql' ? target.query : undefined;
      if (typeof query !== 'string') continue;
      const error = language === 'logql' ? checkLogql(query) : checkTraceql(query);
      if (error) {
        throw new BuildError(
          `${where}: panel ${quoted(panel.title ?? '')} target ${target.refId ?? '?'}: ` +
            `${language === 'logql' ? 'LogQL' : 'TraceQL'} syntax error at line ${error.line}, column ${error.column}: ${error.message}`,
        );
      }
    }
  }
}

/** Fields a request log line has (the guide's format), and those Loki adds to every line. */
export const knownLogFields: ReadonlySet<string> = new Set([
  ...Object.values(requestLogFormat),
  'timestamp',
  'detected_level',
  'service_name',
  '__error__',
  '__error_details__',
  '__line__',
  '__stream_shard__',
]);

/** What the lint rules read of a log query. */
export interface LogQueryFacts {
  /** The stream selectors' matchers: `label`, operator, value. */
  readonly streams: readonly { readonly label: string; readonly operator: string; readonly value: string }[][];
  /** Fields read after a `| json` (label filters, `unwrap`), by name; Loki's own `__error__` and the like left out. */
  readonly jsonFields: readonly string[];
  /** Labels a metric query groups by (`sum by (level)`): stream labels or fields. */
  readonly groupingLabels: readonly string[];
}

/** The text of every identifier under `node`, in order. */
function identifiersIn(node: SyntaxNode, text: string): string[] {
  const names = node.name === 'Identifier' ? [text.slice(node.from, node.to)] : [];
  for (let child = node.firstChild; child; child = child.nextSibling) names.push(...identifiersIn(child, text));
  return names;
}

/** The stream selectors and the fields a log query reads after parsing its lines as JSON. */
export function logQueryFacts(expr: string): LogQueryFacts {
  const text = substituteVariables(expr);
  const streams: { label: string; operator: string; value: string }[][] = [];
  const jsonFields: string[] = [];
  const groupingLabels: string[] = [];
  let parsesJson = false;
  const cursor = (logqlParser as Parser).parse(text).cursor();
  do {
    const name = cursor.name;
    if (name === 'Selector') streams.push([]);
    else if (name === 'Grouping') groupingLabels.push(...identifiersIn(cursor.node, text));
    else if (name === 'Json') parsesJson = true;
    else if (name === 'Matcher' || name === 'NumberFilter' || name === 'Unwrap') {
      const node = cursor.node;
      const label = node.getChild('Identifier') ?? (name === 'Unwrap' ? node.nextSibling : null);
      const inSelector = node.parent?.name === 'Matchers';
      if (label && inSelector) {
        const operator = node.getChild('Eq') ?? node.getChild('Re') ?? node.getChild('Neq') ?? node.getChild('Nre');
        const value = node.getChild('String');
        streams.at(-1)?.push({
          label: text.slice(label.from, label.to),
          operator: operator ? text.slice(operator.from, operator.to) : '=',
          value: value ? unquote(expr.slice(value.from, value.to)) : '',
        });
      } else if (label && parsesJson && !text.startsWith('__', label.from)) {
        jsonFields.push(text.slice(label.from, label.to));
      }
    }
  } while (cursor.next());
  return { streams, jsonFields: [...new Set(jsonFields)], groupingLabels: [...new Set(groupingLabels)] };
}
