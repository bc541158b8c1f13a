/**
 * Evaluates PromQL on a real Prometheus engine: `promtool test rules` with promql_expr_test
 * cases over synthetic series with known rates (15 s scrapes, evaluated at 10 m by default).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { allValue, variableName, variableReference } from '../../queries/index.js';
import type { Engine } from './engines.js';

export const scrapeInterval = '15s';
export const evalTime = '10m';
/** What Grafana's built-in variables become in the tests: `$__rate_interval` is 4 scrapes, `$__range` the whole 10 m. */
const builtIns: Record<string, string> = {
  __rate_interval: '1m',
  __interval: '1m',
  __range: '10m',
};

/** Replaces Grafana variables as Grafana would: its built-ins as above, every dashboard variable at "All". */
export function forPrometheus(expr: string): string {
  return expr.replace(variableReference, (whole: string) => builtIns[variableName(whole)] ?? allValue);
}

export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/** `name{label="value",...}` with every value quoted as PromQL reads it. */
export function selectorText(name: string, labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([label, value]) => `${label}=${JSON.stringify(value)}`);
  return `${name}{${pairs.join(',')}}`;
}

/** A counter growing by `perSecond` every second, sampled every 15 s (default 40 steps: 10 minutes). */
export function counter(name: string, labels: Record<string, string>, perSecond: number, steps = 40): InputSeries {
  return { series: selectorText(name, labels), values: `0+${perSecond * 15}x${steps}` };
}

/** A gauge holding `value`, sampled every 15 s (default 40 steps: 10 minutes). */
export function gauge(name: string, labels: Record<string, string>, value: number, steps = 40): InputSeries {
  return { series: selectorText(name, labels), values: `${value}+0x${steps}` };
}

/** One expected result series: its labels and the number a user would read. */
export interface Sample {
  readonly labels: Record<string, string>;
  readonly value: number;
}

export interface Case {
  /** Where the expression comes from, for failure messages. */
  readonly name: string;
  readonly expr: string;
  readonly expected: readonly Sample[];
  /** When to evaluate. Default {@link evalTime}. */
  readonly at?: string;
}

/** promtool's `{label="value"}` text of a sample's labels. */
export function labelsText(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([label, value]) => `${label}=${JSON.stringify(value)}`)
    .join(',')}}`;
}

/**
 * Relative difference tolerated between a computed and an expected number: float rounding only
 * (Prometheus 3's left-open windows give 0.9999999999999999 where 2.x gives 1).
 */
export const rounding = 1e-9;

/** A PromQL vector holding exactly `samples`: `label_replace(vector(v), ...)` per sample, joined by `or`. */
function literalVector(samples: readonly Sample[]): string {
  return samples
    .map(({ labels, value }) =>
      Object.entries(labels).reduce(
        // label_replace expands $1 in the replacement: a literal $ is written $$.
        (expr, [label, text]) =>
          `label_replace(${expr}, ${JSON.stringify(label)}, ${JSON.stringify(text.replaceAll('$', '$$$$'))}, "", "")`,
        `vector(${value})`,
      ),
    )
    .join(' or ');
}

/**
 * promql_expr_test entries asserting that `expr` returns exactly the series of `item.expected`
 * (same label sets, as many) with their values, up to {@link rounding}.
 */
export function exprTests(item: Case, expr: string = forPrometheus(item.expr)): object[] {
  const at = item.at ?? evalTime;
  if (item.expected.length === 0) return [{ expr, eval_time: at, exp_samples: [] }];
  const expected = literalVector(item.expected);
  return [
    {
      expr: `abs((${expr}) - (${expected})) <= bool (${rounding} * abs(${expected}))`,
      eval_time: at,
      exp_samples: item.expected.map((sample) => ({ labels: labelsText(sample.labels), value: 1 })),
    },
    { expr: `count(${expr})`, eval_time: at, exp_samples: [{ labels: '{}', value: item.expected.length }] },
  ];
}

/**
 * Runs every case on the series in one promtool process of `engine`, with `rules` (a rule
 * file's YAML) loaded and evaluated every 15 s; returns promtool's exit status and output.
 */
export function evaluate(
  engine: Engine,
  series: readonly InputSeries[],
  cases: readonly Case[],
  rules?: string,
): { status: number | null; output: string } {
  return runTestFile(
    engine,
    [{ interval: scrapeInterval, input_series: series, promql_expr_test: cases.flatMap((item) => exprTests(item)) }],
    rules,
  );
}

/** Runs promtool test groups (`tests:` of a rule test file) on `engine`, with `rules` loaded. */
export function runTestFile(
  engine: Engine,
  tests: readonly object[],
  rules?: string,
  evaluationInterval: string = scrapeInterval,
): { status: number | null; output: string } {
  const directory = mkdtempSync(join(tmpdir(), 'inferboard-promtool-'));
  const file = join(directory, 'queries.test.yml');
  if (rules !== undefined) writeFileSync(join(directory, 'rules.yml'), rules);
  const document = { rule_files: rules === undefined ? [] : ['rules.yml'], evaluation_interval: evaluationInterval, tests };
  writeFileSync(file, stringify(document, { lineWidth: 0 }));
  const run = promtool(engine, ['test', 'rules', file]);
  return { status: run.status, output: `${run.output}\n(test file: ${file})` };
}

/** Runs `engine`'s promtool with `args`; its exit status and combined output. */
export function promtool(engine: Engine, args: string[]): { status: number | null; output: string } {
  const run = spawnSync(engine.promtool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`${engine.promtool} could not run (${run.error.message}); run scripts/prometheus-engines.sh`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
