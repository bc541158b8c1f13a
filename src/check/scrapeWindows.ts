/**
 * Fixed windows against the scrape interval: a rate or count over fewer than two scrapes, or a
 * panel min interval that short, often holds one sample and reads nothing. Each message says how
 * to build it for that interval.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import type { RuleGroup } from '../../alerts/index.js';
import { checkWindow } from '../../queries/index.js';
import { allPanels, promqlTargets } from '../dashboards/walk.js';
import { BuildError, quoted } from './errors.js';
import { expressionFacts } from './expressionFacts.js';

const literalRange = /\[\d/;

/** Throws a {@link BuildError} where `window` holds fewer than two scrapes, with `hint` on how to fix it. */
function checkScrapeWindow(window: string, scrapeInterval: string, where: string, hint = ''): void {
  try {
    checkWindow(window, scrapeInterval, where);
  } catch (error) {
    throw new BuildError(`${(error as Error).message}${hint}`);
  }
}

/** Every fixed rate or count window of `expr` holds two scrapes. */
function checkExpressionWindows(expr: string, scrapeInterval: string, where: string, hint = ''): void {
  if (!literalRange.test(expr)) return;
  for (const use of expressionFacts(expr).selectors) {
    if (use.range !== undefined && !use.range.startsWith('$'))
      checkScrapeWindow(use.range, scrapeInterval, `${where}: ${use.metric}[${use.range}]`, hint);
  }
}

/** Every fixed window of a dashboard (targets, panels' min interval) holds two scrapes. */
export function checkDashboardWindows(json: grafana.Dashboard, where: string, scrapeInterval: string): void {
  for (const panel of allPanels(json)) {
    const name = `${where}: panel ${quoted(panel.title ?? '')}`;
    const interval = (panel as { interval?: unknown }).interval;
    if (typeof interval === 'string' && /^\d/.test(interval)) {
      checkScrapeWindow(
        interval,
        scrapeInterval,
        `${name}: min interval`,
        `; build the panel (or preset) with scrapeInterval: '${scrapeInterval}'`,
      );
    }
    for (const target of promqlTargets<{ refId?: string; expr?: unknown }>(panel)) {
      if (typeof target.expr === 'string')
        checkExpressionWindows(target.expr, scrapeInterval, `${name} target ${target.refId ?? '?'}`);
    }
  }
}

/** Every fixed window of a rule group's rules holds two scrapes. */
export function checkRuleWindows(group: RuleGroup, where: string, scrapeInterval: string): void {
  for (const rule of group.rules) {
    const recorded = 'record' in rule;
    const name = recorded ? `record ${JSON.stringify(rule.record)}` : `alert ${JSON.stringify(rule.alert)}`;
    const hint =
      recorded && /:rate\w+$/.test(rule.record) ? `; build recordingRules() with scrapeInterval: '${scrapeInterval}'` : '';
    checkExpressionWindows(rule.expr, scrapeInterval, `${where}: ${name}`, hint);
  }
}
