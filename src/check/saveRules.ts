/**
 * Grafana's save rules, checked on each built dashboard before anything is written.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { checkUid, gridColumns, isTitleAccepted, maximumTitleLength, minimumSchemaVersion } from '../../panels/limits.js';
import { allPanels } from '../dashboards/walk.js';
import { BuildError } from './errors.js';

/**
 * Grafana's save rules, checked before anything is written: a valid uid, no instance id, a
 * current schemaVersion, a title Grafana accepts, and positive, unique panel ids and
 * positions inside the grid.
 */
export function checkSaveRules(json: grafana.Dashboard, where: string): void {
  const fail = (message: string): never => {
    throw new BuildError(`${where}: ${message}`);
  };
  try {
    checkUid(json.uid ?? '');
  } catch (error) {
    fail((error as Error).message);
  }
  if (json.id !== undefined && json.id !== null) fail('has an id; provisioned dashboards are identified by uid only');
  if (!Number.isInteger(json.schemaVersion) || (json.schemaVersion as number) < minimumSchemaVersion) {
    fail(`schemaVersion ${json.schemaVersion} is older than ${minimumSchemaVersion}`);
  }
  if (!isTitleAccepted(json.title ?? '')) fail(`title must be 1-${maximumTitleLength} characters`);
  const ids = new Set<number>();
  // The panel's name is built only for a failure: this loop runs for every panel of a fleet.
  const failPanel = (panel: grafana.Panel, message: string) =>
    fail(`panel ${JSON.stringify((panel.title ?? '').slice(0, 80))}: ${message}`);
  for (const panel of allPanels(json)) {
    if ((panel.title ?? '').length > maximumTitleLength)
      failPanel(panel, `title is longer than ${maximumTitleLength} characters`);
    if (panel.id !== undefined) {
      if (!Number.isInteger(panel.id) || panel.id < 1) failPanel(panel, `id ${panel.id} is not a positive integer`);
      if (ids.has(panel.id)) failPanel(panel, `id ${panel.id} is used twice`);
      ids.add(panel.id);
    }
    const grid = panel.gridPos;
    if (grid && !(grid.w >= 1 && grid.h >= 1 && grid.x >= 0 && grid.y >= 0 && grid.x + grid.w <= gridColumns)) {
      failPanel(panel, `gridPos ${JSON.stringify(grid)} lies outside the ${gridColumns}-column grid`);
    }
  }
}
