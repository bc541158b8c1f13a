/**
 * Nothing the build writes is refused by the Prometheus that reads it: a generated corpus of
 * rule groups (regexes, windows, `for` durations, annotation templates, Grafana variables) gets
 * the build's verdict and `promtool check rules`' on both engines, and they must agree; a corpus
 * of expressions gets the build's verdict and a real evaluation's (`promtool test rules`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { ruleFile, type AlertRule, type RecordingRule, type RuleGroup } from '../alerts/index.js';
import { queries } from '../src/index.js';
import { acceptanceProblem } from '../src/check/accepts.js';
import { checkPromql } from '../src/check/promql.js';
import { checkRuleGroup } from '../src/check/rules.js';
import { testOnEngines } from './support/engines.js';
import { promtool } from './support/promtool.js';

const regexes = [
  'resnet.*',
  '(?<=x)',
  '(a',
  'a)',
  '[z-a]',
  'x{1001}',
  '\\C',
  '(?s:.*)',
  '[[:alpha:]]+',
  '\\pL',
  'a|b',
  '(?i)Triton',
  '\\d{2,3}',
];
const windows = ['5m', '0s', '1m30s', '30s5m', '1h2h', '90s', '500ms'];
const durations = ['5m', '30s5m', '1h30m', '0s', '1m1h', '90s', '500ms'];
const templates = [
  '{{ $value }}',
  '{{ $value | humanize }}',
  '{{ $value | printf "%.2f" }}',
  '{{ $labels.model',
  '{{ if gt $value 1.0 }}high{{ end }}',
  '{{ if $value }}unclosed',
  '{{ nosuchfunction $value }}',
  '{{ "unterminated }}',
  '{{ (humanize $value }}',
  '{{ end }}',
  '{{ range $labels }}{{ . }}{{ end }}',
  '{{/* a comment */}}',
  '{{- $value -}}',
  '{{ $value | humanizePercentage }} of {{ $labels.instance }}',
  '{{ }}',
];

function alert(name: string, patch: Partial<AlertRule>): AlertRule {
  return {
    alert: name,
    expr: 'up == 0',
    labels: { severity: 'warning' },
    annotations: { summary: 's', description: 'd' },
    ...patch,
  };
}

/** One rule group per case, so each verdict belongs to one change. */
const cases: { name: string; group: RuleGroup }[] = [
  ...regexes.map((pattern, index) => ({
    name: `regex ${pattern}`,
    group: { name: `regex-${index}`, rules: [alert('Regex', { expr: `up{job=~${JSON.stringify(pattern)}} == 0` })] },
  })),
  ...windows.map((window, index) => ({
    name: `window ${window}`,
    group: { name: `window-${index}`, rules: [{ record: 'job:up:rate', expr: `sum by (job) (rate(up[${window}]))` }] },
  })),
  ...durations.map((duration, index) => ({
    name: `for ${duration}`,
    group: { name: `for-${index}`, rules: [alert('For', { for: duration })] },
  })),
  ...templates.map((template, index) => ({
    name: `template ${template}`,
    group: { name: `template-${index}`, rules: [alert('Template', { annotations: { summary: 's', description: template } })] },
  })),
  ...[
    ['label team_name', { labels: { severity: 'warning', team_name: 'ml' } }],
    ['label team-name', { labels: { severity: 'warning', 'team-name': 'ml' } }],
    ['label __name__', { labels: { severity: 'warning', __name__: 'x' } }],
    ['label annotation runbook.url', { annotations: { summary: 's', description: 'd', 'runbook.url': 'u' } }],
    ['field keep_firing_for 5m', { keep_firing_for: '5m' }],
    ['field keep_firing_for 5x', { keep_firing_for: '5x' }],
    ['field anotations', { anotations: {} }],
    ['type sum(up[5m]) > 0', { expr: 'sum(up[5m]) > 0' }],
    ['type rate(up) > 0', { expr: 'rate(up) > 0' }],
    ['type "a" + 1', { expr: '"a" + 1 > 0' }],
    ['type max_over_time(up[5m:] @ end()) > 0', { expr: 'max_over_time(up[5m:] @ end()) > 0' }],
    ['type rate(up[5m] offset 1m) > 0', { expr: 'rate(up[5m] offset 1m) > 0' }],
  ].map(([name, patch], index) => ({
    name: name as string,
    group: { name: `field-${index}`, rules: [alert('Field', patch as Partial<AlertRule>)] },
  })),
  {
    name: 'record with annotations',
    group: {
      name: 'record-annotations',
      rules: [{ record: 'job:up:sum', expr: 'sum(up)', annotations: { a: 'b' } } as RecordingRule],
    },
  },
  {
    name: 'a Grafana variable in a rule',
    group: { name: 'grafana-variable', rules: [alert('Variable', { expr: 'rate(up[$__rate_interval]) > 0' })] },
  },
  {
    name: 'a Grafana variable in a label value',
    group: { name: 'grafana-label', rules: [alert('Variable', { expr: 'up{job="$job"} == 0' })] },
  },
];

/** Whether the build accepts a group: the checks `build-dashboards` runs before writing a rule file. */
function buildAccepts(group: RuleGroup): boolean {
  try {
    checkRuleGroup(group, 'test');
    return true;
  } catch {
    return false;
  }
}

testOnEngines(
  'every rule group the build accepts, promtool check rules accepts, and every one it refuses, promtool refuses',
  (engine) => {
    const directory = mkdtempSync(join(tmpdir(), 'inferboard-accepts-'));
    const disagreements: string[] = [];
    for (const { name, group } of cases) {
      const file = join(directory, `${group.name}.yml`);
      writeFileSync(file, ruleFile([group]));
      const prometheus = promtool(engine, ['check', 'rules', file]);
      const build = buildAccepts(group);
      // A Grafana variable is valid PromQL text to Prometheus in a label value, but no rule means it; names
      // Prometheus 3 takes (UTF-8) and 2 refuses are refused for both: the build refuses more.
      const refusedByDesign = ['a Grafana variable in a label value', 'label team-name', 'label annotation runbook.url'];
      const expected = refusedByDesign.includes(name) ? false : prometheus.status === 0;
      if (build !== expected)
        disagreements.push(
          `${name}: build ${build ? 'accepts' : 'refuses'}, promtool ${prometheus.status === 0 ? 'accepts' : 'refuses'}: ${prometheus.output.trim().split('\n').slice(-2).join(' ')}`,
        );
    }
    assert.deepEqual(disagreements, []);
    // The corpus holds both verdicts for each family.
    for (const family of ['regex', 'window', 'for', 'template', 'label', 'field', 'type']) {
      const verdicts = new Set(cases.filter((item) => item.name.startsWith(family)).map((item) => buildAccepts(item.group)));
      assert.deepEqual([...verdicts].sort(), [false, true], `${family}: both accepted and refused cases`);
    }
  },
);

testOnEngines('every expression the build accepts evaluates on Prometheus, and every one it refuses fails there', (engine) => {
  const expressions = [
    ...regexes.map((pattern) => `up{job=~${JSON.stringify(pattern)}}`),
    ...windows.map((window) => `rate(up[${window}])`),
    'topk(10, up)',
    'topk(1e21, up)',
    'bottomk(9007199254740993, up)',
    'topk(5, up) and on() vector(1)',
    // Types: what parses but is refused. A bare range vector is left out: an instant query (promtool's) takes it.
    'rate(up)',
    'abs(up[5m])',
    'sum(up[5m])',
    '"a" + 1',
    'quantile_over_time(up[5m], 0.9)',
    'quantile_over_time(0.9, up[5m])',
    'rate(up[5m] offset 1m)',
    'max_over_time(rate(up[1m])[5m:1m])',
    'max_over_time(up[5m:] @ end())',
  ];
  const directory = mkdtempSync(join(tmpdir(), 'inferboard-accepts-'));
  const file = join(directory, 'queries.test.yml');
  const tests = expressions.map((expr) => ({
    interval: '15s',
    input_series: [{ series: 'up{job="a"}', values: '1+0x20' }],
    promql_expr_test: [{ expr, eval_time: '5m', exp_samples: [] }],
  }));
  writeFileSync(file, stringify({ rule_files: [], evaluation_interval: '15s', tests }, { lineWidth: 0 }));
  const output = promtool(engine, ['test', 'rules', file]).output;
  const disagreements: string[] = [];
  for (const expr of expressions) {
    // promtool prints `err:` for a query it refuses, and the samples it got for one it ran.
    const quoted = JSON.stringify(expr);
    const line = output.split('\n').find((candidate) => candidate.includes(`expr: ${quoted}`)) ?? '';
    const prometheusAccepts = !line.includes('err:');
    const buildAccepts = checkPromql(expr) === undefined && acceptanceProblem(expr) === undefined;
    if (buildAccepts !== prometheusAccepts)
      disagreements.push(`${expr}: build ${buildAccepts}, Prometheus ${prometheusAccepts}: ${line.trim()}`);
  }
  assert.deepEqual(disagreements, []);
});

test('the query builders refuse what Prometheus would: an RE2-invalid filter, a zero window, a topSeries past int64', () => {
  assert.throws(
    () => queries.requestRate({ filters: [{ label: 'model', operator: '=~', value: '(?<=x)' }] }),
    /filter model=~"\(\?<=x\)" is not a regex Prometheus accepts \(RE2\)/,
  );
  assert.throws(() => queries.requestRate({ window: '0s' }), /invalid range "0s"/);
  assert.throws(() => queries.requestRate({ window: '30s5m' }), /invalid range "30s5m"/);
  assert.throws(() => queries.topSeries(queries.requestRate(), 1e21), /topSeries must be a whole number/);
});
