/**
 * Walking built dashboard JSON: every check, the diff and the preview read panels through it.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';

/** Every panel, including those inside collapsed rows. */
export function allPanels(json: grafana.Dashboard): grafana.Panel[] {
  // A loop, not flatMap: every check walks every dashboard's panels, a fleet build 6,000 times.
  const panels: grafana.Panel[] = [];
  for (const panel of json.panels ?? []) {
    panels.push(panel as grafana.Panel);
    if (panel.type === 'row') panels.push(...((panel as grafana.RowPanel).panels ?? []));
  }
  return panels;
}
