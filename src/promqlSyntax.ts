/**
 * What the lint rules need to know about a PromQL expression, read from the official parser's
 * syntax tree: each series selector with the functions and aggregations around it, each
 * division, each comparison with a number, and the Grafana variables referenced.
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { substituteVariables } from './validate.js';

/** A label matcher of a selector. */
export interface Matcher {
  readonly label: string;
  readonly operator: string;
  /** The unquoted value. */
  readonly value: string;
}

/** A series selector and its context. */
export interface SelectorUse {
  readonly metric: string;
  readonly matchers: readonly Matcher[];
  /** The range of a range selector (`5m`, `$__rate_interval`), as written; undefined for an instant selector. */
  readonly range: string | undefined;
  /** Function applied directly to this selector (`rate`), if any. */
  readonly function: string | undefined;
  /** Aggregation operators around the selector, innermost first, up to the first function. */
  readonly aggregations: readonly string[];
}

/** A comparison or arithmetic operation between an expression and a number literal. */
export interface NumberOperation {
  readonly operator: string;
  readonly number: number;
  /** Metrics on the other side. */
  readonly metrics: readonly string[];
}

/** Everything the rules read from one expression. */
export interface ExpressionFacts {
  readonly selectors: readonly SelectorUse[];
  /** One entry per `/` between two series expressions: whether its divisor is guarded by `> 0`. */
  readonly divisions: readonly { readonly guarded: boolean; readonly divisor: string }[];
  readonly numberOperations: readonly NumberOperation[];
  /** Names of `$var`, `${var}` and `[[var]]` references outside string literals and inside them. */
  readonly variables: readonly string[];
}

const unquote = (literal: string): string => {
  try {
    return literal.startsWith('`') ? literal.slice(1, -1) : (JSON.parse(literal.replace(/^'|'$/g, '"')) as string);
  } catch {
    return literal.slice(1, -1);
  }
};

function unwrap(node: SyntaxNode | null): SyntaxNode | null {
  let current = node;
  while (current?.name === 'ParenExpr') current = current.firstChild;
  return current;
}

function isNumber(node: SyntaxNode | null): boolean {
  const inner = unwrap(node);
  return inner?.name === 'NumberDurationLiteral' || (inner?.name === 'UnaryExpr' && isNumber(inner.lastChild));
}

function metricsBelow(node: SyntaxNode, text: (node: SyntaxNode) => string): string[] {
  const metrics: string[] = [];
  const cursor = node.cursor();
  do {
    if (cursor.name === 'VectorSelector') {
      const identifier = cursor.node.getChild('Identifier');
      if (identifier) metrics.push(text(identifier));
    }
  } while (cursor.next() && cursor.from < node.to);
  return metrics;
}

const variablePattern = /\$\{([A-Za-z0-9_]+)(?::[^}]*)?\}|\$([A-Za-z0-9_]+)|\[\[([A-Za-z0-9_]+)\]\]/g;

/** Reads the facts of `expr` (Grafana variables substituted for parsing, positions kept). */
export function expressionFacts(expr: string): ExpressionFacts {
  const source = substituteVariables(expr);
  const text = (node: SyntaxNode) => expr.slice(node.from, node.to);
  const tree = parser.parse(source);
  const selectors: SelectorUse[] = [];
  const divisions: { guarded: boolean; divisor: string }[] = [];
  const numberOperations: NumberOperation[] = [];
  const cursor = tree.cursor();
  do {
    const node = cursor.node;
    if (node.name === 'VectorSelector') {
      const identifier = node.getChild('Identifier');
      const matchers = (node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []).map((matcher) => ({
        label: text(matcher.getChild('LabelName') ?? matcher),
        operator: text(matcher.getChild('MatchOp') ?? matcher),
        value: unquote(text(matcher.getChild('StringLiteral') ?? matcher)),
      }));
      const range = node.parent?.name === 'MatrixSelector' ? node.parent : undefined;
      let above: SyntaxNode | null = (range ?? node).parent;
      let directFunction: string | undefined;
      const aggregations: string[] = [];
      while (above) {
        if (above.name === 'FunctionCall') {
          const name = text(above.getChild('FunctionIdentifier') ?? above);
          if (aggregations.length === 0 && directFunction === undefined) directFunction = name;
          break;
        }
        if (above.name === 'AggregateExpr') aggregations.push(text(above.getChild('AggregateOp') ?? above));
        if (above.name === 'BinaryExpr') break;
        above = above.parent;
      }
      selectors.push({
        metric: identifier ? text(identifier) : '',
        matchers,
        range: range ? text(range).slice(text(range).lastIndexOf('[') + 1, -1).trim() : undefined,
        function: directFunction,
        aggregations,
      });
    } else if (node.name === 'BinaryExpr') {
      const left = node.firstChild;
      const operator = left?.nextSibling;
      let right = operator?.nextSibling ?? null;
      while (right && (right.name === 'BoolModifier' || right.name === 'MatchingModifierClause')) right = right.nextSibling;
      if (left && operator && right) {
        const leftIsNumber = isNumber(left);
        const rightIsNumber = isNumber(right);
        if (operator.name === 'Div' && !rightIsNumber && !leftIsNumber) {
          const divisor = unwrap(right);
          const guardOperator = divisor?.name === 'BinaryExpr' ? divisor.firstChild?.nextSibling?.name : undefined;
          const guarded = divisor?.name === 'BinaryExpr' && (guardOperator === 'Gtr' || guardOperator === 'Neq') && isNumber(divisor.lastChild);
          divisions.push({ guarded, divisor: text(right) });
        }
        if (leftIsNumber !== rightIsNumber) {
          const numberNode = unwrap(leftIsNumber ? left : right) as SyntaxNode;
          numberOperations.push({
            operator: text(operator),
            number: Number(text(numberNode)),
            metrics: metricsBelow(leftIsNumber ? right : left, text),
          });
        }
      }
    }
  } while (cursor.next());
  const variables = [...expr.matchAll(variablePattern)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
  return { selectors, divisions, numberOperations, variables };
}
