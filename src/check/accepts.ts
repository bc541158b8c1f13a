/**
 * What Prometheus refuses in an expression that parses: regex matchers that are not RE2, range
 * windows that are not positive durations with their units in order, a `topk`/`bottomk`
 * count past int64, and values of the wrong type (a range vector outside rate(), a string in arithmetic). A value holding a Grafana variable is Grafana's to fill in, so it is left.
 */
import { hasVariableReference, isPositiveDuration, regexProblem } from '../../queries/index.js';
import { expressionFacts, typeProblem } from './expressionFacts.js';

// `topk(1e21, ...)`: the count is the first argument, a number literal.
const rankCount = /\b(?:topk|bottomk|limitk)\s*(?:(?:by|without)\s*\([^)]*\)\s*)?\(\s*([-+]?[0-9][0-9.eE+-]*)\s*,/g;

// Only these need the syntax tree: a regex matcher whose value is not just a variable, a fixed range.
const needsFacts = /[=!]~\s*(["'`])(?!\$\{?[A-Za-z_]\w*\}?\1)|\[\s*\d/;

/** The first thing of `expr` Prometheus would refuse, as `what: why`; `undefined` if none. */
export function acceptanceProblem(expr: string): string | undefined {
  const mistyped = typeProblem(expr);
  if (mistyped) return mistyped;
  for (const { metric, matchers, range } of needsFacts.test(expr) ? expressionFacts(expr).selectors : []) {
    if (range !== undefined && !range.startsWith('$') && !isPositiveDuration(range)) {
      return `${metric}[${range}]: a range must be a positive duration, units largest first (5m, 1h30m)`;
    }
    for (const { label, operator, value } of matchers) {
      if ((operator !== '=~' && operator !== '!~') || hasVariableReference(value)) continue;
      const problem = regexProblem(value);
      if (problem) return `${label}${operator}${JSON.stringify(value)} is not a regex Prometheus accepts (RE2): ${problem}`;
    }
  }
  for (const [, count] of expr.matchAll(rankCount)) {
    // Prometheus converts the count to an int64: beyond 2^63 it refuses the query.
    const value = Number(count);
    if (!Number.isFinite(value) || Math.abs(value) > 2 ** 63)
      return `topk/bottomk count ${count} overflows the int64 Prometheus converts it to`;
  }
  return undefined;
}
