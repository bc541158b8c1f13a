/**
 * The cases of a dashboard's evaluation test: one per target, keyed `panel title / refId`, with
 * the numbers a user would read.
 */
import assert from 'node:assert/strict';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { allPanels } from '../../src/dashboards/walk.js';
import type { Case, Sample } from './promtool.js';

/** Expected samples by `panel title / refId`. */
export type Expected = Record<string, readonly Sample[]>;

/** A case for every target of `json`; a target without expected numbers, or numbers for no target, fails. */
export function dashboardCases(json: grafana.Dashboard, expected: Expected): Case[] {
  const cases: Case[] = [];
  const unused = new Set(Object.keys(expected));
  for (const panel of allPanels(json)) {
    for (const target of (panel.targets ?? []) as unknown as { refId: string; expr: string }[]) {
      const name = `${panel.title} / ${target.refId}`;
      const samples = expected[name];
      assert.ok(samples, `no expected numbers for shipped query "${name}": ${target.expr}`);
      unused.delete(name);
      cases.push({ name, expr: target.expr, expected: samples });
    }
  }
  assert.deepEqual([...unused], [], 'expectations for queries the dashboard does not ship');
  return cases;
}
