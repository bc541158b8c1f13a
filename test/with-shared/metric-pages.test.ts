/**
 * The servers' real `/metrics` pages (../shared/fixtures/*-sample.prom, composed from each
 * server's source) against the profiles and lint: every family a profile lists has the page's
 * type, lint knows every series the page shows (no unknown name, counters read through rate(),
 * gauges as they are), every metric and label a profile reads is on the page, and every bucket
 * bound a profile knows is the page's. Not part of `npm test`, which needs nothing beside the
 * clone: `npm run conformance` runs it where ../shared is.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import {
  dcgmMetrics,
  familySeriesNames,
  sglangBuckets,
  sglangMetrics,
  tensorrtLlmMetrics,
  tgiDurationBuckets,
  tgiMetrics,
  tritonMetrics,
  variablesFor,
  vllmBuckets,
  vllmMetrics,
  type MetricRef,
  type MetricsProfile,
} from '../../queries/index.js';
import { lintDashboard } from '../../src/buildTool.js';

const fixtures = new URL('../../../shared/fixtures/', import.meta.url).pathname;

/** One `/metrics` page: each family's TYPE, and each sample's name and labels. */
interface Page {
  readonly types: ReadonlyMap<string, string>;
  readonly samples: readonly { readonly name: string; readonly labels: Readonly<Record<string, string>> }[];
}

function readPage(file: string): Page {
  const types = new Map<string, string>();
  const samples: { name: string; labels: Record<string, string> }[] = [];
  for (const line of readFileSync(join(fixtures, file), 'utf8').split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1] as string, type[2] as string);
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? \S+$/.exec(line);
    if (!sample) continue;
    const labels = Object.fromEntries(
      [...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((match) => [match[1], match[2]]),
    );
    samples.push({ name: sample[1] as string, labels });
  }
  return { types, samples };
}

const pages: readonly { readonly file: string; readonly profile: MetricsProfile; readonly prefix: string }[] = [
  { file: 'triton-sample.prom', profile: tritonMetrics, prefix: 'nv_' },
  { file: 'trtllm-sample.prom', profile: tensorrtLlmMetrics, prefix: 'nv_' },
  { file: 'vllm-sample.prom', profile: vllmMetrics, prefix: 'vllm:' },
  { file: 'sglang-sample.prom', profile: sglangMetrics, prefix: 'sglang:' },
  { file: 'tgi-sample.prom', profile: tgiMetrics, prefix: 'tgi_' },
  { file: 'dcgm-sample.prom', profile: dcgmMetrics, prefix: 'DCGM_FI_' },
];

/** A dashboard of one stat panel per expression, with the profile's variables: what lint reads. */
function dashboardOf(profile: MetricsProfile, exprs: readonly string[]): grafana.Dashboard {
  const templating = { list: variablesFor(profile).map((variable) => variable.build()) };
  const panels = exprs.map((expr, index) => ({
    type: 'stat',
    id: index + 1,
    title: `P${index}`,
    description: 'd',
    datasource: { type: 'prometheus', uid: '${datasource}' },
    fieldConfig: { defaults: { unit: 'short' }, overrides: [] },
    targets: [{ refId: 'A', expr, datasource: { type: 'prometheus', uid: '${datasource}' } }],
  }));
  return { uid: 'page', title: 'Page', templating, panels } as unknown as grafana.Dashboard;
}

/** The names a profile's roles read, older spellings apart. */
function roleNames(profile: MetricsProfile): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const ref = value as Partial<MetricRef> & { kind?: string };
      if (typeof ref.name === 'string') names.add(ref.kind === 'histogram' ? `${ref.name}_bucket` : ref.name);
      for (const [key, field] of Object.entries(value)) if (key !== 'previousNames' && key !== 'families') visit(field);
    }
  };
  const { families: _families, labels: _labels, ...roles } = profile;
  visit(roles);
  return names;
}

for (const { file, profile, prefix } of pages) {
  test(`${file}: lint knows every ${prefix} series on the page by its kind, and the profile's families have its types`, () => {
    const page = readPage(file);
    const families = profile.families;
    assert.ok(families, `${profile.id} lists its families`);
    const listed = new Map<string, string>([
      ...families.counter.map((name) => [name, 'counter'] as const),
      ...families.gauge.map((name) => [name, 'gauge'] as const),
      ...families.histogram.map((name) => [name, 'histogram'] as const),
      ...families.summary.map((name) => [name, 'summary'] as const),
    ]);
    for (const [family, type] of page.types) {
      if (!family.startsWith(prefix) || (families.createdSeries && family.endsWith('_created'))) continue;
      assert.equal(listed.get(family) ?? listed.get(`${family}_total`), type, `${family} is a ${type} on the page`);
    }
    const known = familySeriesNames(families);
    const names = [...new Set(page.samples.map((sample) => sample.name).filter((name) => name.startsWith(prefix)))];
    assert.deepEqual(
      names.filter((name) => !known.has(name)),
      [],
      'series on the page that the families do not list',
    );
    // Each series read as a panel should: counters through rate(), summary quantiles by max(), gauges as they are.
    const filter = '{job=~"$job",instance=~"$instance"}';
    const typeOf = (name: string) =>
      page.types.get(name) ?? (/_(bucket|sum|count)$/.test(name) ? 'counter' : page.types.get(name.replace(/_total$/, '')));
    const exprs = names.map((name) => {
      const type = typeOf(name);
      if (type === 'counter') return `sum(rate(${name}${filter}[$__rate_interval]))`;
      return type === 'summary' ? `max(${name}${filter})` : `sum(${name}${filter})`;
    });
    assert.deepEqual(
      lintDashboard(dashboardOf(profile, exprs), { disable: ['job-instance-variables', 'uid-style'] }).map(
        (finding) => finding.message,
      ),
      [],
      'lint findings on the page read as it should be',
    );
  });

  test(`${file}: every metric and label the ${profile.id} profile reads is on the page`, () => {
    const page = readPage(file);
    const onPage = new Set(page.samples.map((sample) => sample.name));
    // Options off by default (Triton's first-response histogram) and DCGM's MIG labels are not on these pages.
    const missing = [...roleNames(profile)].filter((name) => !onPage.has(name));
    assert.deepEqual(missing, [], 'metrics the profile reads that the page does not have');
    const discovery = page.samples.filter((sample) => sample.name === profile.discoveryMetric);
    assert.ok(discovery.length > 0, `the discovery metric ${profile.discoveryMetric} is on the page`);
    const {
      job: _job,
      instance: _instance,
      hostAliases,
      extra,
      replicas,
      gpuInstance: _mig,
      namespace,
      pod,
      host,
      gpu,
      model,
    } = profile.labels;
    const labels = [model, ...(extra ?? []).map((label) => label.label), ...(replicas ?? [])].filter(
      (label) => label !== undefined,
    );
    for (const label of labels) {
      assert.ok(
        page.samples.some((sample) => sample.name.startsWith(prefix) && label in sample.labels),
        `label ${label} is on the page's series`,
      );
    }
    if (profile === dcgmMetrics) {
      for (const label of [gpu, namespace, pod, ...(hostAliases ?? [])]) {
        assert.ok(
          page.samples.some((sample) => label && label in sample.labels),
          `DCGM label ${label} is on the page`,
        );
      }
      assert.equal(host, 'hostname', 'the host label after the rename; the page has the released Hostname, read as an alias');
    }
  });
}

test('the bucket bounds the profiles know are the ones each page prints', () => {
  const bounds = (file: string, family: string) =>
    readPage(file)
      .samples.filter((sample) => sample.name === `${family}_bucket` && sample.labels.le !== '+Inf')
      .map((sample) => Number(sample.labels.le))
      .filter((bound, index, all) => all.indexOf(bound) === index);
  assert.deepEqual(bounds('vllm-sample.prom', 'vllm:time_to_first_token_seconds'), [...vllmBuckets.timeToFirstToken]);
  assert.deepEqual(bounds('vllm-sample.prom', 'vllm:inter_token_latency_seconds'), [...vllmBuckets.interToken]);
  assert.deepEqual(bounds('vllm-sample.prom', 'vllm:e2e_request_latency_seconds'), [...vllmBuckets.requestPhase]);
  assert.deepEqual(bounds('sglang-sample.prom', 'sglang:time_to_first_token_seconds'), [...sglangBuckets.timeToFirstToken]);
  assert.deepEqual(bounds('sglang-sample.prom', 'sglang:inter_token_latency_seconds'), [...sglangBuckets.interToken]);
  assert.deepEqual(bounds('sglang-sample.prom', 'sglang:e2e_request_latency_seconds'), [...sglangBuckets.endToEnd]);
  assert.deepEqual(bounds('sglang-sample.prom', 'sglang:queue_time_seconds'), [...sglangBuckets.queueTime]);
  // TGI prints each bound as the float its exporter computed: the same text, not just the same number.
  const tgiText = readPage('tgi-sample.prom')
    .samples.filter((sample) => sample.name === 'tgi_request_duration_bucket' && sample.labels.le !== '+Inf')
    .map((sample) => sample.labels.le);
  assert.deepEqual(tgiText, tgiDurationBuckets.map(String));
});
