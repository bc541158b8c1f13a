/**
 * A series is recorded when a rule group of the build records it, not because its name has
 * colons: vLLM's `vllm:num_requests_running` is an exporter's series, read and linted as one;
 * the user's own recorded series keeps only the labels of its rule; inferboard's own recorded
 * names still need their rules exported.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;

function lint(expr: string, withRules: boolean) {
  const inputs = ['test/fixtures/colon-names/reading.ts', ...(withRules ? ['test/fixtures/colon-names/rules.ts'] : [])];
  const result = spawnSync(process.execPath, ['dist/src/cli.js', 'lint', ...inputs], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, COLON_NAMES_EXPR: expr },
  });
  return { status: result.status, errors: result.stderr.trim().split('\n').filter(Boolean) };
}

const finding = (text: string) => new RegExp(`panel "Request rate" target A: \\[job-instance-matchers\\] ${text}`);

test("vLLM's colon-named series is an exporter's: it builds without rules and must filter job and instance", () => {
  const filtered = lint('sum(vllm:num_requests_running{job=~"$job",instance=~"$instance"})', false);
  assert.equal(filtered.status, 0, filtered.errors.join('\n'));
  const unfiltered = lint('sum(vllm:num_requests_running)', false);
  assert.equal(unfiltered.status, 1);
  assert.match(unfiltered.errors[0] ?? '', finding('vllm:num_requests_running does not filter job=~"\\$job"'));
  assert.match(unfiltered.errors[1] ?? '', finding('vllm:num_requests_running does not filter instance=~"\\$instance"'));
});

test("the user's recorded series keeps only its rule's labels: no job filter asked for, unless no rule records it", () => {
  const expr = 'sum(model:vllm_num_requests_running:sum)';
  const recorded = lint(expr, true);
  assert.equal(recorded.status, 0, recorded.errors.join('\n'));
  const unrecorded = lint(expr, false);
  assert.equal(unrecorded.status, 1);
  assert.match(unrecorded.errors[0] ?? '', finding('model:vllm_num_requests_running:sum does not filter job=~"\\$job"'));
});

test("inferboard's own recorded series still needs its rules exported", () => {
  const result = lint('sum(job_instance_model:nv_inference_request_success:rate1m{job=~"$job",instance=~"$instance"})', false);
  assert.equal(result.status, 1);
  assert.match(
    result.errors[0] ?? '',
    /reads job_instance_model:nv_inference_request_success:rate1m, which no rule group of this build records/,
  );
});
