import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import {
  batcherDashboard,
  batchSize,
  dashboard,
  gridColumns,
  latency,
  layout,
  requestRate,
  tritonDashboard,
} from '../src/index.js';

const panel = (title: string, w: number, h = 8): grafana.Panel => ({ type: 'timeseries', title, gridPos: { x: 0, y: 0, w, h } });

function overlaps(a: grafana.GridPos, b: grafana.GridPos): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function assertGrid(panels: readonly (grafana.Panel | grafana.RowPanel)[]): void {
  const placed: grafana.GridPos[] = [];
  for (const item of panels) {
    const grid = item.gridPos as grafana.GridPos;
    assert.ok(grid.x >= 0 && grid.y >= 0 && grid.w >= 1 && grid.h >= 1, `${item.title} has a negative or empty position`);
    assert.ok(grid.x + grid.w <= gridColumns, `${item.title} overflows the grid`);
    for (const other of placed) assert.ok(!overlaps(grid, other), `${item.title} overlaps another panel`);
    placed.push(grid);
  }
}

test('panels wrap to a new line instead of overflowing 24 columns, and never overlap', () => {
  const result = layout([{ panels: [panel('a', 16), panel('b', 12, 4), panel('c', 8, 10), panel('d', 24, 2)] }]);
  assert.deepEqual(
    result.map((item) => [item.title, item.gridPos]),
    [
      ['a', { h: 8, w: 16, x: 0, y: 0 }],
      ['b', { h: 4, w: 12, x: 0, y: 8 }],
      ['c', { h: 10, w: 8, x: 12, y: 8 }],
      ['d', { h: 2, w: 24, x: 0, y: 18 }],
    ],
  );
  assertGrid(result);
});

test('rows take a full-width line and their panels start below them', () => {
  const result = layout([
    { panels: [panel('top', 24, 3)] },
    { row: { title: 'R', collapsed: false }, panels: [panel('a', 12), panel('b', 12)] },
    { row: { title: 'S', collapsed: false }, panels: [panel('c', 6, 4)] },
  ]);
  assert.deepEqual(
    result.map((item) => [item.type, item.title, item.gridPos?.y, item.gridPos?.x]),
    [
      ['timeseries', 'top', 0, 0],
      ['row', 'R', 3, 0],
      ['timeseries', 'a', 4, 0],
      ['timeseries', 'b', 4, 12],
      ['row', 'S', 12, 0],
      ['timeseries', 'c', 13, 0],
    ],
  );
  assertGrid(result);
});

test('a collapsed row holds its panels laid out below its header and takes one line', () => {
  const result = layout([
    { row: { title: 'closed', collapsed: true }, panels: [panel('a', 12), panel('b', 12)] },
    { row: { title: 'open', collapsed: false }, panels: [panel('c', 24)] },
  ]);
  const [closed, open, c] = result as [grafana.RowPanel, grafana.RowPanel, grafana.Panel];
  assert.equal(result.length, 3);
  assert.equal(closed.collapsed, true);
  assert.deepEqual(
    closed.panels.map((inner) => inner.gridPos),
    [
      { h: 8, w: 12, x: 0, y: 1 },
      { h: 8, w: 12, x: 12, y: 1 },
    ],
  );
  assert.deepEqual(open.gridPos, { h: 1, w: 24, x: 0, y: 1 });
  assert.deepEqual(c.gridPos, { h: 8, w: 24, x: 0, y: 2 });
  assert.deepEqual([closed.id, closed.panels[0]?.id, closed.panels[1]?.id, open.id, c.id], [1, 2, 3, 4, 5]);
});

test('ids are 1..n in reading order and the same on every build', () => {
  const definition = tritonDashboard();
  const first = definition.build();
  const ids = first.panels?.map((item) => item.id);
  assert.deepEqual(
    ids,
    Array.from({ length: ids?.length ?? 0 }, (_, index) => index + 1),
  );
  assert.deepEqual(definition.build(), first);
});

test('a panel wider than the grid or with no height is refused, naming the panel', () => {
  assert.throws(() => layout([{ panels: [panel('too wide', 25)] }]), /panel width 25 does not fit the 24-column grid/);
  assert.throws(() => layout([{ panels: [panel('flat', 6, 0)] }]), /height 0/);
  assert.throws(() => requestRate({ width: 30 }), /width 30 is outside 1-24/);
});

test('the presets fit the grid without overlaps', () => {
  for (const definition of [tritonDashboard(), batcherDashboard()]) {
    const panels = definition.build().panels ?? [];
    assertGrid(panels);
    assert.ok(panels.every((item) => item.type === 'row' || (item.gridPos?.w ?? 0) >= 6));
  }
});

test('one panel builder can be placed in two dashboards without sharing state', () => {
  const shared = batchSize();
  const a = dashboard({ uid: 'a', title: 'A', panels: [latency(), shared] }).build();
  const b = dashboard({ uid: 'b', title: 'B', panels: [shared] }).build();
  assert.deepEqual(a.panels?.[1]?.gridPos, { h: 8, w: 12, x: 12, y: 0 });
  assert.deepEqual(b.panels?.[0]?.gridPos, { h: 8, w: 12, x: 0, y: 0 });
  assert.equal(b.panels?.[0]?.id, 1);
});
