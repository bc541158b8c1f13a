import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPromql, substituteVariables } from '../src/validate.js';

test('every form of Grafana variable is substituted at its own length; variables inside strings stay text', () => {
  const expr = 'rate(x{a="$b"}[$__rate_interval]) * $factor + [[old]] + ${fmt:csv} + y[${__range}:$step]';
  const substituted = substituteVariables(expr);
  assert.equal(substituted.length, expr.length);
  assert.equal(
    substituted,
    'rate(x{a="$b"}[1m              ]) * 1       + 1       + 1          + y[1m        :1m   ]',
  );
  assert.equal(checkPromql(expr), undefined);
});

test('a syntax error is reported at its line and column in the original expression, past variables', () => {
  assert.deepEqual(checkPromql('sum by (model) (\n  rate(x{job=~"$job"}[$__rate_interval])) +'), {
    line: 2,
    column: 44,
    message: 'unexpected end of expression',
  });
});

test('expressions that differ only inside strings share a parse but not their escape check', () => {
  assert.equal(checkPromql('x{model="resnet"}'), undefined);
  assert.deepEqual(checkPromql('x{model="res\\qnet"}'), { line: 1, column: 13, message: 'invalid escape "\\q" in a string' });
  assert.equal(checkPromql('x{model="res\\\\net", a=`raw\\q`}'), undefined);
});
