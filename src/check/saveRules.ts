/**
 * Grafana's save rules, checked on each built dashboard before anything is written.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import {
  checkUid,
  gridColumns,
  isDatasourceUidAccepted,
  isTitleAccepted,
  maximumTitleLength,
  minimumSchemaVersion,
} from '../../panels/limits.js';
import { allPanels } from '../dashboards/walk.js';
import { BuildError, quoted } from './errors.js';

// eslint-disable-next-line no-control-regex -- control characters are what is refused
const controlCharacter = /[\u0000-\u001f\u007f]/;

/**
 * Grafana's save rules, checked before anything is written: a valid uid, no instance id, a
 * current schemaVersion, a title Grafana accepts, positive, unique panel ids and positions
 * inside the grid, and datasource uids Grafana accepts.
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
  if (controlCharacter.test(json.title ?? '')) fail('title holds a control character');
  const names = new Set<string>();
  for (const variable of json.templating?.list ?? []) {
    const name = variable.name ?? '';
    // Grafana defines $__interval, $__range and the rest: a variable of that name never reaches a query.
    if (name.startsWith('__')) fail(`variable ${JSON.stringify(name)}: names starting with __ are Grafana's built-in variables`);
    if (!/^\w+$/.test(name)) fail(`variable ${quoted(name)}: a name queries can reference is letters, digits and _`);
    if (/^\d+$/.test(name))
      fail(`variable ${JSON.stringify(name)}: a name of digits only reads as label_replace's "$1" in every query`);
    if (names.has(name)) fail(`variable ${JSON.stringify(name)} is defined twice`);
    names.add(name);
  }
  const ids = new Set<number>();
  // The panel's name is built only for a failure: this loop runs for every panel of a fleet.
  const failPanel = (panel: grafana.Panel, message: string) => fail(`panel ${quoted(panel.title ?? '')}: ${message}`);
  for (const panel of allPanels(json)) {
    if (controlCharacter.test(panel.title ?? '')) failPanel(panel, 'title holds a control character');
    if ((panel.title ?? '').length > maximumTitleLength)
      failPanel(panel, `title is longer than ${maximumTitleLength} characters`);
    if (panel.id !== undefined) {
      if (!Number.isInteger(panel.id) || panel.id < 1) failPanel(panel, `id ${panel.id} is not a positive integer`);
      if (ids.has(panel.id)) failPanel(panel, `id ${panel.id} is used twice`);
      ids.add(panel.id);
    }
    const references = [
      panel.datasource,
      ...((panel.targets ?? []) as { datasource?: grafana.DataSourceRef }[]).map((target) => target.datasource),
    ];
    for (const reference of references) {
      const uid = reference?.uid;
      if (typeof uid === 'string' && !isDatasourceUidAccepted(uid))
        failPanel(
          panel,
          `datasource uid ${quoted(uid)} must be 1-40 characters of a-z, A-Z, 0-9, - and _, or a variable such as \${datasource}`,
        );
    }
    const grid = panel.gridPos;
    if (grid && ![grid.x, grid.y, grid.w, grid.h].every((value) => value === undefined || Number.isInteger(value))) {
      failPanel(panel, `gridPos ${JSON.stringify(grid)} is not in whole grid cells`);
    }
    if (grid && !(grid.w >= 1 && grid.h >= 1 && grid.x >= 0 && grid.y >= 0 && grid.x + grid.w <= gridColumns)) {
      failPanel(panel, `gridPos ${JSON.stringify(grid)} lies outside the ${gridColumns}-column grid`);
    }
  }
}
