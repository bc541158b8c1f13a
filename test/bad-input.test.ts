/**
 * The corpus of broken inputs in test/bad-input/: each fails with exit 1 and one line per
 * problem naming the file (and the dashboard and panel wherever they exist yet), and leaves
 * the previous output tree byte-identical.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listFiles } from '../src/build/output.js';
import { everyFile } from './support/outputTree.js';

const root = new URL('..', import.meta.url).pathname;

/** What follows "build-dashboards: test/bad-input/<file>" in the error. */
const expected: Record<string, RegExp> = {
  'alert-broken-template.ts':
    /^: rule group "template": alert "QueueTooLong": description: not a template Prometheus parses: unclosed action$/,
  'alert-for-units-out-of-order.ts':
    /^: rule group "for-order": alert "QueueTooLong": for "30s5m" is not a Prometheus duration such as 5m$/,
  'alert-grafana-variable.ts':
    /^: rule group "grafana-variable": alert "HighErrorRate": uses a Grafana variable; a rule needs a fixed window and filters/,
  'filter-regex-not-re2.ts':
    /^: cannot load module: panel "Request rate": filter model=~"\(\?<=resnet\)50" is not a regex Prometheus accepts \(RE2\)/,
  'promql-regex-class-range.ts':
    /^: dashboard "Class range" \(class-range\): panel "Hand-written regex" target A: model=~"\[z-a\]" is not a regex Prometheus accepts \(RE2\): error parsing regexp: invalid character class range$/,
  'topseries-overflow.ts':
    /^: cannot load module: panel "Request rate": topSeries must be a whole number of series, 0 for all; got 1e\+21$/,
  'window-zero.ts': /^: cannot load module: panel "Request rate": invalid range "0s": use a positive duration/,
  'json-fractional-gridpos.ts':
    /^: dashboard "Fraction" \(fraction\): panel "Half": gridPos \{"x":0,"y":0,"w":6\.5,"h":4\} is not in whole grid cells$/,
  'title-control-character.ts': /^: dashboard "Bell" \(bell\): panel "Request\\u0007 rate": title holds a control character$/,
  'variable-duplicate-name.ts': /^: dashboard "Twice" \(twice\): variable "model" is defined twice$/,
  'variable-builtin-name.ts':
    /^: dashboard "Builtin" \(builtin\): variable "__interval": names starting with __ are Grafana's built-in variables$/,
  'alert-bad-expression.ts':
    /^: rule group "hand-written": alert "QueueTooLong": PromQL syntax error at line 1, column 59: unexpected end of expression$/,
  'alert-duplicate-group.ts':
    /^ \[1\]: rule group "inference": the name is already used by test\/bad-input\/alert-duplicate-group.ts \[0\]/,
  'alert-group-name-path.ts': /^: rule group "\.\.\/\.\.\/etc\/passwd": the name must be 1-100 characters/,
  'builder-throws.ts': /^: building the dashboard failed: database unavailable$/,
  'default-null.ts': /^: default export is not a dashboard, a dashboard builder, a rule group, or an array of them$/,
  'duplicate-title-in-folder.ts':
    /^ \[1\]: dashboard "Triton Inference Server" \(other\): title "Triton Inference Server" is already used in this folder/,
  'duplicate-uid.ts': /^ \[1\]: dashboard "Inference API - Dynamic Batcher" \(same\): uid "same" is already used by/,
  'empty-array.ts': /^: default export is an empty array$/,
  'folder-dot-dot.ts': /^: dashboard "Triton Inference Server" \(triton-inference\): folder "\.\." must be/,
  'folder-empty.ts': /^: dashboard "Triton Inference Server" \(triton-inference\): folder "" must be/,
  'folder-escape.ts': /^: dashboard "Triton Inference Server" \(triton-inference\): folder "\.\.\/outside" must be/,
  'folder-slash.ts': /^: dashboard "Triton Inference Server" \(triton-inference\): folder "team\/inference" must be/,
  'json-duplicate-panel-ids.ts': /^: dashboard "Ids" \(ids\): panel "Two": id 1 is used twice$/,
  'json-old-schema-version.ts': /^: dashboard "Old" \(old\): schemaVersion 16 is older than 39$/,
  'json-panel-outside-grid.ts': /^: dashboard "Grid" \(grid\): panel "Off the edge": gridPos .* lies outside the 24-column grid$/,
  'label-name-invalid.ts': /^: cannot load module: panel "Request rate": invalid label name "model-name"$/,
  'label-value-lone-surrogate.ts': /^: cannot load module: panel "Request rate": label value "bad\\ud800" is not valid UTF-8$/,
  'lint-average-of-counter.ts':
    /^: dashboard "Bad PromQL" \(bad-promql\): panel "Seed 001 latency" target A: \[counter-rate\] counter nv_inference_request_duration_us is read through avg\(\)/,
  'lint-seed-queries.ts': /^: dashboard "Seed queries" \(seed-queries\): panel "P95 latency" target A: \[job-instance-matchers\]/,
  'lint-log-every-stream.ts':
    /^: dashboard "Every stream" \(every-stream\): panel "All the logs" target A: \[log-stream-selector\] the stream selector narrows no stream: Loki would read every stream$/,
  'lint-log-unknown-field.ts':
    /^: dashboard "Unknown field" \(unknown-field\): panel "Slow lines" target A: \[log-json-fields\] "latency" is not a field of the request log format after \| json; did you mean latency_ms\?$/,
  'logql-syntax.ts':
    /^: dashboard "Broken LogQL" \(broken-logql\): panel "Hand-written log query" target A: LogQL syntax error at line 1, column 42: unexpected end of query$/,
  'traceql-syntax.ts':
    /^: dashboard "Broken TraceQL" \(broken-traceql\): panel "Hand-written trace search" target A: TraceQL syntax error at line 1, column 48: unexpected "}"$/,
  'lint-total-suffix.ts': /^: dashboard "Bad PromQL" \(bad-promql\): panel "Total suffix" target A: \[triton-total-suffix\]/,
  'lint-unknown-rule.ts':
    /^:6: cannot load module: dashboard: option lint\.disable\[0\] = "no-such-rule" must be one of "datasource-variable", /,
  'option-unknown-name.ts':
    /^:4: cannot load module: latency: option quantile = \[0\.5,0\.99\] is not one it takes; did you mean quantiles\?$/,
  'option-wrong-type.ts': /^:4: cannot load module: requestRate: option groupBy = "model" must be an array$/,
  'option-unknown-value.ts': /^:4: cannot load module: gpuMemory: option measure = "x" must be one of "ratio", "bytes"$/,
  'option-unit-typo.ts':
    /^:4: cannot load module: latency: option unit = "milisecond" is not a Grafana unit id; did you mean "ms"\?$/,
  'option-threshold-string.ts':
    /^:7: cannot load module: requestRate: option thresholds\[1\]\.value = "80" must be a number or null$/,
  'option-preset-typo.ts':
    /^:4: cannot load module: tritonDashboard: option refesh = "1m" is not one it takes; did you mean refresh\?$/,
  'lint-unknown-variable.ts':
    /^: dashboard "Bad PromQL" \(bad-promql\): panel "Unknown variable" target A: \[unknown-variable\] \$cluster is not a variable/,
  'metric-missing-from-profile.ts':
    /^: cannot load module: panel "GPU utilization": profile "batcher" \(Dynamic batcher\) has no GPU metric$/,
  'missing-import.ts': /^: cannot load module: Cannot find module .*does-not-exist\.js/,
  'no-default-export.ts': /^: exports no default dashboard$/,
  'not-a-dashboard.ts': /^: default export is not a dashboard/,
  'not-a-module.json': /^: not a dashboard module \(expected \.ts, \.mts, \.cts, \.js, \.mjs or \.cjs\)$/,
  'panel-wider-than-grid.ts': /^: cannot load module: panel "Request rate": panel width 25 is outside 1-24 grid columns$/,
  'panel-zero-height.ts': /^: cannot load module: panel "Request rate": panel height 0 is not a positive whole number$/,
  'promql-backslash-escape.ts':
    /^: dashboard "Bad PromQL" \(bad-promql\): panel "Bad escape" target A: PromQL syntax error at line 1, column 73: invalid escape "\\q"/,
  'promql-bad-duration.ts':
    /^: dashboard "Bad PromQL" \(bad-promql\): panel "Bad duration" target A: PromQL syntax error at line 1, column 61/,
  'promql-empty-expression.ts':
    /^: dashboard "Bad PromQL" \(bad-promql\): panel "Empty expression" target A: PromQL syntax error at line 1, column 1: empty expression$/,
  'promql-empty-range.ts':
    /^: dashboard "Bad PromQL" \(bad-promql\): panel "Empty range" target A: PromQL syntax error at line 1, column 60/,
  'promql-newline-in-label-value.ts':
    /^: dashboard "Bad PromQL" \(bad-promql\): panel "Newline in label value" target A: PromQL syntax error at line 2, column 1/,
  'promql-operator-typo.ts':
    /^: dashboard "Bad PromQL" \(bad-promql\): panel "Operator typo" target A: PromQL syntax error at line 1, column 85/,
  'promql-quote-in-label-value.ts':
    /^: dashboard "Bad PromQL" \(bad-promql\): panel "Quote in label value" target A: PromQL syntax error at line 1, column 65/,
  'promql-in-collapsed-row.ts':
    /^: dashboard "Collapsed PromQL" \(collapsed-promql\): panel "Hidden query" target A: PromQL syntax error at line 1, column 64: unexpected end of expression$/,
  'promql-syntax.ts':
    /^: dashboard "Broken PromQL" \(broken-promql\): panel "Hand-written query" target A: PromQL syntax error at line 1, column 64: unexpected end of expression$/,
  'promql-unclosed-brace.ts':
    /^: dashboard "Bad PromQL" \(bad-promql\): panel "Unclosed brace" target A: PromQL syntax error at line 1, column 57/,
  'promql-unclosed-string.ts':
    /^: dashboard "Bad PromQL" \(bad-promql\): panel "Unclosed string" target A: PromQL syntax error at line 1, column 16/,
  'quantile-above-one.ts': /^: cannot load module: panel "Request latency": quantile 1.5 is outside \(0, 1\)$/,
  'quantile-not-in-summary.ts':
    /^: cannot load module: panel "Request latency": nv_inference_request_summary_us exports quantiles 0.5, 0.9, 0.95, 0.99, 0.999, not 0.97/,
  'quantile-zero.ts': /^: cannot load module: panel "Request latency": quantile 0 is outside \(0, 1\)$/,
  'recorded-without-rules.ts':
    /^: dashboard "Triton Inference Server" \(recorded\): panel "Request rate" target A: reads job_instance_model:nv_inference_request_success:rate1m, which no rule group of this build records/,
  'schema-bad-enum.ts':
    /^: dashboard "Bad enum" \(bad-enum\): panel "Successful requests": options.graphMode: must be equal to one of the allowed values \("none", "line", "area"\)$/,
  'schema-custom-field-type.ts':
    /^: dashboard "Line width" \(line-width\): panel "Request rate": fieldConfig.defaults.custom.lineWidth: must be number$/,
  'schema-unknown-field.ts':
    /^: dashboard "Unknown field" \(unknown-field\): panel "Request rate": colour: is not a field Grafana knows$/,
  'schema-wrong-type.ts': /^: dashboard "Triton Inference Server" \(wrong-type\): refresh: must be string$/,
  'sdk-dashboard-with-id.ts': /^: dashboard "With id" \(with-id\): has an id; provisioned dashboards are identified by uid only$/,
  'sdk-dashboard-without-uid.ts': /^: dashboard "No uid" \(no uid\): uid "" must be 1-40 characters/,
  'slo-duplicate-name.ts': /^: cannot load module: SLO "availability" is defined twice; names label the recorded series$/,
  'slo-histogram-statistic.ts':
    /^: cannot load module: SLO "api-latency": a histogram counts requests under the threshold; statistic applies only to summaries and averages$/,
  'slo-objective-100.ts':
    /^: cannot load module: SLO "perfect": objective 100 is not a percentage between 0 and 100 \(e.g. 99.9\)$/,
  'slo-summary-quantile-missing.ts':
    /^: cannot load module: SLO "latency": nv_inference_request_summary_us exports quantiles 0.5, 0.9, 0.95, 0.99, 0.999, not 0.98/,
  'slo-window-not-recorded.ts':
    /^ \[0\]: dashboard "SLO window" \(slo-window\): panel "availability: burn rate" target B: reads slo:sli_error:ratio_rate\{slo="availability",window="12h"\}, which no rule group of this build records/,
  'slo-without-rules.ts':
    /^: dashboard "Inference SLOs" \(inference-slo\): panel "availability: error budget remaining" target A: reads slo:sli_error:ratio_rate\{slo="availability",window="30d"\}, which no rule group/,
  'syntax-error.ts': /^:4: cannot load module: Transform failed with 1 error: .*syntax-error\.ts:4:\d+: ERROR: /,
  'thresholds-descending.ts': /^: cannot load module: panel "Request rate": thresholds must ascend: 1 follows 5$/,
  'thresholds-infinity.ts': /^: cannot load module: panel "Request rate": threshold 1 is not a finite number$/,
  'thresholds-nan.ts': /^: cannot load module: panel "Request rate": threshold 1 is not a finite number$/,
  'thresholds-no-base.ts':
    /^: cannot load module: panel "Request rate": the first threshold is the base and must have value null$/,
  'throws.ts': /^: cannot load module: panel "Request rate": panel width 30 is outside 1-24 grid columns$/,
  'title-5001-dashboard.ts': /^: cannot load module: dashboard long-title: title must be 1-5000 characters$/,
  'title-5001-panel.ts': /^: cannot load module: panel title "y{40}\.\.\." is longer than 5000 characters$/,
  'title-empty-dashboard.ts': /^: cannot load module: dashboard empty-title: title must be 1-5000 characters$/,
  'title-empty-panel.ts': /^: cannot load module: panel title is empty \(default "Request rate"\)$/,
  'uid-invalid-characters.ts': /^: cannot load module: uid "my dash\/1" must be 1-40 characters/,
  'uid-too-long.ts': /^: cannot load module: uid "u{41}" must be 1-40 characters/,
  'unreadable-link-loop.ts': /^: cannot read input \(ELOOP\)$/,
  'window-injection.ts': /^: cannot load module: panel "Request rate": invalid range "5m\]\) or vector\(1\) or \(up\[5m"/,
  'alert-annotation-name-invalid.ts':
    /^: rule group "alert-annotation-name-invalid": alert "QueueTooLong": annotations: "runbook\.url" is not a name Prometheus takes/,
  'alert-for-negative.ts':
    /^: rule group "alert-for-negative": alert "QueueTooLong": for "-5m" is not a Prometheus duration such as 5m$/,
  'alert-keep-firing-for-bad.ts':
    /^: rule group "alert-keep-firing-for-bad": alert "QueueTooLong": keep_firing_for "5x" is not a Prometheus duration such as 5m$/,
  'alert-label-name-invalid.ts':
    /^: rule group "alert-label-name-invalid": alert "QueueTooLong": labels: "team-name" is not a name Prometheus takes/,
  'alert-label-name-reserved.ts':
    /^: rule group "alert-label-name-reserved": alert "QueueTooLong": labels: "__name__" is not a name Prometheus takes/,
  'alert-range-vector-compared.ts':
    /^: rule group "alert-range-vector-compared": alert "TooManyFailures": nv_inference_request_failure\{job="triton"\}\[5m\] is a range vector, which only a function such as rate\(\) or avg_over_time\(\) reads$/,
  'alert-unknown-field.ts':
    /^: rule group "alert-unknown-field": alert "QueueTooLong": field "anotations" is not one Prometheus takes in an alerting rule/,
  'array-with-null.ts': /^ \[1\]: default export is not a dashboard, a dashboard builder, a rule group, or an array of them$/,
  'async-throw.ts': /^: failed outside the build \(an unhandled rejection or a throw in a callback\): late failure from a timer$/,
  'bigint-value.ts': /^: building the dashboard failed: Do not know how to serialize a BigInt$/,
  'builder-returns-null.ts': /^: default export is not a dashboard, a dashboard builder, a rule group, or an array of them$/,
  'circular-json.ts': /^: building the dashboard failed: Converting circular structure to JSON$/,
  'datasource-uid-invalid.ts':
    /^: dashboard "DS" \(ds\): panel "Requests": datasource uid "my prometheus" must be 1-40 characters of a-z, A-Z, 0-9, - and _, or a variable/,
  'datasource-uid-too-long.ts':
    /^: dashboard "DS long" \(ds-long\): panel "Requests": datasource uid "p{41}" must be 1-40 characters/,
  'default-function.ts': /^: default export is a function; export what it returns/,
  'default-promise.ts': /^: default export is a promise; await it in the module \(top-level await\) and export the result$/,
  'filter-regex-backreference.ts':
    /^: cannot load module: panel "Request rate": filter model=~"\(a\)\\\\1" is not a regex Prometheus accepts \(RE2\): error parsing regexp: invalid escape sequence/,
  'filter-regex-lookahead.ts':
    /^: cannot load module: panel "Request rate": filter model=~"resnet\(\?=50\)" is not a regex Prometheus accepts \(RE2\): error parsing regexp: invalid or unsupported Perl syntax/,
  'filter-regex-unbalanced.ts':
    /^: cannot load module: panel "Request rate": filter model!~"resnet\(50" is not a regex Prometheus accepts \(RE2\): error parsing regexp: missing closing \)/,
  'folder-case-collision.ts':
    /^ \[1\]: dashboard "B" \(b\): folder "inference" and "Inference" \(test\/bad-input\/folder-case-collision\.ts \[0\]: dashboard "A" \(a\)\) are one folder on macOS and Windows/,
  'folder-nfc-collision.ts':
    /^ \[1\]: dashboard "B" \(b\): folder "Cafe\u0301" and "Caf\u00e9" \(test\/bad-input\/folder-nfc-collision\.ts \[0\]: dashboard "A" \(a\)\) are one folder on macOS and Windows, which ignore case and Unicode normalization$/,
  'folder-with-dangling-module': /^\/missing\.ts: a symlink to nothing, not a module$/,
  'group-interval-bad.ts': /^: rule group "group-interval-bad": interval "every minute" is not a Prometheus duration such as 1m$/,
  'group-unknown-field.ts':
    /^: rule group "group-unknown-field": field "evaluation_interval" is not one a rule group takes here \(name, interval, rules\)$/,
  'height-nan.ts': /^: cannot load module: panel "Request rate": panel height NaN is not a positive whole number$/,
  'long-title-with-bad-query.ts':
    /^: dashboard "L{80}…" \(long\): panel "P{80}…" target A: PromQL syntax error at line 1, column 11: unexpected end of expression$/,
  'panel-id-zero.ts': /^: dashboard "Zero" \(zero\): panel "Zero": id 0 is not a positive integer$/,
  'panel-negative-x.ts':
    /^: dashboard "Neg" \(neg\): panel "Left": gridPos \{"x":-1,"y":0,"w":6,"h":4\} lies outside the 24-column grid$/,
  'promql-rate-of-instant-vector.ts':
    /^: dashboard "Rate type" \(rate-type\): panel "Requests" target A: nv_inference_request_success is not a range vector, which this function reads/,
  'promql-string-arithmetic.ts':
    /^: dashboard "String math" \(string-math\): panel "Requests" target A: "a" \+ 1 applies an operator to a string, which Prometheus refuses$/,
  'promql-unknown-function.ts': /^: dashboard "Fn" \(fn\): panel "Requests" target A: PromQL syntax error at line 1, column 4: /,
  'record-grafana-variable.ts':
    /^: rule group "record-grafana-variable": record "model:nv_inference_request_success:rate": uses a Grafana variable; a rule needs a fixed window/,
  'record-name-invalid.ts':
    /^: rule group "record-name-invalid": record "model:requests-per-second": the recorded name must be a metric name/,
  'record-regex-not-re2.ts':
    /^: rule group "record-regex-not-re2": record "model:nv_inference_request_success:rate5m": model=~"\(\?<!x\)y" is not a regex Prometheus accepts \(RE2\)/,
  'record-with-annotations.ts':
    /^: rule group "record-with-annotations": record "model:nv_inference_request_success:rate5m": field "annotations" is not one Prometheus takes in a recording rule/,
  'sdk-span-fractional.ts':
    /^: dashboard "Span fraction" \(span-fraction\): panel "Requests": gridPos \{"h":9,"w":7\.5,"x":0,"y":0\} is not in whole grid cells$/,
  'sdk-span-nan.ts': /^:5: cannot load module: w must be > 0$/,
  'title-control-character-panel-sdk.ts': /^: dashboard "Tab" \(tab\): panel "Request\\trate": title holds a control character$/,
  'title-newline-dashboard.ts': /^: dashboard "Two\\nlines" \(nl\): title holds a control character$/,
  'tojson-throws.ts': /^: building the dashboard failed: cannot serialize the description$/,
  'top-level-await-never.ts':
    /^: did not finish loading within 1 s \(a top-level await that never settles\?\); raise --load-timeout if it needs longer$/,
  'top-level-await-rejects.ts': /^:4: cannot load module: the configuration service is down$/,
  'uid-case-collision.ts':
    /^ \[1\]: dashboard "B" \(Triton\): dashboards\/Triton\.json and dashboards\/triton\.json \(test\/bad-input\/uid-case-collision\.ts \[0\]: dashboard "A" \(triton\)\) are one file on macOS and Windows/,
  'unhandled-rejection.ts':
    /^: failed outside the build \(an unhandled rejection or a throw in a callback\): a rejection nobody handles$/,
  'variable-name-invalid.ts':
    /^: dashboard "Var space" \(var-space\): variable "my model": a name queries can reference is letters, digits and _$/,
  'width-fractional.ts': /^: cannot load module: panel "Request rate": panel width 7\.5 is outside 1-24 grid columns$/,
  'does-not-exist.ts': /^: cannot read input \(ENOENT\)$/,
};

function run(args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/src/cli.js', ...args], { cwd: root });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

async function tree(directory: string): Promise<Record<string, string>> {
  const files = await listFiles(directory);
  return Object.fromEntries(files.map((file) => [file, readFileSync(join(directory, file), 'utf8')]));
}

/** Options a corpus file asks for in its first line, `// args: --load-timeout 1`. */
function argsOf(file: string): string[] {
  if (!file.endsWith('.ts')) return [];
  const path = join(root, 'test/bad-input', file);
  const first = existsSync(path) && lstatSync(path).isFile() ? (readFileSync(path, 'utf8').split('\n')[0] ?? '') : '';
  return /^\/\/ args: (.+)$/.exec(first)?.[1]?.split(' ') ?? [];
}

test('the corpus has at least 100 distinct broken inputs, each with an expected error', () => {
  const files = readdirSync(join(root, 'test/bad-input')).sort();
  assert.ok(files.length >= 100, `only ${files.length} inputs`);
  assert.deepEqual(
    files,
    Object.keys(expected)
      .filter((file) => file !== 'does-not-exist.ts')
      .sort(),
  );
});

test('every broken input fails with exit 1, a one-line error naming it, and the previous output untouched', async () => {
  // Two at a time, the machine has two cores; each into an output of its own, as one build at a time holds a folder.
  const outs = [0, 1].map((slot) => join(mkdtempSync(join(tmpdir(), 'inferboard-bad-')), `grafana-${slot}`));
  for (const out of outs) assert.equal((await run(['--out', out])).status, 0);
  const before = await tree(outs[0] as string);
  const files = Object.keys(expected);
  for (let index = 0; index < files.length; index += 2) {
    const batch = files.slice(index, index + 2);
    const results = await Promise.all(
      batch.map((file, slot) => run(['--out', outs[slot] as string, ...argsOf(file), `test/bad-input/${file}`])),
    );
    batch.forEach((file, position) => {
      const { status, stderr } = results[position] as { status: number | null; stderr: string };
      const lines = stderr.trim().split('\n');
      assert.equal(status, 1, `${file}: exit ${status}: ${stderr}`);
      if (file !== 'lint-seed-queries.ts') assert.equal(lines.length, 1, `${file}: more than one line:\n${stderr}`);
      const prefix = `build-dashboards: test/bad-input/${file}`;
      for (const line of lines) {
        assert.ok(line.startsWith(prefix), `${file}: the error does not name the file: ${line}`);
        assert.ok(line.length <= 500, `${file}: a line of ${line.length} characters`);
      }
      assert.match((lines[0] ?? '').slice(prefix.length), expected[file] as RegExp, file);
    });
  }
  for (const out of outs) {
    assert.deepEqual(await tree(out), before, 'a broken input changed the previous output');
    assert.deepEqual(everyFile(out), Object.keys(before), 'a failed build leaves no temporary file or lock');
  }
});

test('a bad invocation fails with exit 1 and one line naming the option or folder, and the output untouched', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'inferboard-invocation-'));
  const out = join(scratch, 'grafana');
  assert.equal((await run(['--out', out])).status, 0);
  const before = await tree(out);
  const project = join(scratch, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{}\n');
  writeFileSync(join(scratch, 'a-file'), 'not a folder\n');
  symlinkSync(join(scratch, 'nowhere'), join(scratch, 'dangling'));
  mkdirSync(join(scratch, 'no-modules'));
  // A build that is still running: its lock names a live process.
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  const locked = join(scratch, 'locked');
  assert.equal((await run(['--out', locked])).status, 0);
  writeFileSync(join(locked, '.inferboard.lock'), JSON.stringify({ pid: holder.pid, host: hostname() }));
  try {
    const cases: [string[], RegExp][] = [
      [['--out', join(scratch, 'a-file')], /^build-dashboards: \S+a-file: not a folder$/],
      [['--out', join(scratch, 'dangling')], /^build-dashboards: \S+dangling: a symlink to a folder that does not exist$/],
      [['--out', project], /^build-dashboards: \S+project: refusing to replace a folder that build-dashboards did not write/],
      [
        ['--out', locked],
        new RegExp(`^build-dashboards: \\S+locked: another build-dashboards \\(pid ${holder.pid}\\) is writing into it`),
      ],
      [
        ['--out', out, '--scrape-interval', '0s'],
        /^build-dashboards: scrape interval "0s" is not a Prometheus duration such as 15s$/,
      ],
      [
        ['--out', out, '--scrape-interval', '1d'],
        /^build-dashboards: scrape interval "1d" is not a Prometheus duration such as 15s$/,
      ],
      [
        ['--out', out, '--load-timeout', '0'],
        /^error: option '--load-timeout <seconds>' argument '0' is invalid\. --load-timeout "0"/,
      ],
      [['--out', out, '--load-timeout', 'abc'], /--load-timeout "abc" is not a whole number from 1 to 86400$/],
      [['--out', out, '--prometheus-url', 'prometheus:9090'], /--prometheus-url "prometheus:9090" is not an http\(s\) URL/],
      [['--out', out, join(scratch, 'no-modules')], /^build-dashboards: \S+no-modules: no dashboard modules found$/],
    ];
    for (const [args, message] of cases) {
      const { status, stderr } = await run(args);
      assert.equal(status, 1, `${args.join(' ')}: exit ${status}: ${stderr}`);
      assert.equal(stderr.trim().split('\n').length, 1, `${args.join(' ')}: more than one line:\n${stderr}`);
      assert.match(stderr.trim(), message, args.join(' '));
    }
  } finally {
    holder.kill();
  }
  assert.deepEqual(await tree(out), before, 'a bad invocation changed the output');
  assert.deepEqual(everyFile(project), ['package.json']);
  assert.deepEqual(everyFile(out), Object.keys(before), 'no temporary file or lock is left');
});
