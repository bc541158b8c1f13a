/**
 * `--schema v2`: every dashboard written as a Grafana 13 `dashboard.grafana.app/v2` resource in
 * Kubernetes object form, valid against the Foundation SDK's v2 schema, carrying everything the
 * classic dashboard had: read back, it is the classic dashboard again, field for field, so the
 * checks' verdict and `diff` are the same on either output.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  batcherDashboard,
  dashboard,
  gpuDashboard,
  latency,
  requestRate,
  sglangDashboard,
  tensorrtLlmDashboard,
  tgiDashboard,
  tritonDashboard,
  vllmDashboard,
  gpuUtilization,
  dashboardsLink,
  dcgmMetrics,
} from '../src/index.js';
import { dashboardV2ApiVersion, fromDashboardV2, toDashboardV2 } from '../src/build/dashboardV2.js';
import { dashboardV2Problem } from '../src/check/schema.js';
import { readTree } from '../src/review/revision.js';
import { diffTrees, formatTerminal, hasChanges } from '../src/review/diff.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'inferboard-v2-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const withCollapsedRow = dashboard({
  uid: 'collapsed-rows',
  title: 'Collapsed rows',
  links: [dashboardsLink('inferboard'), dashboardsLink('llm')],
  panels: [requestRate()],
  rows: [
    { title: 'Latency', panels: [latency()] },
    { title: 'GPU', collapsed: true, panels: [gpuUtilization(), requestRate({ title: 'Requests again' })] },
    { title: 'Tail', panels: [latency({ title: 'Latency again' })] },
  ],
});

const dashboards = {
  triton: tritonDashboard(),
  batcher: batcherDashboard(),
  batcherWithLogsAndTraces: batcherDashboard({ logs: true, traces: true }),
  vllm: vllmDashboard({ gpu: dcgmMetrics }),
  sglang: sglangDashboard(),
  tgi: tgiDashboard(),
  tensorrtLlm: tensorrtLlmDashboard(),
  gpu: gpuDashboard(),
  withCollapsedRow,
};

test('every preset and a dashboard with collapsed rows and links convert to a valid v2 resource and read back unchanged', () => {
  for (const [name, built] of Object.entries(dashboards)) {
    const json = JSON.parse(JSON.stringify(built.build()));
    const resource = toDashboardV2(json);
    assert.equal(resource.apiVersion, dashboardV2ApiVersion);
    assert.equal(resource.kind, 'Dashboard');
    assert.deepEqual(resource.metadata, { name: json.uid });
    assert.equal(dashboardV2Problem(resource.spec), undefined, name);
    assert.deepEqual(JSON.parse(JSON.stringify(fromDashboardV2(resource))), json, `${name}: read back field for field`);
  }
});

test('a collapsed row keeps its panels inside it, in the v2 layout as in the classic dashboard', () => {
  const resource = toDashboardV2(JSON.parse(JSON.stringify(withCollapsedRow.build())));
  assert.equal(resource.spec.layout.kind, 'RowsLayout');
  const rows = (
    resource.spec.layout.spec as {
      rows: { spec: { title?: string; collapse?: boolean; hideHeader?: boolean; layout: { spec: { items: unknown[] } } } }[];
    }
  ).rows;
  assert.deepEqual(
    rows.map(({ spec }) => [spec.title, spec.collapse, spec.hideHeader ?? false, spec.layout.spec.items.length]),
    [
      ['', false, true, 1],
      ['Latency', false, false, 1],
      ['GPU', true, false, 2],
      ['Tail', false, false, 1],
    ],
  );
  assert.deepEqual(
    resource.spec.links.map((link) => link.tags),
    [['inferboard'], ['llm']],
  );
});

function build(args: string[]) {
  const out = join(scratch, args.join('_').replace(/[^\w]+/g, '-') || 'v1');
  const result = spawnSync(process.execPath, ['dist/src/cli.js', 'examples', '-o', out, ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  return out;
}

test('--schema v2 writes resources in Kubernetes object form, byte-identical on a rebuild, and diff reads them as the classic build', async () => {
  const classic = await readTree(build([]));
  const first = build(['--schema', 'v2']);
  const v2 = await readTree(first);
  assert.deepEqual([...v2.keys()], [...classic.keys()], 'the same files');
  for (const [path, text] of v2) {
    if (!path.startsWith('dashboards/')) continue;
    const resource = JSON.parse(text);
    assert.equal(resource.apiVersion, 'dashboard.grafana.app/v2', path);
    assert.equal(resource.kind, 'Dashboard', path);
    assert.equal(`${resource.metadata.name}.json`, path.split('/').at(-1), `${path}: metadata.name is the uid`);
    assert.equal(dashboardV2Problem(resource.spec), undefined, path);
  }
  const check = spawnSync(process.execPath, ['dist/src/cli.js', 'examples', '-o', first, '--schema', 'v2', '--check'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.equal(hasChanges(diffTrees(classic, v2)), false, formatTerminal(diffTrees(classic, v2), false));

  // A change in a v2 file is read per panel, as in a classic one.
  const path = 'dashboards/Inference/triton-inference.json';
  const changed = new Map(v2);
  const resource = JSON.parse(v2.get(path)!);
  const element = Object.values(
    resource.spec.elements as Record<
      string,
      { spec: { title: string; data: { spec: { queries: { spec: { query: { spec: { expr: string } } } }[] } } } }
    >,
  ).find((candidate) => candidate.spec.title === 'Queue time')!;
  element.spec.data.spec.queries[0]!.spec.query.spec.expr = 'vector(1)';
  changed.set(path, JSON.stringify(resource));
  const diff = diffTrees(v2, changed);
  assert.deepEqual(
    diff.dashboards.map((dashboard) => [
      dashboard.uid,
      dashboard.panels.map((panel) => [panel.title, panel.changes.map((change) => change.what)]),
    ]),
    [['triton-inference', [['Queue time', ['query A']]]]],
  );
});
