/**
 * Automatic layout on Grafana's 24-column grid: panels flow left to right in their row and
 * wrap when the next one would not fit, so nothing overflows or overlaps.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { gridColumns } from '../../panels/limits.js';

/** A group of panels, under a row header unless `row` is absent. */
export interface Section {
  readonly row?: { readonly title: string; readonly collapsed: boolean };
  readonly panels: readonly grafana.Panel[];
}

/** Raised when a panel cannot be placed; names the panel. */
export class LayoutError extends Error {
  constructor(
    readonly panelTitle: string,
    message: string,
  ) {
    super(message);
    this.name = 'LayoutError';
  }
}

function sizeOf(panel: grafana.Panel): { w: number; h: number } {
  const w = panel.gridPos?.w ?? 12;
  const h = panel.gridPos?.h ?? 8;
  const title = panel.title ?? '';
  if (!Number.isInteger(w) || w < 1 || w > gridColumns) {
    throw new LayoutError(title, `panel width ${w} does not fit the ${gridColumns}-column grid`);
  }
  if (!Number.isInteger(h) || h < 1) throw new LayoutError(title, `panel height ${h} is not a positive whole number`);
  return { w, h };
}

/** Places `panels` from line `top`; returns the placed copies and the line below them. */
function flow(panels: readonly grafana.Panel[], top: number, nextId: () => number): { placed: grafana.Panel[]; bottom: number } {
  let x = 0;
  let y = top;
  let bottom = top;
  const placed = panels.map((panel) => {
    const { w, h } = sizeOf(panel);
    if (x + w > gridColumns) {
      x = 0;
      y = bottom;
    }
    const result = { ...panel, id: nextId(), gridPos: { h, w, x, y } };
    x += w;
    bottom = Math.max(bottom, y + h);
    return result;
  });
  return { placed, bottom };
}

/**
 * Lays out sections top to bottom and numbers every panel 1, 2, 3... in reading order
 * (row headers included), so ids are stable across builds. A collapsed row keeps its panels
 * inside it, laid out as they will open below the header.
 */
export function layout(sections: readonly Section[]): (grafana.Panel | grafana.RowPanel)[] {
  let id = 0;
  const nextId = () => ++id;
  let y = 0;
  const result: (grafana.Panel | grafana.RowPanel)[] = [];
  for (const section of sections) {
    if (section.row) {
      const row: grafana.RowPanel = {
        type: 'row',
        id: nextId(),
        title: section.row.title,
        collapsed: section.row.collapsed,
        gridPos: { h: 1, w: gridColumns, x: 0, y },
        panels: [],
      };
      result.push(row);
      y += 1;
      const { placed, bottom } = flow(section.panels, y, nextId);
      if (section.row.collapsed) {
        row.panels = placed;
      } else {
        result.push(...placed);
        y = bottom;
      }
    } else {
      const { placed, bottom } = flow(section.panels, y, nextId);
      result.push(...placed);
      y = bottom;
    }
  }
  return result;
}
