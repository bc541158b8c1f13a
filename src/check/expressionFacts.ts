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
  /**
   * The selectors (indices into {@link ExpressionFacts.selectors}) this one is joined to: those on
   * the right of an `and on (...)` whose left holds it. Only its series that match theirs remain.
   */
  readonly joinedTo: readonly number[];
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

/** The value of a string literal: `"..."`, `'...'` or a raw `` `...` ``. */
export const unquote = (literal: string): string => {
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
    /** The selector itself, in the text. */
    readonly at: Span;
    readonly metric: Span | undefined;
    readonly matchers: readonly { readonly label: Span; readonly operator: Span; readonly value: Span }[];
    readonly range: Span | undefined;
    readonly function: Span | undefined;
    readonly aggregations: readonly Span[];
  }[];
  readonly divisions: readonly { readonly guarded: boolean; readonly divisor: Span }[];
  readonly numberOperations: readonly { readonly operator: Span; readonly number: Span; readonly metrics: readonly Span[] }[];
  /** Each `left and on (...) right`: the left side's series are kept where the right side has theirs. */
  readonly joins: readonly { readonly left: Span; readonly right: Span }[];
  /** The first value of a type Prometheus refuses where it stands, and why. */
  readonly typeProblem: { readonly at: Span; readonly why: string } | undefined;
}

/** The functions that read a range vector (`x[5m]`, a subquery), by the grammar's node name: the argument that is one. */
const rangeArgument: Readonly<Record<string, number>> = {
  Rate: 0,
  Irate: 0,
  Increase: 0,
  Delta: 0,
  Idelta: 0,
  Deriv: 0,
  PredictLinear: 0,
  Changes: 0,
  Resets: 0,
  AbsentOverTime: 0,
  PresentOverTime: 0,
  AvgOverTime: 0,
  MinOverTime: 0,
  MaxOverTime: 0,
  SumOverTime: 0,
  CountOverTime: 0,
  QuantileOverTime: 1,
  StddevOverTime: 0,
  StdvarOverTime: 0,
  LastOverTime: 0,
  FirstOverTime: 0,
  MadOverTime: 0,
  DoubleExponentialSmoothing: 0,
  TsOfFirstOverTime: 0,
  TsOfLastOverTime: 0,
  TsOfMaxOverTime: 0,
  TsOfMinOverTime: 0,
};

// `x[5m] offset 1h` and `x[1h:] @ end()` are still range vectors: the modifier wraps the range.
const modifiers = new Set(['ParenExpr', 'OffsetExpr', 'StepInvariantExpr']);
const isRange = (node: SyntaxNode | null): boolean =>
  node?.name === 'MatrixSelector' ||
  node?.name === 'SubqueryExpr' ||
  (modifiers.has(node?.name ?? '') && isRange(node?.firstChild ?? null));

/** Whether `node` is, through parentheses, the argument a range function reads as a range vector. */
function readsRangeAt(node: SyntaxNode): boolean {
  let outer = node;
  while (modifiers.has(outer.parent?.name ?? '')) outer = outer.parent as SyntaxNode;
  const body = outer.parent;
  if (body?.name !== 'FunctionCallBody' || body.parent?.name !== 'FunctionCall') return false;
  const name = body.parent.getChild('FunctionIdentifier')?.firstChild?.name ?? '';
  const position = rangeArgument[name];
  let index = 0;
  for (let argument = body.firstChild; argument && argument.from !== outer.from; argument = argument.nextSibling) index += 1;
  return position === index;
}

/** Type errors Prometheus's parser reports for an expression that parses: range vectors and strings out of place. */
function typeProblemOf(tree: Tree): ShapeFacts['typeProblem'] {
  const cursor = tree.cursor();
  do {
    const node = cursor.node;
    if (isRange(node) && !readsRangeAt(node)) {
      return { at: spanOf(node), why: 'is a range vector, which only a function such as rate() or avg_over_time() reads' };
    }
    if (node.name === 'FunctionCall') {
      const position = rangeArgument[node.getChild('FunctionIdentifier')?.firstChild?.name ?? ''];
      let slot = node.getChild('FunctionCallBody')?.firstChild ?? null;
      for (let index = 0; slot && position !== undefined && index < position; index += 1) slot = slot.nextSibling;
      if (position !== undefined && slot && !isRange(unwrap(slot)))
        return { at: spanOf(slot), why: 'is not a range vector, which this function reads: write a window such as x[5m]' };
    }
    if (
      node.name === 'BinaryExpr' &&
      (unwrap(node.firstChild)?.name === 'StringLiteral' || unwrap(node.lastChild)?.name === 'StringLiteral')
    ) {
      return { at: spanOf(node), why: 'applies an operator to a string, which Prometheus refuses' };
    }
  } while (cursor.next());
  const top = unwrap(tree.topNode.firstChild);
  if (top?.name === 'StringLiteral') return { at: spanOf(top), why: 'is a string; a panel or rule needs a number or a series' };
  return undefined;
}

const spanOf = (node: SyntaxNode): Span => [node.from, node.to];

function shapeFacts(tree: Tree): ShapeFacts {
  const selectors: ShapeFacts['selectors'][number][] = [];
  const divisions: ShapeFacts['divisions'][number][] = [];
  const numberOperations: ShapeFacts['numberOperations'][number][] = [];
  const joins: ShapeFacts['joins'][number][] = [];
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
        at: spanOf(node),
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
      const matching = right?.name === 'MatchingModifierClause' ? right : undefined;
      while (right && (right.name === 'BoolModifier' || right.name === 'MatchingModifierClause')) right = right.nextSibling;
      if (left && operator?.name === 'And' && right && matching?.firstChild?.name === 'On') {
        joins.push({ left: spanOf(left), right: spanOf(right) });
      }
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
  return { selectors, divisions, numberOperations, joins, typeProblem: typeProblemOf(tree) };
}

const factsOfTree = new WeakMap<Tree, ShapeFacts>();

function shapeOf(tree: Tree): ShapeFacts {
  let shape = factsOfTree.get(tree);
  if (!shape) {
    shape = shapeFacts(tree);
    factsOfTree.set(tree, shape);
  }
  return shape;
}

/** The first type error of `expr` Prometheus's parser would report, as `text: why`; `undefined` if none. */
export function typeProblem(expr: string): string | undefined {
  const problem = shapeOf(parseExpression(expr).tree).typeProblem;
  return problem && `${expr.slice(...problem.at)} ${problem.why}`;
}

/** Reads the facts of `expr` (Grafana variables substituted for parsing, positions kept). */
export function expressionFacts(expr: string): ExpressionFacts {
  const { tree, variables } = parseExpression(expr);
  const shape = shapeOf(tree);
  const text = ([from, to]: Span) => expr.slice(from, to);
  const within = ([from, to]: Span, [start, end]: Span) => from >= start && to <= end;
  const selectors = shape.selectors.map((use) => {
    const joinedTo = shape.joins
      .filter((join) => within(use.at, join.left))
      .flatMap((join) => shape.selectors.flatMap((other, index) => (within(other.at, join.right) ? [index] : [])));
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
      joinedTo,
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
