/**
 * Prometheus alerting rules as typed values, and the rule-file YAML Prometheus loads.
 */
import type { Builder, Expr } from '@grafana/promql-builder';
import { stringify } from 'yaml';
import { promql } from '../queries/commonjs.js';
import { isDuration } from '../queries/index.js';
import { templateProblem } from './template.js';
import { checkOptions } from '../queries/options.js';

export type Severity = 'critical' | 'warning' | 'info';

/** One alerting rule, in Prometheus's rule-file shape. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>> & { readonly severity: Severity };
  readonly annotations: Readonly<Record<string, string>> & { readonly summary: string; readonly description: string };
}

/** One recording rule: `record` is the name of the series `expr` writes. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** A named group of rules: one group per file in `prometheus/rules/`. */
export interface RuleGroup {
  readonly name: string;
  /** Evaluation interval. Default: Prometheus's global one. */
  readonly interval?: string;
  readonly rules: readonly (AlertRule | RecordingRule)[];
}

/** What {@link alertRule} takes. */
export interface AlertSpec {
  /** CamelCase alert name. */
  readonly name: string;
  /** The condition, built from `queries/` with the PromQL builder. */
  readonly expression: Builder<Expr>;
  /** How long the condition must hold. Default: fire at once. */
  readonly for?: string;
  readonly severity: Severity;
  /** One line; may use `{{ $labels.model }}`. */
  readonly summary: string;
  /** May use `{{ $labels.x }}` and `{{ $value }}` with Prometheus's template functions. */
  readonly description: string;
  readonly runbookUrl?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

const namePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Builds an alerting rule, checking its name and duration. */
export function alertRule(spec: AlertSpec): AlertRule {
  checkOptions('alertRule', spec);
  if (!namePattern.test(spec.name)) throw new Error(`alert name ${JSON.stringify(spec.name)} must match ${namePattern}`);
  for (const [field, text] of Object.entries({ summary: spec.summary, description: spec.description, ...spec.labels })) {
    const problem = templateProblem(text);
    if (problem) throw new Error(`alert ${spec.name}: ${field}: not a template Prometheus parses: ${problem}`);
  }
  if (spec.for !== undefined && !isDuration(spec.for))
    throw new Error(`alert ${spec.name}: for ${JSON.stringify(spec.for)} is not a duration`);
  return {
    alert: spec.name,
    expr: promql.toString(spec.expression.build()),
    ...(spec.for ? { for: spec.for } : {}),
    labels: { ...spec.labels, severity: spec.severity },
    annotations: {
      summary: spec.summary,
      description: spec.description,
      ...(spec.runbookUrl ? { runbook_url: spec.runbookUrl } : {}),
    },
  };
}

/** The YAML of a Prometheus rule file holding `groups`. */
export function ruleFile(groups: readonly RuleGroup[]): string {
  return stringify(
    {
      groups: groups.map((group) => ({
        name: group.name,
        ...(group.interval ? { interval: group.interval } : {}),
        rules: group.rules,
      })),
    },
    { lineWidth: 0 },
  );
}
