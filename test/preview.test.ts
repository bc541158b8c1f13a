/**
 * `build-dashboards preview`: an SVG per dashboard, rendered with resvg to check that every
 * panel is painted where Grafana's grid puts it, in its type's colour.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { previewColours, previewScale, previewSvg } from '../src/buildTool.js';
import { dashboard, gpuMemory, gpuUtilization, requestRate, tritonDashboard } from '../src/index.js';
import { allPanels } from '../src/dashboards/walk.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function rgb(hex: string): number[] {
  return [1, 3, 5].map((index) => parseInt(hex.slice(index, index + 2), 16));
}

test('the rendered preview paints each panel in its type colour at its grid position', () => {
  const json = tritonDashboard().build();
  const svg = previewSvg(json);
  const image = new Resvg(svg).render();
  const { column, row, header } = previewScale;
  assert.equal(image.width, 24 * column);
  const panels = allPanels(json);
  assert.ok(!panels.some((panel) => (panel as { collapsed?: boolean }).collapsed), 'no collapsed rows: every panel is drawn');
  const bottom = Math.max(...panels.map((panel) => panel.gridPos!.y + panel.gridPos!.h));
  assert.equal(image.height, header + bottom * row);
  const pixel = (x: number, y: number) => [...image.pixels.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 3)];
  for (const panel of panels) {
    const { x, y, w, h } = panel.gridPos!;
    // Bottom-right area of the panel, away from its text.
    const probe = pixel((x + w) * column - 8, header + (y + h) * row - 6);
    assert.deepEqual(
      probe,
      rgb(previewColours[panel.type] ?? '#000000'),
      `${panel.type} panel "${panel.title}" is painted at its place`,
    );
  }
  assert.deepEqual(pixel(24 * column - 1, 1), rgb('#111217'), 'the background shows outside the panels');
  for (const panel of panels) assert.ok(svg.includes(`>${panel.title}</text>`), `title "${panel.title}" is in the SVG`);
  assert.equal(previewSvg(tritonDashboard().build()), svg, 'deterministic');
});

test('titles are escaped and cut to the panel width', () => {
  const json = tritonDashboard().build();
  const first = allPanels(json).find((panel) => panel.type === 'stat')!;
  first.title = '<script>&"quoted" title that is far too long to fit a six-column panel';
  const svg = previewSvg(json);
  // 6 columns hold 32 characters at about 7 px each.
  assert.ok(svg.includes('>&lt;script&gt;&amp;&quot;quoted&quot; title that is…</text>'));
  new Resvg(svg).render();
});

test('build-dashboards preview writes one SVG per dashboard', () => {
  const out = mkdtempSync(join(tmpdir(), 'inferboard-preview-'));
  const result = spawnSync(process.execPath, ['dist/src/cli.js', 'preview', '--out', out], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, `build-dashboards: 7 layout previews written to ${out}\n`);
  assert.deepEqual(readdirSync(out).sort(), [
    'gpu-dcgm.svg',
    'inference-api-batcher.svg',
    'inference-slo.svg',
    'llm-slo.svg',
    'resnet50-capacity.svg',
    'triton-inference.svg',
    'vllm.svg',
  ]);
  assert.ok(
    readFileSync(join(out, 'triton-inference.svg'), 'utf8').startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="960"'),
  );
});

test('a collapsed row is drawn closed, saying how many panels it holds, and the rows below it are not overlapped', () => {
  const json = dashboard({
    uid: 'collapsed',
    title: 'Collapsed',
    rows: [
      { title: 'GPU', collapsed: true, panels: [gpuUtilization(), gpuMemory()] },
      { title: 'Traffic', panels: [requestRate()] },
    ],
  }).build();
  const svg = previewSvg(json);
  assert.match(svg, /data-type="row" data-grid="0,0,24,1" data-collapsed="true">[\s\S]*?>▸ GPU \(2 panels\)<\/text>/);
  assert.ok(!svg.includes('>GPU utilization</text>'), 'the closed row hides its panels');
  const image = new Resvg(svg).render();
  const { column, row, header } = previewScale;
  const pixel = (x: number, y: number) => [...image.pixels.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 3)];
  const traffic = allPanels(json).find((panel) => panel.title === 'Request rate')!.gridPos!;
  assert.equal(traffic.y, 2, 'the next row follows the closed one');
  assert.deepEqual(
    pixel((traffic.x + traffic.w) * column - 8, header + (traffic.y + traffic.h) * row - 6),
    rgb(previewColours.timeseries!),
  );
});
