/**
 * Build-time checks of emitted dashboards: every PromQL expression parses with the official
 * Prometheus parser (@prometheus-io/lezer-promql) after Grafana's variables are substituted.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import type { Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { checkUid } from './dashboard.js';
import { gridColumns } from './layout.js';

/** A PromQL syntax error, 1-based line and column in the original expression. */
export interface PromqlError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const durationVariables = new Set(['__interval', '__rate_interval', '__range', '__auto']);

function position(expr: string, offset: number): { line: number; column: number } {
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

const oldStyleVariableAt = /\[\[([A-Za-z0-9_]+)\]\]/y;

const isNameCode = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;

/** The variable at `index` (`$name`, `${name}`, `${name:format}`, `[[name]]`): its name and length, or undefined. */
function variableAt(expr: string, index: number): { name: string; length: number } | undefined {
  if (expr.charCodeAt(index) === 91) {
    oldStyleVariableAt.lastIndex = index;
    const match = oldStyleVariableAt.exec(expr);
    return match ? { name: match[1] ?? '', length: match[0].length } : undefined;
  }
  if (expr.charCodeAt(index + 1) === 123) {
    const close = expr.indexOf('}', index + 2);
    if (close < 0) return undefined;
    const inside = expr.slice(index + 2, close);
    const name = inside.split(':', 1)[0] ?? '';
    return /^[A-Za-z0-9_.:]+$/.test(name) && name !== '' ? { name, length: close + 1 - index } : undefined;
  }
  let end = index + 1;
  while (end < expr.length && isNameCode(expr.charCodeAt(end))) end += 1;
  return end > index + 1 ? { name: expr.slice(index + 1, end), length: end - index } : undefined;
}

/**
 * One scan of `expr` that replaces Grafana variables with values of the same length (a duration
 * inside `[...]`, a number elsewhere) so positions stay true; variables inside strings are plain
 * text. With `blankStrings`, string literals are blanked to the same length too.
 */
function scanExpression(expr: string, blankStrings: boolean): string {
  const parts: string[] = [];
  let copiedTo = 0;
  let inBrackets = false;
  for (let index = 0; index < expr.length; index += 1) {
    const code = expr.charCodeAt(index);
    if (code === 34 || code === 39 || code === 96) {
      // "...", '...' (backslash escapes) or `...` (raw).
      let end = index + 1;
      while (end < expr.length && expr.charCodeAt(end) !== code && !(code !== 96 && expr.charCodeAt(end) === 10)) end += code !== 96 && expr.charCodeAt(end) === 92 ? 2 : 1;
      if (end >= expr.length || expr.charCodeAt(end) !== code) break;
      if (blankStrings) {
        parts.push(expr.slice(copiedTo, index + 1), 'x'.repeat(end - index - 1));
        copiedTo = end;
      }
      index = end;
    } else if (code === 93) {
      inBrackets = false;
    } else if (code === 36 || code === 91) {
      const variable = code === 36 || expr.charCodeAt(index + 1) === 91 ? variableAt(expr, index) : undefined;
      if (!variable) {
        if (code === 91) inBrackets = true;
        continue;
      }
      parts.push(expr.slice(copiedTo, index), (inBrackets || durationVariables.has(variable.name) ? '1m' : '1').padEnd(variable.length, ' '));
      copiedTo = index + variable.length;
      index = copiedTo - 1;
    }
  }
  parts.push(expr.slice(copiedTo));
  return parts.join('');
}

/** `expr` with Grafana variables replaced by values of the same length, so error positions stay true. */
export function substituteVariables(expr: string): string {
  return scanExpression(expr, false);
}

/**
 * The text the parser sees for `expr`, positions kept: variables substituted and string
 * literals blanked to the same length, so that expressions differing only inside strings (one
 * dashboard per model) share one parse. This runs once per target of every dashboard.
 */
export function shapeOf(expr: string): string {
  return scanExpression(expr, true);
}

const shapes = new Map<string, Tree>();

/** The syntax tree of `shape` (see {@link shapeOf}); one parse per shape. */
function treeOfShape(shape: string): Tree {
  let tree = shapes.get(shape);
  if (!tree) {
    // A bounded memo, not state: the same shape always gives the same tree.
    if (shapes.size >= 5000) shapes.clear();
    tree = parser.parse(shape);
    shapes.set(shape, tree);
  }
  return tree;
}

const recentTrees = new Map<string, Tree>();

/**
 * The syntax tree of `expr`, Grafana variables and all; every position points into `expr`. The
 * check, the lint rules and the recorded-series check all read each target: a small memo of
 * recent expressions spares them repeating the work.
 */
export function syntaxTree(expr: string): Tree {
  let tree = recentTrees.get(expr);
  if (!tree) {
    if (recentTrees.size >= 1000) recentTrees.clear();
    tree = treeOfShape(shapeOf(expr));
    recentTrees.set(expr, tree);
  }
  return tree;
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
  if (expr.trim() === '') return { line: 1, column: 1, message: 'empty expression' };
  const { errorAt, literals } = treeCheck(syntaxTree(expr));
  // Escapes live in the literals' text, which the shared tree does not see: check them per expression.
  for (const [from, to] of literals) {
    if (errorAt !== undefined && from >= errorAt) break;
    const offset = invalidEscape(expr.slice(from, to));
    if (offset !== undefined) {
      const { line, column } = position(expr, from + offset);
      return { line, column, message: `invalid escape "${expr.slice(from + offset, from + offset + 2)}" in a string` };
    }
  }
  if (errorAt !== undefined) {
    const near = substituteVariables(expr).slice(errorAt, errorAt + 20).split('\n')[0];
    const { line, column } = position(expr, errorAt);
    return { line, column, message: near ? `unexpected "${near}"` : 'unexpected end of expression' };
  }
  return undefined;
}

/** A build error that says where: file, dashboard, panel. */
export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}

/** Every panel, including those inside collapsed rows. */
export function allPanels(json: grafana.Dashboard): grafana.Panel[] {
  return (json.panels ?? []).flatMap((panel) => {
    const inner = panel.type === 'row' ? ((panel as grafana.RowPanel).panels ?? []) : [];
    return [panel as grafana.Panel, ...inner];
  });
}

/** Throws a {@link BuildError} for the first PromQL expression of `json` that does not parse. */
export function validatePromql(json: grafana.Dashboard, where: string): void {
  for (const panel of allPanels(json)) {
    for (const target of (panel.targets ?? []) as { refId?: string; expr?: unknown }[]) {
      if (typeof target.expr !== 'string') continue;
      const error = checkPromql(target.expr);
      if (error) {
        throw new BuildError(
          `${where}: panel ${JSON.stringify(panel.title ?? '')} target ${target.refId ?? '?'}: ` +
            `PromQL syntax error at line ${error.line}, column ${error.column}: ${error.message}`,
        );
      }
    }
  }
}

/** The oldest dashboard schema version Grafana saves without migrating. */
export const minimumSchemaVersion = 39;
/** Longest dashboard or panel title accepted. */
export const maximumTitleLength = 5000;

/**
 * Grafana's save rules, checked before anything is written: a valid uid, no instance id, a
 * current schemaVersion, a title of 1-5000 characters, and positive, unique panel ids and
 * positions inside the grid.
 */
export function checkSaveRules(json: grafana.Dashboard, where: string): void {
  const fail = (message: string): never => {
    throw new BuildError(`${where}: ${message}`);
  };
  try {
    checkUid(json.uid ?? '');
  } catch (error) {
    fail((error as Error).message);
  }
  if (json.id !== undefined && json.id !== null) fail('has an id; provisioned dashboards are identified by uid only');
  if (!Number.isInteger(json.schemaVersion) || (json.schemaVersion as number) < minimumSchemaVersion) {
    fail(`schemaVersion ${json.schemaVersion} is older than ${minimumSchemaVersion}`);
  }
  const title = json.title ?? '';
  if (title.trim() === '' || title.length > maximumTitleLength) fail(`title must be 1-${maximumTitleLength} characters`);
  const ids = new Set<number>();
  for (const panel of allPanels(json)) {
    const name = `panel ${JSON.stringify((panel.title ?? '').slice(0, 80))}`;
    if ((panel.title ?? '').length > maximumTitleLength) fail(`${name}: title is longer than ${maximumTitleLength} characters`);
    if (panel.id !== undefined) {
      if (!Number.isInteger(panel.id) || panel.id < 1) fail(`${name}: id ${panel.id} is not a positive integer`);
      if (ids.has(panel.id)) fail(`${name}: id ${panel.id} is used twice`);
      ids.add(panel.id);
    }
    const grid = panel.gridPos;
    if (grid && !(grid.w >= 1 && grid.h >= 1 && grid.x >= 0 && grid.y >= 0 && grid.x + grid.w <= gridColumns)) {
      fail(`${name}: gridPos ${JSON.stringify(grid)} lies outside the ${gridColumns}-column grid`);
    }
  }
}
