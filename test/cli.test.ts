/**
 * The build-dashboards CLI as a user runs it: the built dist/src/cli.js in a child process.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { format } from 'prettier';
import { listFiles } from '../src/build/output.js';
import { engines } from './support/engines.js';
import { promtool } from './support/promtool.js';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist/src/cli.js');

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function temporary(): string {
  return mkdtempSync(join(tmpdir(), 'inferboard-cli-'));
}

async function tree(directory: string): Promise<Record<string, string>> {
  const files = await listFiles(directory);
  return Object.fromEntries(files.map((file) => [file, readFileSync(join(directory, file), 'utf8')]));
}

test('with no inputs it builds examples/ into a provisioning tree and prints a one-line summary', async () => {
  const out = join(temporary(), 'grafana');
  const result = run(['--out', out]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stdout.trim(),
    /^build-dashboards: 7 dashboards, \d+ panels, 53 alert rules, 17 files written to .+ in \d+\.\d\d s$/,
  );
  assert.deepEqual(Object.keys(await tree(out)), [
    'dashboards/Inference/inference-api-batcher.json',
    'dashboards/Inference/inference-slo.json',
    'dashboards/Inference/resnet50-capacity.json',
    'dashboards/Inference/triton-inference.json',
    'dashboards/LLM/gpu-dcgm.json',
    'dashboards/LLM/llm-slo.json',
    'dashboards/LLM/vllm.json',
    'prometheus/rules/inferboard-batcher-recording.yml',
    'prometheus/rules/inferboard-batcher.yml',
    'prometheus/rules/inferboard-dcgm.yml',
    'prometheus/rules/inferboard-llm-slo.yml',
    'prometheus/rules/inferboard-slo.yml',
    'prometheus/rules/inferboard-triton-recording.yml',
    'prometheus/rules/inferboard-triton.yml',
    'prometheus/rules/inferboard-vllm.yml',
    'provisioning/dashboards/inferboard.yaml',
    'provisioning/datasources/inferboard.yaml',
  ]);
  const ruleFiles = Object.keys(await tree(out)).filter((file) => file.startsWith('prometheus/rules/'));
  for (const engine of engines) {
    const rules = promtool(engine, ['check', 'rules', ...ruleFiles.map((file) => join(out, file))]);
    assert.equal(rules.status, 0, `${engine.name}: ${rules.output}`);
  }
});

test('the datasource uid provisioned is the one the dashboards select', async () => {
  const out = join(temporary(), 'grafana');
  assert.equal(run(['--out', out, '--prometheus-url', 'http://prom.internal:9090']).status, 0);
  const files = await tree(out);
  const datasource = files['provisioning/datasources/inferboard.yaml'] ?? '';
  assert.match(datasource, /uid: inferboard-prometheus/);
  assert.match(datasource, /url: http:\/\/prom.internal:9090/);
  assert.match(
    files['provisioning/dashboards/inferboard.yaml'] ?? '',
    /path: \/var\/lib\/grafana\/dashboards\n\s+foldersFromFilesStructure: true/,
  );
  const dashboard = JSON.parse(files['dashboards/Inference/triton-inference.json'] ?? '{}');
  assert.equal(dashboard.templating.list[0].current.value, 'inferboard-prometheus');
});

test('two builds are byte-identical, whatever the time zone and locale', async () => {
  const first = join(temporary(), 'grafana');
  const second = join(temporary(), 'grafana');
  assert.equal(run(['--out', first], { TZ: 'UTC', LANG: 'C' }).status, 0);
  assert.equal(run(['--out', second], { TZ: 'Asia/Kolkata', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' }).status, 0);
  assert.deepEqual(await tree(first), await tree(second));
});

test('output is prettier-stable: formatting it changes nothing', async () => {
  const out = join(temporary(), 'grafana');
  assert.equal(run(['--out', out]).status, 0);
  for (const [file, content] of Object.entries(await tree(out))) {
    const parser = file.endsWith('.json') ? 'json-stringify' : 'yaml';
    assert.equal(await format(content, { parser }), content, `${file} changes under prettier`);
  }
});

test('--check exits 0 when up to date and 1 listing stale, missing and extra files', () => {
  const out = join(temporary(), 'grafana');
  assert.equal(run(['--out', out]).status, 0);
  const clean = run(['--check', '--out', out]);
  assert.equal(clean.status, 0, clean.stderr);
  assert.match(clean.stdout, /is up to date/);

  writeFileSync(join(out, 'dashboards/Inference/triton-inference.json'), '{}\n');
  rmSync(join(out, 'provisioning/datasources/inferboard.yaml'));
  writeFileSync(join(out, 'dashboards/Inference/old.json'), '{}\n');
  const before = readFileSync(join(out, 'dashboards/Inference/triton-inference.json'), 'utf8');
  const stale = run(['--check', '--out', out]);
  assert.equal(stale.status, 1);
  assert.deepEqual(stale.stdout.trim().split('\n'), [
    `extra: ${out}/dashboards/Inference/old.json`,
    `stale: ${out}/dashboards/Inference/triton-inference.json`,
    `missing: ${out}/provisioning/datasources/inferboard.yaml`,
  ]);
  assert.match(stale.stderr, /is out of date \(3 files\)/);
  assert.equal(readFileSync(join(out, 'dashboards/Inference/triton-inference.json'), 'utf8'), before, '--check wrote nothing');
  assert.equal(run(['--check', '--out', join(temporary(), 'never-built')]).status, 1);
});

test('--help and --version work', () => {
  const help = run(['--help']);
  assert.equal(help.status, 0);
  for (const option of ['--out <dir>', '--check', '--prometheus-url', '[inputs...]', '/etc/grafana/provisioning']) {
    assert.ok(help.stdout.includes(option), `--help mentions ${option}`);
  }
  const version = run(['--version']);
  assert.equal(version.status, 0);
  assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
});

test('JavaScript modules, arrays, bare SDK builders and module-level folders build', async () => {
  const out = join(temporary(), 'grafana');
  const result = run(['--out', out, 'test/fixtures/mixed.mjs']);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(
    Object.keys(await tree(out)).filter((file) => file.endsWith('.json')),
    ['dashboards/Mixed/mixed-inferboard.json', 'dashboards/Plain SDK/mixed-sdk.json'],
  );
});

test('a dashboard is checked as its file reads: a value with toJSON is checked as it serializes', async () => {
  const out = join(temporary(), 'grafana');
  const result = run(['--out', out, 'test/fixtures/serialized-values.mjs']);
  assert.equal(result.status, 0, result.stderr);
  const written = JSON.parse((await tree(out))['dashboards/serialized-values.json'] ?? '{}');
  assert.deepEqual(written.time, { from: 'now-6h', to: 'now' });
});

test('an output folder that cannot be written fails with one line and exit 1', () => {
  const parent = temporary();
  writeFileSync(join(parent, 'a-file'), '');
  const result = run(['--out', join(parent, 'a-file', 'grafana')]);
  assert.equal(result.status, 1);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /^build-dashboards: .*(ENOTDIR|EEXIST)/);
  if (process.getuid?.() !== 0) {
    // Permissions bind everyone but root (CI runs as root, which may write anywhere).
    const locked = temporary();
    chmodSync(locked, 0o500);
    const denied = run(['--out', join(locked, 'grafana')]);
    chmodSync(locked, 0o700);
    assert.equal(denied.status, 1);
    assert.match(denied.stderr, /EACCES/);
  }
});

test('it refuses to replace a folder it did not write', async () => {
  const out = temporary();
  writeFileSync(join(out, 'precious.txt'), 'keep me');
  const result = run(['--out', out]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /refusing to replace a folder that build-dashboards did not write/);
  assert.equal(readFileSync(join(out, 'precious.txt'), 'utf8'), 'keep me');
});

test('a window under two scrape intervals fails the build, naming it and the fix; built for that interval it passes', async () => {
  const out = join(temporary(), 'grafana');
  const heatmap = run(['--out', out, '--scrape-interval', '60s']);
  assert.equal(heatmap.status, 1);
  assert.match(
    heatmap.stderr.trim(),
    /^build-dashboards: examples\/batcher\.ts: dashboard "Inference API - Dynamic Batcher" \(inference-api-batcher\): panel "Batch size distribution": min interval: the window 1m is shorter than two scrape intervals of 60s.*scrapeInterval: '60s'$/,
  );
  const rules = run(['--out', out, '--scrape-interval', '60s', 'examples/rules.ts']);
  assert.equal(rules.status, 1);
  assert.match(
    rules.stderr,
    /record "job_instance_model:nv_inference_request_success:rate1m": nv_inference_request_success\[1m\]: the window 1m is shorter than two scrape intervals of 60s.*build recordingRules\(\) with scrapeInterval: '60s'/,
  );
  assert.equal(rules.stderr.trim().split('\n').length, 1);
  const built = run(['--out', out, '--scrape-interval', '60s', 'test/fixtures/scrape-60s.ts']);
  assert.equal(built.status, 0, built.stderr);
  const files = await tree(out);
  assert.match(
    files['prometheus/rules/inferboard-triton-recording.yml'] ?? '',
    /interval: 60s[\s\S]*rate\(nv_inference_request_success\[4m\]\)/,
  );
  assert.match(files['provisioning/datasources/inferboard.yaml'] ?? '', /timeInterval: 60s/);
  assert.equal(
    run(['--out', out, '--scrape-interval', 'abc']).stderr.trim(),
    'build-dashboards: scrape interval "abc" is not a Prometheus duration such as 15s',
  );
});
