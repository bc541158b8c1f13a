/**
 * Everything checked of one built dashboard before anything is written: Grafana's save rules,
 * the schema, PromQL, LogQL and TraceQL syntax and the lint rules, run as each dashboard is built so that the
 * checks share one scan and parse of each expression.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import type { LintConfig } from '../dashboards/lintConfig.js';
import { formatFinding, lintDashboard, type MetricKinds } from './lint.js';
import { schemaProblem } from './schema.js';
import { BuildError, quoted } from './errors.js';
import { validatePromql } from './promql.js';
import { validateLogsAndTraces } from './logql.js';
import { acceptanceProblem } from './accepts.js';
import { checkSaveRules } from './saveRules.js';
import { allPanels, promqlTargets } from '../dashboards/walk.js';

/** What the checks found in one dashboard. */
export interface DashboardVerdict {
  /** The first problem that stops the build: `where: ...`. */
  readonly error?: string;
  /** Every lint finding the config does not disable: `where: panel "Title" target A: [rule] ...`. */
  readonly findings: readonly string[];
}

/** Throws a {@link BuildError} for the first target Prometheus would refuse though it parses. */
function checkAcceptance(json: grafana.Dashboard, where: string): void {
  for (const panel of allPanels(json)) {
    for (const target of promqlTargets<{ refId?: string; expr?: unknown }>(panel)) {
      const problem = typeof target.expr === 'string' ? acceptanceProblem(target.expr) : undefined;
      if (problem) throw new BuildError(`${where}: panel ${quoted(panel.title ?? '')} target ${target.refId ?? '?'}: ${problem}`);
    }
  }
}

/**
 * Checks one dashboard; `where` (`file: dashboard "Title" (uid)`) starts every message. `kinds`
 * tells lint the metrics' kinds and the series the build's rules record.
 */
export function checkDashboard(json: grafana.Dashboard, where: string, lint?: LintConfig, kinds?: MetricKinds): DashboardVerdict {
  try {
    checkSaveRules(json, where);
    const problem = schemaProblem(json);
    if (problem) return { error: `${where}: ${problem}`, findings: [] };
    validatePromql(json, where);
    validateLogsAndTraces(json, where);
    checkAcceptance(json, where);
  } catch (error) {
    if (error instanceof BuildError) return { error: error.message, findings: [] };
    throw error;
  }
  try {
    return { findings: lintDashboard(json, lint, kinds).map((finding) => `${where}: ${formatFinding(finding)}`) };
  } catch (error) {
    // An unknown rule name in the dashboard's lint config.
    return { findings: [`${where}: ${(error as Error).message}`] };
  }
}
