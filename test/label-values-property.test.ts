/**
 * Property: any label value a user filters by (quotes, backslashes, newlines, any unicode)
 * gives PromQL that parses and, on a real Prometheus, selects exactly the intended series.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { queries } from '../src/index.js';
import { checkPromql } from '../src/validate.js';
import { counter, evaluate, type Case, type InputSeries } from './support/promtool.js';

const labelValue = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\t', '}', '{', ',', '=', '~', '$', '`', "'", 'a', '模', '🚀', '\u0000'), minLength: 1, maxLength: 8 }),
);

test('random model names filter to exactly their own series on Prometheus', () => {
  const models = fc.sample(fc.uniqueArray(labelValue, { minLength: 40, maxLength: 40 }), { numRuns: 1, seed: 20261122 })[0] ?? [];
  assert.equal(models.length, 40);
  // Model i serves i + 1 requests per second, so a wrong match shows up as a wrong number.
  const series: InputSeries[] = models.map((model, index) =>
    counter('nv_inference_request_success', { job: 'triton', instance: 'a', model }, index + 1),
  );
  const cases: Case[] = models.map((model, index) => {
    // Without the $job/$instance/$model matchers: their "All" value `.*` does not match a newline
    // on Prometheus 2.x, which is a property of regex matchers, not of the escaping tested here.
    const { expr } = queries.requestRate({ groupBy: ['model'], templateVariables: false, filters: [{ label: 'model', value: model }] });
    assert.equal(checkPromql(expr), undefined, `does not parse: ${expr}`);
    return { name: JSON.stringify(model), expr, expected: [{ labels: { model }, value: index + 1 }] };
  });
  const { status, output } = evaluate(series, cases);
  assert.equal(status, 0, output);
});

test('any filter value yields PromQL the official parser accepts', () => {
  fc.assert(
    fc.property(labelValue, fc.constantFrom('=', '!=') as fc.Arbitrary<'=' | '!='>, (value, operator) => {
      const { expr } = queries.averageBatchSize({ filters: [{ label: 'instance', operator, value }] });
      return checkPromql(expr) === undefined && expr.includes(`instance${operator}${JSON.stringify(value)}`);
    }),
    { numRuns: 500, seed: 42 },
  );
});
