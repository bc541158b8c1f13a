/**
 * The checks of a Prometheus rule group before its file is written: everything Prometheus
 * refuses when it loads a rule file, so that a build never writes one it would reject.
 */
import type { RuleGroup } from '../../alerts/index.js';
import { templateProblem } from '../../alerts/index.js';
import { hasVariableReference, isDuration } from '../../queries/index.js';
import { BuildError } from './errors.js';
import { checkPromql } from './promql.js';
import { acceptanceProblem } from './accepts.js';

const groupNamePattern = /^[A-Za-z0-9_.-]{1,100}$/;
const ruleNamePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
// Prometheus 2 allows only these; 3 allows any UTF-8 name, so both take only these.
const labelNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// What rulefmt decodes; any other field fails the whole file in Prometheus.
const ruleFields = {
  alert: ['alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'],
  record: ['record', 'expr', 'labels'],
} as const;
const groupFields = ['name', 'interval', 'rules'];

/** Throws a {@link BuildError} naming the group, the rule and the field of the first problem. */
export function checkRuleGroup(group: RuleGroup, where: string): void {
  if (!groupNamePattern.test(group.name))
    throw new BuildError(`${where}: the name must be 1-100 characters of A-Z a-z 0-9 _ . -`);
  const unknownGroupField = Object.keys(group).find((field) => !groupFields.includes(field));
  if (unknownGroupField !== undefined)
    throw new BuildError(
      `${where}: field ${JSON.stringify(unknownGroupField)} is not one a rule group takes here (${groupFields.join(', ')})`,
    );
  if (group.interval !== undefined && !isDuration(group.interval)) {
    throw new BuildError(`${where}: interval ${JSON.stringify(group.interval)} is not a Prometheus duration such as 1m`);
  }
  for (const rule of group.rules) {
    const name = 'alert' in rule ? `alert ${JSON.stringify(rule.alert)}` : `record ${JSON.stringify(rule.record)}`;
    const fail = (message: string): never => {
      throw new BuildError(`${where}: ${name}: ${message}`);
    };
    const kind = 'alert' in rule ? 'alert' : 'record';
    const unknownField = Object.keys(rule).find((field) => !(ruleFields[kind] as readonly string[]).includes(field));
    if (unknownField !== undefined)
      fail(
        `field ${JSON.stringify(unknownField)} is not one Prometheus takes in ${kind === 'alert' ? 'an alerting' : 'a recording'} rule (${ruleFields[kind].join(', ')})`,
      );
    for (const field of kind === 'alert' ? (['labels', 'annotations'] as const) : (['labels'] as const)) {
      const names = Object.keys((rule as { labels?: object; annotations?: object })[field] ?? {});
      const invalid = names.find((label) => !labelNamePattern.test(label) || label === '__name__');
      if (invalid !== undefined)
        fail(
          `${field}: ${JSON.stringify(invalid)} is not a name Prometheus takes (a-z, A-Z, 0-9 and _, not starting with a digit; not __name__)`,
        );
    }
    const error = checkPromql(rule.expr);
    if (error) fail(`PromQL syntax error at line ${error.line}, column ${error.column}: ${error.message}`);
    // Prometheus evaluates rules itself: nothing fills in $__rate_interval or $model there.
    if (hasVariableReference(rule.expr))
      fail('uses a Grafana variable; a rule needs a fixed window and filters (e.g. [5m], job="triton")');
    const refused = acceptanceProblem(rule.expr);
    if (refused) fail(refused);
    if ('record' in rule && !ruleNamePattern.test(rule.record))
      fail('the recorded name must be a metric name (a-z, A-Z, 0-9, _ and :)');
    if ('alert' in rule) {
      for (const [field, value] of [
        ['for', rule.for],
        ['keep_firing_for', (rule as { keep_firing_for?: string }).keep_firing_for],
      ]) {
        if (value !== undefined && !isDuration(value))
          fail(`${field} ${JSON.stringify(value)} is not a Prometheus duration such as 5m`);
      }
      for (const [field, text] of [...Object.entries(rule.annotations ?? {}), ...Object.entries(rule.labels ?? {})]) {
        const problem = templateProblem(text);
        if (problem) fail(`${field}: not a template Prometheus parses: ${problem}`);
      }
    }
  }
}
