/**
 * Evaluates PromQL on a real Prometheus engine: `promtool test rules` with promql_expr_test
 * cases over synthetic series with known rates (15 s scrapes, evaluated at 10 m).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { variableName, variableReference } from '../../src/variables.js';

export const scrapeInterval = '15s';
export const evalTime = '10m';
/** What Grafana's variables become in the tests: `$__rate_interval` is 4 scrapes, `$__range` the whole 10 m. */
const substitutions: Record<string, string> = {
  __rate_interval: '1m',
  __range: '10m',
  job: '.*',
  instance: '.*',
  model: '.*',
  gpu: '.*',
};

/** Replaces Grafana variables ($__rate_interval, $__range, $job, ...) as Grafana would for "All". */
export function forPrometheus(expr: string): string {
  return expr.replace(variableReference, (whole: string) => {
    const value = substitutions[variableName(whole)];
    if (value === undefined) throw new Error(`test has no value for Grafana variable ${whole} in ${expr}`);
    return value;
  });
}

export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

function selectorText(name: string, labels: Record<string, string>): string {
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
}

/**
 * Runs every case on the series in one promtool process, with `rules` (a rule file's YAML)
 * loaded and evaluated every 15 s; returns promtool's exit status and output.
 */
export function evaluate(series: readonly InputSeries[], cases: readonly Case[], rules?: string): { status: number | null; output: string } {
  const directory = mkdtempSync(join(tmpdir(), 'inferboard-promtool-'));
  const file = join(directory, 'queries.test.yml');
  if (rules !== undefined) writeFileSync(join(directory, 'rules.yml'), rules);
  const document = {
    rule_files: rules === undefined ? [] : ['rules.yml'],
    evaluation_interval: scrapeInterval,
    tests: [
      {
        interval: scrapeInterval,
        input_series: series,
        promql_expr_test: cases.map((item) => ({
          expr: forPrometheus(item.expr),
          eval_time: evalTime,
          exp_samples: item.expected.map((sample) => ({
            labels: `{${Object.entries(sample.labels)
              .map(([label, value]) => `${label}=${JSON.stringify(value)}`)
              .join(',')}}`,
            value: sample.value,
          })),
        })),
      },
    ],
  };
  writeFileSync(file, stringify(document, { lineWidth: 0 }));
  const run = promtool(['test', 'rules', file]);
  return { status: run.status, output: `${run.output}\n(test file: ${file})` };
}

/** Runs promtool with `args`; its exit status and combined output. */
export function promtool(args: string[]): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { encoding: 'utf8' });
  if (run.error) throw new Error(`promtool could not run (${run.error.message}); install Debian's prometheus package`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
