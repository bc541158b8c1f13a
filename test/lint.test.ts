import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import {
  batcherDashboard,
  dashboard,
  errorRate,
  requestRate,
  tritonDashboard,
  type LintConfig,
  type LintRuleId,
} from '../src/index.js';
import { formatFinding, lintDashboard } from '../src/check/lint.js';
import { lintRules } from '../src/dashboards/lintConfig.js';

const filters = 'job=~"$job",instance=~"$instance"';

/** A dashboard with one hand-written panel, as a user would add with the SDK. */
function withQuery(expr: string, panel: { unit?: string; description?: string; title?: string } = {}, lint?: LintConfig) {
  const builder = new PanelBuilder()
    .title(panel.title ?? 'Custom')
    .description(panel.description ?? 'A hand-written query.')
    .datasource({ type: 'prometheus', uid: '${datasource}' })
    .withTarget(new DataqueryBuilder().datasource({ type: 'prometheus', uid: '${datasource}' }).refId('A').expr(expr));
  if (panel.unit !== '') builder.unit(panel.unit ?? 'short');
  return dashboard({ uid: 'lint', title: 'Lint', panels: [builder], ...(lint ? { lint } : {}) }).build();
}

const rulesOf = (json: ReturnType<typeof withQuery>, config?: LintConfig) =>
  [...new Set(lintDashboard(json, config).map((finding) => finding.rule))].sort();

test('the presets are lint clean', () => {
  for (const definition of [tritonDashboard(), batcherDashboard()]) assert.deepEqual(lintDashboard(definition.build()), []);
});

const seedMistakes: [LintRuleId, string, { unit?: string; description?: string }?][] = [
  ['counter-rate', `avg(nv_inference_request_duration_us{${filters}}) / 1000`],
  ['counter-rate', `nv_inference_request_success{${filters}}`],
  ['triton-total-suffix', `sum(rate(nv_inference_request_success_total{${filters}}[$__rate_interval]))`],
  [
    'unknown-metric',
    `histogram_quantile(0.95, sum by (le) (rate(nv_inference_request_duration_us_bucket{${filters}}[$__rate_interval])))`,
  ],
  ['summary-quantile-aggregation', `avg(nv_inference_request_summary_us{quantile="0.95",${filters}})`],
  ['gauge-rate', `rate(nv_gpu_utilization{${filters}}[$__rate_interval])`],
  ['gpu-utilization-scale', `nv_gpu_utilization{${filters}} > 90`],
  [
    'unguarded-ratio',
    `sum(rate(nv_inference_count{${filters}}[$__rate_interval])) / sum(rate(nv_inference_exec_count{${filters}}[$__rate_interval]))`,
  ],
  ['rate-interval', `sum(rate(nv_inference_request_success{${filters}}[1m]))`],
  ['rate-interval', `sum(rate(nv_inference_request_success{${filters}}[$__interval]))`],
  ['job-instance-matchers', 'sum(rate(nv_inference_request_success[$__rate_interval]))'],
  ['unknown-variable', `sum(rate(nv_inference_request_success{${filters},cluster=~"$cluster"}[$__rate_interval]))`],
  ['panel-unit', `sum(rate(nv_inference_request_success{${filters}}[$__rate_interval]))`, { unit: '' }],
  ['panel-title-description', `sum(rate(nv_inference_request_success{${filters}}[$__rate_interval]))`, { description: '' }],
];

test("each rule catches the guides' mistakes, and only that rule fires", () => {
  for (const [rule, expr, panel] of seedMistakes) {
    assert.deepEqual(rulesOf(withQuery(expr, panel)), [rule], `${rule}: ${expr}`);
  }
});

test('the correct forms of those queries pass', () => {
  for (const expr of [
    `sum(rate(nv_inference_request_duration_us{${filters}}[$__rate_interval])) / (sum(rate(nv_inference_request_success{${filters}}[$__rate_interval])) > 0)`,
    `max by (model) (nv_inference_request_summary_us{quantile="0.95",${filters}})`,
    `nv_gpu_utilization{${filters}} > 0.9`,
    `sum(increase(nv_inference_request_success{${filters}}[$__range]))`,
    `sum(nv_inference_pending_request_count{${filters}}) / 1000`,
  ]) {
    assert.deepEqual(rulesOf(withQuery(expr)), [], expr);
  }
});

test('dashboard-wide rules: datasource and job / instance variables', () => {
  const json = withQuery(`sum(rate(nv_inference_request_success{${filters}}[$__rate_interval]))`);
  const bare = { ...json, templating: { list: [] } };
  assert.deepEqual(rulesOf(bare), ['datasource-variable', 'job-instance-variables', 'unknown-variable']);
  const fixedSource = JSON.parse(JSON.stringify(json).replaceAll('${datasource}', 'some-uid'));
  assert.deepEqual(rulesOf(fixedSource), ['datasource-variable']);
});

test('uids outside lowercase a-z, 0-9 and - are reported as uid-style', () => {
  const json = { ...withQuery(`sum(rate(nv_inference_request_success{${filters}}[$__rate_interval]))`), uid: 'Triton_Main' };
  assert.deepEqual(rulesOf(json), ['uid-style']);
});

test('rules are disabled per dashboard or per panel title; unknown rule ids are refused', () => {
  const expr = `avg(nv_inference_request_summary_us{quantile="0.95",${filters}}) / sum(rate(nv_inference_request_success{${filters}}[1m]))`;
  const json = withQuery(expr, { title: 'Legacy' });
  assert.deepEqual(rulesOf(json), ['rate-interval', 'summary-quantile-aggregation', 'unguarded-ratio']);
  assert.deepEqual(rulesOf(json, { disable: ['rate-interval'] }), ['summary-quantile-aggregation', 'unguarded-ratio']);
  assert.deepEqual(rulesOf(json, { panels: { Legacy: ['summary-quantile-aggregation', 'unguarded-ratio'] } }), ['rate-interval']);
  assert.throws(() => lintDashboard(json, { disable: ['no-such-rule' as LintRuleId] }), /unknown lint rule "no-such-rule"/);
  assert.equal(Object.keys(lintRules).length, 17);
});

test('build-dashboards lint: exit 0 when clean, 1 with one line per finding naming file, dashboard, panel and rule', () => {
  const root = new URL('..', import.meta.url).pathname;
  const cli = (args: string[]) => spawnSync(process.execPath, ['dist/src/cli.js', ...args], { cwd: root, encoding: 'utf8' });
  const clean = cli(['lint']);
  assert.equal(clean.status, 0, clean.stderr);
  assert.match(clean.stdout, /7 dashboards and 8 rule groups check clean/);
  const dirty = cli(['lint', 'test/bad-input/lint-seed-queries.ts']);
  assert.equal(dirty.status, 1);
  assert.deepEqual(dirty.stderr.trim().split('\n'), [
    'build-dashboards: test/bad-input/lint-seed-queries.ts: dashboard "Seed queries" (seed-queries): panel "P95 latency" target A: [job-instance-matchers] nv_inference_request_duration_us_bucket does not filter job=~"$job"',
    'build-dashboards: test/bad-input/lint-seed-queries.ts: dashboard "Seed queries" (seed-queries): panel "P95 latency" target A: [job-instance-matchers] nv_inference_request_duration_us_bucket does not filter instance=~"$instance"',
    'build-dashboards: test/bad-input/lint-seed-queries.ts: dashboard "Seed queries" (seed-queries): panel "P95 latency" target A: [unknown-metric] nv_inference_request_duration_us_bucket is not a metric NVIDIA Triton exports',
    'build-dashboards: test/bad-input/lint-seed-queries.ts: dashboard "Seed queries" (seed-queries): panel "High GPU" target A: [gpu-utilization-scale] nv_gpu_utilization > 90: utilization is 0-1 (use 0.9)',
  ]);
  const parent = join(mkdtempSync(join(tmpdir(), 'inferboard-lint-')), 'new');
  const build = cli(['--out', join(parent, 'grafana'), 'test/bad-input/lint-seed-queries.ts']);
  assert.equal(build.status, 1, 'a build fails on lint findings');
  assert.equal(existsSync(parent), false, 'a failed build leaves no folder behind, not even the parent it made');
  const twice = cli(['lint', 'test/bad-input/duplicate-uid.ts']);
  assert.equal(twice.status, 1, 'lint runs the whole build');
  assert.match(twice.stderr, /^build-dashboards: test\/bad-input\/duplicate-uid.ts \[1\]: .*uid "same" is already used by/);
});

test('a query of the same shape as a clean one is still linted: only the variables and their places differ', () => {
  const clean = `sum(rate(nv_inference_request_success{job=~"$job",instance=~"$instance"}[$__rate_interval]))`;
  assert.deepEqual(rulesOf(withQuery(clean)), []);
  // "abcd" blanks like "$job": same parse shape, but no job filter and no $job variable.
  assert.deepEqual(rulesOf(withQuery(clean.replace('"$job"', '"abcd"'))), ['job-instance-matchers']);
  // The same variables in other places: same shape, same variables, but job is not filtered.
  const withModel = `sum(rate(nv_inference_request_success{job=~"$job",instance=~"$instance",model=~"abcd"}[$__rate_interval]))`;
  assert.deepEqual(rulesOf(withQuery(withModel)), []);
  assert.deepEqual(rulesOf(withQuery(withModel.replace('"$job"', '"abcd"').replace('"abcd"}', '"$job"}'))), [
    'job-instance-matchers',
  ]);
});

test("a window the caller chose (window: '5m', as the README shows) passes the default lint; written by hand it is still reported", () => {
  const chosen = dashboard({
    uid: 'window',
    title: 'Window',
    panels: [requestRate({ window: '5m' })],
    rows: [{ title: 'Errors', panels: [errorRate({ window: '10m' })] }],
  });
  assert.deepEqual(chosen.lint?.panels, { 'Request rate': ['rate-interval'], 'Error rate': ['rate-interval'] });
  assert.deepEqual(lintDashboard(JSON.parse(JSON.stringify(chosen.build())), chosen.lint), []);
  assert.deepEqual(rulesOf(withQuery(`sum(rate(nv_inference_request_success{${filters}}[5m]))`)), ['rate-interval']);
});

test('a finding is reported once per panel: targets repeating it are listed together', () => {
  const json = JSON.parse(
    JSON.stringify(dashboard({ uid: 'once', title: 'Once', panels: [requestRate({ window: '5m' })] }).build()),
  );
  const lines = lintDashboard(json).map(formatFinding);
  assert.deepEqual(lines, [
    'panel "Request rate" targets A, B: [rate-interval] rate(nv_inference_request_success[5m]) should use $__rate_interval',
    'panel "Request rate" targets A, B: [rate-interval] rate(nv_inference_request_failure[5m]) should use $__rate_interval',
  ]);
});

test('a lint override naming a panel the dashboard does not have is an error, with the nearest title', () => {
  const json = withQuery('vector(1)', { title: 'Request rate' });
  assert.throws(
    () => lintDashboard(json, { panels: { 'Request rat': ['panel-unit'] } }),
    /^Error: lint override for panel "Request rat" matches no panel of the dashboard; did you mean "Request rate"\?$/,
  );
  assert.throws(
    () => lintDashboard(json, { panels: { Throughput: ['panel-unit'] } }),
    /panel "Throughput" matches no panel of the dashboard$/,
  );
});
