/**
 * Property: any label value a user filters by (quotes, backslashes, newlines, any unicode)
 * gives PromQL that parses and, on a real Prometheus, selects exactly the intended series.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { expandVariables, queries, tritonDashboard } from '../src/index.js';
import { checkPromql } from '../src/check/promql.js';
import { hasVariableReference } from '../queries/variables.js';
import { testOnEngines } from './support/engines.js';
import { counter, evaluate, type Case, type InputSeries } from './support/promtool.js';

/** Values Grafana would substitute in, quoted or not, and their near neighbours. */
const grafanaSyntax = [
  'cost$model',
  'costly',
  'price$usd',
  '${model}',
  '${model:regex}',
  '[[model]]',
  'a$__range',
  '$',
  'x$1',
  '.*',
  'a|b',
  'a\nb',
];

const labelValue = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  fc.string({
    unit: fc.constantFrom('"', '\\', '\n', '\t', '}', '{', ',', '=', '~', '$', '`', "'", 'a', '模', '🚀', '\u0000'),
    minLength: 1,
    maxLength: 8,
  }),
  fc.constantFrom(...grafanaSyntax),
);

testOnEngines(
  'random and Grafana-syntax model names select exactly their own series on Prometheus, after Grafana substitutes the variables',
  (engine) => {
    const sampled =
      fc.sample(fc.uniqueArray(labelValue, { minLength: 40, maxLength: 40 }), { numRuns: 1, seed: 20261122 })[0] ?? [];
    const models = [...new Set([...sampled, ...grafanaSyntax])];
    assert.equal(sampled.length, 40);
    const variables = tritonDashboard().build();
    // Model i serves i + 1 requests per second, so a wrong match shows up as a wrong number.
    const series: InputSeries[] = models.map((model, index) =>
      counter('nv_inference_request_success', { job: 'triton', instance: 'a', model }, index + 1),
    );
    const cases: Case[] = models.map((model, index) => {
      // With the $job/$instance/$model matchers at All, substituted as Grafana does: the All value
      // matches a newline on both engines, and a value like `cost$model` stays that value.
      const { expr } = queries.requestRate({ groupBy: ['model'], filters: [{ label: 'model', value: model }] });
      assert.equal(checkPromql(expr), undefined, `does not parse: ${expr}`);
      // As Grafana sends it: every variable at All, `$__rate_interval` 4 scrapes.
      const sent = expandVariables(expr, variables, { rateInterval: '1m', range: '10m' });
      return { name: JSON.stringify(model), expr: sent, expected: [{ labels: { model }, value: index + 1 }] };
    });
    const { status, output } = evaluate(engine, series, cases);
    assert.equal(status, 0, output);
  },
);

test('any filter value yields PromQL the official parser accepts', () => {
  fc.assert(
    fc.property(labelValue, fc.constantFrom('=', '!=') as fc.Arbitrary<'=' | '!='>, (value, operator) => {
      const { expr } = queries.averageBatchSize({ filters: [{ label: 'instance', operator, value }] });
      const literal = hasVariableReference(value)
        ? `instance${operator === '=' ? '=~' : '!~'}"`
        : `instance${operator}${JSON.stringify(value)}`;
      return checkPromql(expr) === undefined && expr.includes(literal);
    }),
    { numRuns: 500, seed: 42 },
  );
});
