/**
 * What the lint rules need to know about a PromQL expression, read from the official parser's
 * syntax tree: each series selector with the functions and aggregations around it, each
 * division, each comparison with a number, and the Grafana variables referenced.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { parseExpression } from './promql.js';

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

type Span = readonly [number, number];

function metricsBelow(node: SyntaxNode): Span[] {
  const metrics: Span[] = [];
  const cursor = node.cursor();
  do {
    if (cursor.name === 'VectorSelector') {
      const identifier = cursor.node.getChild('Identifier');
      if (identifier) metrics.push([identifier.from, identifier.to]);
    }
  } while (cursor.next() && cursor.from < node.to);
  return metrics;
}

/** The facts of a syntax tree as text spans: one walk per tree, shared by every expression of that shape. */
interface ShapeFacts {
  readonly selectors: readonly {
    readonly metric: Span | undefined;
    readonly matchers: readonly { readonly label: Span; readonly operator: Span; readonly value: Span }[];
    readonly range: Span | undefined;
    readonly function: Span | undefined;
    readonly aggregations: readonly Span[];
  }[];
  readonly divisions: readonly { readonly guarded: boolean; readonly divisor: Span }[];
  readonly numberOperations: readonly { readonly operator: Span; readonly number: Span; readonly metrics: readonly Span[] }[];
}

const spanOf = (node: SyntaxNode): Span => [node.from, node.to];

function shapeFacts(tree: Tree): ShapeFacts {
  const selectors: ShapeFacts['selectors'][number][] = [];
  const divisions: ShapeFacts['divisions'][number][] = [];
  const numberOperations: ShapeFacts['numberOperations'][number][] = [];
  const cursor = tree.cursor();
  do {
    const node = cursor.node;
    if (node.name === 'VectorSelector') {
      const identifier = node.getChild('Identifier');
      const matchers = (node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []).map((matcher) => ({
        label: spanOf(matcher.getChild('LabelName') ?? matcher),
        operator: spanOf(matcher.getChild('MatchOp') ?? matcher),
        value: spanOf(matcher.getChild('StringLiteral') ?? matcher),
      }));
      const range = node.parent?.name === 'MatrixSelector' ? node.parent : undefined;
      let above: SyntaxNode | null = (range ?? node).parent;
      let directFunction: Span | undefined;
      const aggregations: Span[] = [];
      while (above) {
        if (above.name === 'FunctionCall') {
          if (aggregations.length === 0) directFunction = spanOf(above.getChild('FunctionIdentifier') ?? above);
          break;
        }
        if (above.name === 'AggregateExpr') aggregations.push(spanOf(above.getChild('AggregateOp') ?? above));
        if (above.name === 'BinaryExpr') break;
        above = above.parent;
      }
      selectors.push({
        metric: identifier ? spanOf(identifier) : undefined,
        matchers,
        range: range ? spanOf(range) : undefined,
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
          const guarded =
            divisor?.name === 'BinaryExpr' && (guardOperator === 'Gtr' || guardOperator === 'Neq') && isNumber(divisor.lastChild);
          divisions.push({ guarded, divisor: spanOf(right) });
        }
        if (leftIsNumber !== rightIsNumber) {
          numberOperations.push({
            operator: spanOf(operator),
            number: spanOf(unwrap(leftIsNumber ? left : right) as SyntaxNode),
            metrics: metricsBelow(leftIsNumber ? right : left),
          });
        }
      }
    }
  } while (cursor.next());
  return { selectors, divisions, numberOperations };
}

const factsOfTree = new WeakMap<Tree, ShapeFacts>();

/** Reads the facts of `expr` (Grafana variables substituted for parsing, positions kept). */
export function expressionFacts(expr: string): ExpressionFacts {
  const { tree, variables } = parseExpression(expr);
  let shape = factsOfTree.get(tree);
  if (!shape) {
    shape = shapeFacts(tree);
    factsOfTree.set(tree, shape);
  }
  const text = ([from, to]: Span) => expr.slice(from, to);
  const selectors = shape.selectors.map((use) => {
    const range = use.range ? text(use.range) : undefined;
    return {
      metric: use.metric ? text(use.metric) : '',
      matchers: use.matchers.map((matcher) => ({
        label: text(matcher.label),
        operator: text(matcher.operator),
        value: unquote(text(matcher.value)),
      })),
      range: range !== undefined ? range.slice(range.lastIndexOf('[') + 1, -1).trim() : undefined,
      function: use.function ? text(use.function) : undefined,
      aggregations: use.aggregations.map(text),
    };
  });
  const divisions = shape.divisions.map((division) => ({ guarded: division.guarded, divisor: text(division.divisor) }));
  const numberOperations = shape.numberOperations.map((operation) => ({
    operator: text(operation.operator),
    number: Number(text(operation.number)),
    metrics: operation.metrics.map(text),
  }));
  return { selectors, divisions, numberOperations, variables };
}
