/**
 * Build-time checks of emitted dashboards: every PromQL expression parses with the official
 * Prometheus parser (@prometheus-io/lezer-promql) after Grafana's variables are substituted.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { parser } from '@prometheus-io/lezer-promql';

/** A PromQL syntax error, 1-based line and column in the original expression. */
export interface PromqlError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

const variable = /\$\{([A-Za-z0-9_.:]+)(?::[^}]*)?\}|\$([A-Za-z0-9_]+)|\[\[([A-Za-z0-9_]+)\]\]/g;
const durationVariables = new Set(['__interval', '__rate_interval', '__range', '__auto']);

/**
 * Replaces Grafana variables with values of the same length so error positions stay true:
 * a duration inside `[...]`, a number elsewhere; inside strings they are plain text already.
 */
export function substituteVariables(expr: string): string {
  let inString: string | undefined;
  let inBrackets = false;
  let output = '';
  for (let index = 0; index < expr.length; ) {
    const char = expr[index] as string;
    if (inString) {
      if (char === '\\') {
        output += expr.slice(index, index + 2);
        index += 2;
        continue;
      }
      if (char === inString) inString = undefined;
    } else if (char === '"' || char === "'" || char === '`') {
      inString = char;
    } else if (char === '[') {
      inBrackets = true;
    } else if (char === ']') {
      inBrackets = false;
    } else if (char === '$') {
      variable.lastIndex = index;
      const match = variable.exec(expr);
      if (match && match.index === index) {
        const name = match[1] ?? match[2] ?? match[3] ?? '';
        const value = inBrackets || durationVariables.has(name) ? '1m' : '1';
        output += value.padEnd(match[0].length, ' ');
        index += match[0].length;
        continue;
      }
    }
    output += char;
    index += 1;
  }
  return output;
}

function position(expr: string, offset: number): { line: number; column: number } {
  const before = expr.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** Parses `expr`; returns the first syntax error, or `undefined` when it parses. */
export function checkPromql(expr: string): PromqlError | undefined {
  if (expr.trim() === '') return { line: 1, column: 1, message: 'empty expression' };
  const substituted = substituteVariables(expr);
  const cursor = parser.parse(substituted).cursor();
  do {
    if (cursor.type.isError) {
      const near = substituted.slice(cursor.from, cursor.from + 20).split('\n')[0];
      const { line, column } = position(expr, cursor.from);
      return { line, column, message: near ? `unexpected "${near}"` : 'unexpected end of expression' };
    }
  } while (cursor.next());
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
