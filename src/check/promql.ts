/**
 * PromQL as the checks read it: one scan per expression for its Grafana variables, the
 * official Prometheus parser (@prometheus-io/lezer-promql) on what Grafana would send, parse
 * results shared by expressions of the same shape, and the syntax check of a dashboard.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import type { Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { variableName, variableReference } from '../../queries/index.js';
import { allPanels, promqlTargets } from '../dashboards/walk.js';
import { BuildError, quoted } from './errors.js';

/** A PromQL syntax error, 1-based line and column in the original expression. */
export interface PromqlError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const durationVariables = new Set(['__interval', '__rate_interval', '__range', '__auto']);

/** 1-based line and column of `offset` in `expr`. */
export function position(expr: string, offset: number): { line: number; column: number } {
  const before = expr.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

// Escapes Prometheus accepts in double- and single-quoted strings (Go's rules); lezer does not check them.
const validEscape = /^\\(?:[abfnrtv\\'"]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3})/;

/** Offset of the first invalid escape in a quoted string literal, if any. */
function invalidEscape(literal: string): number | undefined {
  if (literal.startsWith('`')) return undefined;
  for (let index = 1; index < literal.length - 1; index += 1) {
    if (literal[index] !== '\\') continue;
    const match = validEscape.exec(literal.slice(index));
    if (!match) return index;
    index += match[0].length - 1;
  }
  return undefined;
}

// A string literal from its opening quote: "..." and '...' with backslash escapes and no newline; `...` raw.
const stringAt: Readonly<Record<number, RegExp>> = { 34: /"(?:[^"\\\n]|\\[^])*"/y, 39: /'(?:[^'\\\n]|\\[^])*'/y, 96: /`[^`]*`/y };
// A variable starting exactly here.
const variableAt = new RegExp(variableReference.source, 'y');
const blanks = 'x'.repeat(256);
const spaces = ' '.repeat(256);
const filler = (pad: string, length: number) => (length <= pad.length ? pad.slice(0, length) : pad[0]!.repeat(length));

/** The parser's view of an expression, and its Grafana variables. */
interface Scan {
  /** Same length as the expression: variables replaced by values, string literals blanked if asked. */
  readonly text: string;
  /** Each variable's name, in order; those inside string literals too. */
  readonly variables: string[];
}

/**
 * One scan of `expr` that replaces Grafana variables with values of the same length (a duration
 * inside `[...]`, a number elsewhere) so positions stay true; variables inside strings stay as
 * text, as do those in `#` comments. With `blankStrings`, string literals are blanked to the
 * same length too. A loop over character codes: regex matches at every quote and bracket
 * allocated more than the scan cost.
 */
function scanExpression(expr: string, blankStrings: boolean): Scan {
  let text = '';
  const variables: string[] = [];
  let copiedTo = 0;
  let inBrackets = false;
  let variableEnd = 0;
  /** The name of the variable starting at `index` (its end in `variableEnd`), noted; else undefined. */
  const variableStartingAt = (index: number): string | undefined => {
    variableAt.lastIndex = index;
    // test() and the name cut from the match's form: no match array per variable.
    if (!variableAt.test(expr)) return undefined;
    const name = variableName(expr, index, variableAt.lastIndex);
    variables.push(name);
    variableEnd = variableAt.lastIndex;
    return name;
  };
  /** Notes the variables between `from` and `to` (a string's or a comment's text), replacing none. */
  const noteVariables = (from: number, to: number): void => {
    for (let inside = from; inside < to; inside += 1) {
      const code = expr.charCodeAt(inside);
      if ((code === 36 || code === 91) && variableStartingAt(inside) !== undefined) inside = variableEnd - 1;
    }
  };
  for (let index = 0; index < expr.length; index += 1) {
    const code = expr.charCodeAt(index);
    if (code === 36 || (code === 91 && expr.charCodeAt(index + 1) === 91)) {
      const name = variableStartingAt(index);
      if (name !== undefined) {
        const value = inBrackets || durationVariables.has(name) ? '1m' : '1';
        text += expr.slice(copiedTo, index) + value + filler(spaces, variableEnd - index - value.length);
        copiedTo = variableEnd;
        index = variableEnd - 1;
      } else if (code === 91) {
        inBrackets = true;
      }
    } else if (code === 91 || code === 93) {
      inBrackets = code === 91;
    } else if (code === 35) {
      // A comment runs to the end of the line: its quotes open no string, its variables are noted.
      const end = expr.indexOf('\n', index);
      noteVariables(index + 1, end === -1 ? expr.length : end);
      if (end === -1) break;
      index = end;
    } else if (code === 34 || code === 39 || code === 96) {
      const literal = stringAt[code] as RegExp;
      literal.lastIndex = index;
      if (!literal.test(expr)) break;
      const end = literal.lastIndex - 1;
      noteVariables(index + 1, end);
      if (blankStrings) {
        text += expr.slice(copiedTo, index + 1) + filler(blanks, end - index - 1);
        copiedTo = end;
      }
      index = end;
    }
  }
  return { text: text + expr.slice(copiedTo), variables };
}

/** `expr` with Grafana variables replaced by values of the same length, so error positions stay true. */
export function substituteVariables(expr: string): string {
  return scanExpression(expr, false).text;
}

/**
 * An expression as the checks read it, shared by every expression of the same shape (the same
 * text but inside string literals, the same variables in the same places).
 */
export interface ParsedExpression {
  /** Its syntax tree; positions point into the expression. */
  readonly tree: Tree;
  /** Each Grafana variable's name, in order; those inside string literals too. */
  readonly variables: readonly string[];
}

const recentExpressions = new Map<string, ParsedExpression>();
const shapes = new Map<string, ParsedExpression>();
const quote = /["'`]/g;

/**
 * What a parse of `expr` depends on, found without reading every character: `expr` with the
 * text of its string literals blanked to spaces of the same length, the Grafana variables in
 * them kept (their names and places are part of the shape). Undefined for an expression whose
 * strings only the character scan reads right: escapes, comments, `${...}` (whose format may
 * hold quotes), a string that does not end.
 */
function shapeKey(expr: string): string | undefined {
  if (expr.includes('\\') || expr.includes('#') || expr.includes('${')) return undefined;
  let key = '';
  let copiedTo = 0;
  quote.lastIndex = 0;
  while (quote.test(expr)) {
    const open = quote.lastIndex - 1;
    const mark = expr[open] as string;
    const close = expr.indexOf(mark, open + 1);
    // Quoted strings end on their line; raw strings may span lines.
    if (close === -1 || (mark !== '`' && expr.slice(open, close).includes('\n'))) return undefined;
    for (let index = open + 1; index < close; index += 1) {
      const code = expr.charCodeAt(index);
      if (code === 36 || code === 91) {
        variableAt.lastIndex = index;
        if (variableAt.test(expr)) {
          index = variableAt.lastIndex - 1;
          continue;
        }
      }
      const blank = index;
      while (index + 1 < close && expr.charCodeAt(index + 1) !== 36 && expr.charCodeAt(index + 1) !== 91) index += 1;
      key += expr.slice(copiedTo, blank) + filler(spaces, index + 1 - blank);
      copiedTo = index + 1;
    }
    quote.lastIndex = close + 1;
  }
  return copiedTo === 0 ? expr : key + expr.slice(copiedTo);
}

/**
 * Parses `expr`, Grafana variables and all. The parser sees the expression with variables
 * substituted and string literals blanked to the same length, so expressions that differ only
 * inside strings (one dashboard per model) share one parse, found by {@link shapeKey}. The
 * check, the lint rules and the recorded-series check all read each target: a small memo of
 * recent expressions spares them even the key.
 */
export function parseExpression(expr: string): ParsedExpression {
  let parsed = recentExpressions.get(expr);
  if (!parsed) {
    // Bounded memos, not state: the same text always gives the same result.
    if (recentExpressions.size >= 1000) recentExpressions.clear();
    const key = shapeKey(expr) ?? expr;
    parsed = shapes.get(key);
    if (!parsed) {
      if (shapes.size >= 5000) shapes.clear();
      // Both keys scan alike: a shape key differs from its expression only in blanked string text.
      const scan = scanExpression(key, true);
      parsed = { tree: parser.parse(scan.text), variables: scan.variables };
      shapes.set(key, parsed);
    }
    recentExpressions.set(expr, parsed);
  }
  return parsed;
}

/** What a check needs from a tree: where its first error is, and where its string literals are. */
interface TreeCheck {
  readonly errorAt: number | undefined;
  readonly literals: readonly (readonly [number, number])[];
}

const checksOfTree = new WeakMap<Tree, TreeCheck>();

function treeCheck(tree: Tree): TreeCheck {
  let check = checksOfTree.get(tree);
  if (check) return check;
  let errorAt: number | undefined;
  const literals: [number, number][] = [];
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) {
      errorAt = cursor.from;
      break;
    }
    if (cursor.name === 'StringLiteral') literals.push([cursor.from, cursor.to]);
  } while (cursor.next());
  check = { errorAt, literals };
  checksOfTree.set(tree, check);
  return check;
}

/** Parses `expr`; returns the first syntax error, or `undefined` when it parses. */
export function checkPromql(expr: string): PromqlError | undefined {
  if (isBlank(expr)) return { line: 1, column: 1, message: 'empty expression' };
  const { errorAt, literals } = treeCheck(parseExpression(expr).tree);
  // Escapes live in the literals' text, which the shared tree does not see: check them per expression.
  for (const [from, to] of expr.includes('\\') ? literals : []) {
    if (errorAt !== undefined && from >= errorAt) break;
    const offset = invalidEscape(expr.slice(from, to));
    if (offset !== undefined) {
      const { line, column } = position(expr, from + offset);
      return { line, column, message: `invalid escape "${expr.slice(from + offset, from + offset + 2)}" in a string` };
    }
  }
  if (errorAt !== undefined) {
    const near = substituteVariables(expr)
      .slice(errorAt, errorAt + 20)
      .split('\n')[0];
    const { line, column } = position(expr, errorAt);
    return { line, column, message: near ? `unexpected "${near}"` : 'unexpected end of expression' };
  }
  return undefined;
}

/** Whether `text` is empty or only whitespace; unlike `trim()`, it copies nothing. */
export function isBlank(text: string): boolean {
  return !/\S/.test(text);
}

/** Throws a {@link BuildError} for the first PromQL expression of `json` that does not parse. */
export function validatePromql(json: grafana.Dashboard, where: string): void {
  for (const panel of allPanels(json)) {
    for (const target of promqlTargets<{ refId?: string; expr?: unknown }>(panel)) {
      if (typeof target.expr !== 'string') continue;
      const error = checkPromql(target.expr);
      if (error) {
        throw new BuildError(
          `${where}: panel ${quoted(panel.title ?? '')} target ${target.refId ?? '?'}: ` +
            `PromQL syntax error at line ${error.line}, column ${error.column}: ${error.message}`,
        );
      }
    }
  }
}
