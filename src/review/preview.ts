/**
 * A layout preview: one SVG per dashboard showing Grafana's 24-column grid, rows, and each
 * panel's title and type where Grafana will place it, for PR comments and READMEs.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';

/** Pixels of one grid column and one grid row unit, and of the title band. */
export const previewScale = { column: 40, row: 30, header: 40, gap: 4 } as const;

/** Fill colour per panel type; anything else is grey. */
export const previewColours: Readonly<Record<string, string>> = {
  timeseries: '#3274d9',
  stat: '#37872d',
  gauge: '#e0752d',
  table: '#8f3bb8',
  heatmap: '#c4162a',
  row: '#22252b',
};
const otherColour = '#6e7079';

const escapeXml = (text: string) =>
  text.replace(/[<>&"']/g, (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char] ?? char);

/** Cuts `text` to what fits `width` pixels at about 7 px per character. */
function fit(text: string, width: number): string {
  const room = Math.max(1, Math.floor(width / 7));
  return text.length <= room ? text : `${text.slice(0, Math.max(0, room - 1))}…`;
}

/** The SVG of a dashboard's layout. Deterministic: same JSON, same bytes. */
export function previewSvg(json: grafana.Dashboard): string {
  const { column, row, header, gap } = previewScale;
  // A collapsed row is drawn closed, as Grafana opens the dashboard: its panels are not on the grid until it opens.
  const panels = (json.panels ?? []) as grafana.Panel[];
  const bottom = Math.max(1, ...panels.map((panel) => (panel.gridPos?.y ?? 0) + (panel.gridPos?.h ?? 0)));
  const width = 24 * column;
  const height = header + bottom * row;
  const shapes = panels.map((panel) => {
    const grid = panel.gridPos ?? { x: 0, y: 0, w: 24, h: 1 };
    const x = grid.x * column + gap / 2;
    const y = header + grid.y * row + gap / 2;
    const w = grid.w * column - gap;
    const h = grid.h * row - gap;
    const fill = previewColours[panel.type] ?? otherColour;
    const inside = (panel as { panels?: unknown[] }).panels?.length ?? 0;
    const collapsed = panel.type === 'row' && (panel as { collapsed?: boolean }).collapsed === true;
    // A closed row says what it holds: `▸ GPU (2 panels)`.
    const text = collapsed ? `▸ ${panel.title ?? ''} (${inside} panel${inside === 1 ? '' : 's'})` : (panel.title ?? '');
    const title = escapeXml(fit(text, w - 12));
    const label =
      panel.type === 'row' ? '' : `\n    <text x="${x + 6}" y="${y + 34}" class="type">${escapeXml(panel.type)}</text>`;
    const state = collapsed ? ' data-collapsed="true"' : '';
    return (
      `  <g data-type="${escapeXml(panel.type)}" data-grid="${grid.x},${grid.y},${grid.w},${grid.h}"${state}>\n` +
      `    <rect x="${x}" y="${y}" width="${w}" height="${h}" rx="3" fill="${fill}"/>\n` +
      `    <text x="${x + 6}" y="${y + Math.min(18, h - 6)}" class="title">${title}</text>${label}\n` +
      '  </g>'
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    '  <style>text { font-family: sans-serif; fill: #ffffff; } .title { font-size: 13px; font-weight: bold; } .type { font-size: 11px; opacity: 0.8; } .dashboard { font-size: 18px; fill: #d8d9da; }</style>',
    `  <rect width="${width}" height="${height}" fill="#111217"/>`,
    `  <text x="8" y="26" class="dashboard">${escapeXml(fit(json.title ?? '', width - 16))}</text>`,
    ...shapes,
    '</svg>',
    '',
  ].join('\n');
}
