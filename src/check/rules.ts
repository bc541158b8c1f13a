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

/** Throws a {@link BuildError} naming the group, the rule and the field of the first problem. */
export function checkRuleGroup(group: RuleGroup, where: string): void {
  if (!groupNamePattern.test(group.name))
    throw new BuildError(`${where}: the name must be 1-100 characters of A-Z a-z 0-9 _ . -`);
  if (group.interval !== undefined && !isDuration(group.interval)) {
    throw new BuildError(`${where}: interval ${JSON.stringify(group.interval)} is not a Prometheus duration such as 1m`);
  }
  for (const rule of group.rules) {
    const name = 'alert' in rule ? `alert ${JSON.stringify(rule.alert)}` : `record ${JSON.stringify(rule.record)}`;
    const fail = (message: string): never => {
      throw new BuildError(`${where}: ${name}: ${message}`);
    };
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
      if (rule.for !== undefined && !isDuration(rule.for))
        fail(`for ${JSON.stringify(rule.for)} is not a Prometheus duration such as 5m`);
      for (const [field, text] of [...Object.entries(rule.annotations ?? {}), ...Object.entries(rule.labels ?? {})]) {
        const problem = templateProblem(text);
        if (problem) fail(`${field}: not a template Prometheus parses: ${problem}`);
      }
    }
  }
}
