/**
 * `build-dashboards import` on the guides' dashboards and on real public ones (Triton's, vLLM's,
 * the DCGM exporter's: test/fixtures/import/README.md names their sources): every module builds
 * and type-checks, the built dashboard differs from what was imported only by the documented
 * conversions, the guides' mistakes are commented beside their panels and, with --fix, replaced;
 * inferboard's own dashboards come back as the builder calls that made them, field for field.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { normalizeDashboard } from '../src/import/normalize.js';
import { diffTrees, formatTerminal, hasChanges } from '../src/review/diff.js';
import { readTree } from '../src/review/revision.js';
import { lintDashboard } from '../src/check/lint.js';
import { consumerCompilerOptions } from '../src/cli/init.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/src/cli.js');
const fixtures = join(root, 'test/fixtures/import');
// Modules import `inferboard`: inside the repository it resolves to this package.
const inside = mkdtempSync(join(root, 'test', '.loop-import-'));
const scratch = mkdtempSync(join(tmpdir(), 'inferboard-import-'));
after(() => {
  rmSync(inside, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
const files = readdirSync(fixtures).filter((file) => file.endsWith('.json'));

/** The conversions the README documents; every change the diff shows must be one of them. */
const documented = [
  /^schemaVersion: \d+ -> 42$/,
  /^(links|annotations\.list|variables\.list): \[\] -> \(none\)$/,
  /^(timeFrom|timeShift|cacheTimeout): null -> \(none\)$/,
  /^(weekStart): {2}-> \(none\)$/,
  /^(style): \w+ -> \(none\)$/,
  /^refresh: false -> \(none\)$/,
  /^variable \$\w+ (refresh|options|useTags|tagsQuery|tags|tagValuesQuery|queryValue|index|label|allValue): .* -> \(none\)$/,
  /^target [A-Z] (disableTextWrap|fullMetaSearch|includeNullMetadata|useBackend): (true|false) -> \(none\)$/,
  /^target [A-Z] (instant|range): (\(none\)|false) -> (\(none\)|false)$/,
];

function importAll(out: string, extra: string[] = []) {
  for (const file of files) {
    const result = run(['import', join(fixtures, file), '--out', out, ...extra]);
    assert.equal(result.status, 0, `${file}: ${result.stderr}`);
    assert.match(
      result.stdout,
      /^build-dashboards: .* -> .*\.ts: \d+ panels, \d+ as inferboard builders, \d+ lint findings left as comments\n$/,
    );
  }
  return readdirSync(out).filter((file) => file.endsWith('.ts'));
}

test('each dashboard becomes a module that builds, type-checks, and differs from it only by documented conversions', async () => {
  const out = join(inside, 'as-written');
  assert.equal(importAll(out).length, files.length);
  const built = join(scratch, 'as-written');
  const build = run([out, '--out', built]);
  assert.equal(build.status, 0, build.stderr);
  // As a repository set up by build-dashboards init type-checks them.
  writeFileSync(join(out, 'tsconfig.json'), JSON.stringify({ compilerOptions: consumerCompilerOptions }));
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', out], { encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout);

  const tree = await readTree(built);
  for (const file of files) {
    const { json } = normalizeDashboard(readFileSync(join(fixtures, file), 'utf8'), file);
    const path = [...tree.keys()].find(
      (candidate) => candidate.startsWith('dashboards/') && JSON.parse(tree.get(candidate)!).title === json.title,
    )!;
    assert.ok(path, `${file} was built`);
    const uid = JSON.parse(tree.get(path)!).uid as string;
    const diff = diffTrees(new Map([[path, JSON.stringify({ ...json, uid })]]), new Map([[path, tree.get(path)!]]));
    const changes = formatTerminal(diff, false)
      .split('\n')
      .filter((line) => /^ {4,}\S/.test(line))
      .map((line) => line.trim());
    for (const change of changes)
      assert.ok(
        documented.some((pattern) => pattern.test(change)),
        `${file}: an undocumented change: ${change}`,
      );
  }
});

test("the guides' mistakes are commented beside their panels, and the module's lint export lets it build", () => {
  const module = readFileSync(join(inside, 'as-written', 'triton-monitoring-cli.ts'), 'utf8');
  assert.match(
    module,
    /\/\/ lint \[counter-rate\] counter nv_inference_request_duration_us is read through avg\(\); wrap it in rate\(\) or increase\(\)\n\s+\/\/ inferboard draws this with latency\(/,
  );
  assert.match(module, /'Inference Latency \(ms\)': \['counter-rate', /);
  const seed = readFileSync(join(inside, 'as-written', 'triton-metrics.ts'), 'utf8');
  assert.match(
    seed,
    /\/\/ lint \[unknown-metric\] nv_inference_request_duration_us_bucket is not a metric NVIDIA Triton exports/,
  );
  assert.match(seed, /^\/\/ Converted: the __inputs placeholders \$\{DS_PROMETHEUS\} made the \$datasource variable\.$/m);
  const dcgm = readFileSync(join(inside, 'as-written', 'Oxed_c6Wz.ts'), 'utf8');
  assert.match(dcgm, /^\/\/ Converted: panel "GPU Temperature": the legacy graph panel made a timeseries/m);
  assert.match(dcgm, /\.type\('timeseries'\)/);
  assert.doesNotMatch(dcgm, /\.type\('graph'\)/);
});

test('--fix replaces each mistaken panel by the builder that draws what it means to show; their findings are gone', async () => {
  const out = join(inside, 'fixed');
  importAll(out, ['--fix']);
  const module = readFileSync(join(out, 'triton-monitoring-cli.ts'), 'utf8');
  assert.match(
    module,
    /\/\/ --fix: replaced the panel as written \(\d+ lint findings\)\n\s+latency\(\{ title: 'Inference Latency \(ms\)', templateVariables: false \}\)/,
  );
  assert.match(module, /requestRate\(\{ title: 'QPS', templateVariables: false \}\)/);
  const built = join(scratch, 'fixed');
  const build = run([out, '--out', built]);
  assert.equal(build.status, 0, build.stderr);
  for (const [path, text] of await readTree(built)) {
    if (!path.startsWith('dashboards/')) continue;
    const rules = new Set(lintDashboard(JSON.parse(text)).map((finding) => finding.rule));
    for (const mistake of ['counter-rate', 'unknown-metric', 'summary-quantile-aggregation'] as const)
      assert.ok(!rules.has(mistake) || path.includes('Oxed_c6Wz') || path.includes('slEY4dsZk'), `${path}: ${mistake} left`);
  }
});

test("inferboard's own dashboards come back as the builder calls that made them, and build into the same JSON", async () => {
  const examples = join(scratch, 'examples');
  assert.equal(run(['examples', '--out', examples]).status, 0);
  const out = join(inside, 'round-trip');
  for (const folder of readdirSync(join(examples, 'dashboards'))) {
    for (const file of readdirSync(join(examples, 'dashboards', folder))) {
      if (file.includes('slo')) continue; // SLO panels take objectives, not options: they stay SDK code, and need their rules.
      const result = run(['import', join(examples, 'dashboards', folder, file), '--out', out, '--folder', folder]);
      assert.equal(result.status, 0, result.stderr);
      const [, panels, builders] = /: (\d+) panels, (\d+) as inferboard builders/.exec(result.stdout) ?? [];
      // The ResNet-50 example sets an SDK option (a fixed colour) on one builder's panel: that panel stays SDK code.
      assert.equal(Number(builders), Number(panels) - (file.startsWith('resnet50') ? 1 : 0), `${file}: ${result.stdout}`);
    }
  }
  const module = readFileSync(join(out, 'triton-inference.ts'), 'utf8');
  assert.match(module, /requestRate\(\{ recorded: true \}\)\.id\(\d+\)\.gridPos\(/);
  const rebuilt = join(scratch, 'round-trip');
  const build = run([out, 'examples/rules.ts', '--out', rebuilt]);
  assert.equal(build.status, 0, build.stderr);
  const before = await readTree(examples);
  const after = await readTree(rebuilt);
  const same = (tree: Map<string, string>) =>
    new Map([...tree].filter(([path]) => path.startsWith('dashboards/') && !path.includes('slo')));
  const diff = diffTrees(same(before), same(after));
  assert.equal(hasChanges(diff), false, formatTerminal(diff, false));
});

test('an existing module is never overwritten, and what is no dashboard is refused naming the file', () => {
  const out = join(scratch, 'once');
  mkdirSync(out);
  cpSync(join(fixtures, 'vllm-grafana.json'), join(scratch, 'vllm.json'));
  assert.equal(run(['import', join(scratch, 'vllm.json'), '--out', out]).status, 0);
  const again = run(['import', join(scratch, 'vllm.json'), '--out', out]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /vllm\.json: .*b281712d-8bff-41ef-9f3f-71ad43c05e9b\.ts exists; import writes new modules only/);
  writeFileSync(join(scratch, 'broken.json'), '{"panels": []}');
  const broken = run(['import', join(scratch, 'broken.json'), '--out', out]);
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /broken\.json: not a Grafana dashboard \(a JSON object with a title\)\n$/);
});
