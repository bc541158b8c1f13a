import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { checkPromql, parseExpression, substituteVariables } from '../src/check/promql.js';
import { variableName, variableReference } from '../queries/variables.js';

test('every form of Grafana variable is substituted at its own length; variables inside strings stay text', () => {
  const expr = 'rate(x{a="$b"}[$__rate_interval]) * $factor + [[old]] + ${fmt:csv} + y[${__range}:$step]';
  const substituted = substituteVariables(expr);
  assert.equal(substituted.length, expr.length);
  assert.equal(substituted, 'rate(x{a="$b"}[1m              ]) * 1       + 1       + 1          + y[1m        :1m   ]');
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

/** A syntax tree as a list of `Node@from-to`, to compare trees by value. */
function nodes(tree: Tree): string[] {
  const listed: string[] = [];
  const cursor = tree.cursor();
  do listed.push(`${cursor.name}@${cursor.from}-${cursor.to}`);
  while (cursor.next());
  return listed;
}

test('expressions that differ only in string text share one parse, read as a scan of every character reads them', () => {
  const model = (name: string) => `sum by(model) (rate(nv_inference_count{job=~"$job",model="${name}"}[$__rate_interval]))`;
  const corpus = [
    model('model-0001'),
    model('resnet'),
    'x{a="$model-1",b="pre$job",c="[[old]]x",d="[abc]"}',
    `x{a='it"s',b="it's",c=\`multi\nline $job\`}`,
    'x{a="$job"} + x{a="$jom"}',
    // What only the character scan reads: an escape, a comment, a ${...} format, a string that does not end.
    'x{a="a\\"b$job"}',
    `x # it's "a comment"\n+ y{a="$job"}`,
    'x{a="${v:regex}",b="$job"}',
    'x{a="abc} + y{b="$job"}',
    'x{a="a\nb"}',
  ];
  for (const expr of corpus) {
    const parsed = parseExpression(expr);
    assert.deepEqual(nodes(parsed.tree), nodes(parser.parse(substituteVariables(expr))), expr);
    assert.deepEqual(
      parsed.variables,
      [...expr.matchAll(variableReference)].map((match) => variableName(match[0])),
      expr,
    );
  }
  assert.equal(parseExpression(model('model-0002')).tree, parseExpression(model('model-0001')).tree, 'one parse for the fleet');
  assert.notEqual(parseExpression('x{a="$jom"}'), parseExpression('x{a="$job"}'), 'variables in strings are part of the shape');
});

test('a comment is not a string: its quotes leave the variables after it substituted', () => {
  assert.equal(checkPromql(`x # it's "quoted"\n+ rate(y[$__rate_interval])`), undefined);
  assert.deepEqual(checkPromql(`x # it's\n+ rate(y[$__rate_interval]) +`), {
    line: 2,
    column: 30,
    message: 'unexpected end of expression',
  });
});
