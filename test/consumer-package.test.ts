/**
 * Another repository installs the packed package and uses it with types: the exports map,
 * the .d.ts files and the build-dashboards bin; and repositories of either module type (npm
 * init's `"type": "commonjs"`, no type, `"type": "module"`) build dashboard modules of every
 * extension, the README's first example among them.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;

const work = mkdtempSync(join(tmpdir(), 'inferboard-consumer-'));
let packed: { filename: string; files: { path: string }[] }[] = [];
before(() => {
  packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' }),
  ) as typeof packed;
});

/** A project in `work/<name>` with `packageJson`, the tarball installed. */
function consumer(name: string, packageJson: object): string {
  const project = join(work, name);
  mkdirSync(join(project, 'dashboards'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify(packageJson));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, packed[0]?.filename ?? '')], {
    cwd: project,
    stdio: 'pipe',
  });
  return project;
}

test('a consumer project installs the tarball, type-checks imports and runs build-dashboards', () => {
  const files = packed[0]?.files.map((file) => file.path) ?? [];
  assert.ok(files.includes('dist/panels/index.d.ts') && files.includes('dist/src/cli.js'), 'types and bin are packed');
  assert.ok(
    files.includes('dist/alerts/index.d.ts') &&
      files.includes('dist/schema/grafana.schema.json') &&
      files.includes('dist/schema/validators.cjs') &&
      files.includes('dist/schema/validators-v2.cjs') &&
      files.includes('examples/github-workflow.yml'),
    'alerts, schemas, compiled validators and the workflow init copies are packed',
  );
  assert.ok(
    !files.some((file) => file.startsWith('dist/grafana') || file.startsWith('test/')),
    'no build output or tests packed',
  );

  const project = consumer('consumer', { name: 'consumer', private: true, type: 'module' });
  writeFileSync(
    join(project, 'dashboards', 'team.ts'),
    [
      "import { batchSize, latency } from 'inferboard/panels';",
      "import { averageBatchSize, tritonMetrics } from 'inferboard/queries';",
      "import { dashboard, type InferboardDashboard } from 'inferboard';",
      "import { sloRules, tritonAlerts, type RuleGroup } from 'inferboard/alerts';",
      "import { serviceLevelObjective, sloDashboard, type ServiceLevelObjective } from 'inferboard';",
      "export const alerts: RuleGroup = tritonAlerts({ job: 'team-triton' });",
      "const availability: ServiceLevelObjective = serviceLevelObjective({ name: 'team', objective: 99.5, indicator: { kind: 'availability' } });",
      'export const slo = [sloDashboard({ objectives: [availability] }), sloRules([availability])];',
      'const query: string = averageBatchSize({ profile: tritonMetrics }).expr;',
      "export const board: InferboardDashboard = dashboard({ uid: 'team', title: 'Team', folder: 'Team', panels: [batchSize(), latency({ quantiles: [0.99] })] });",
      "console.log(query.startsWith('(sum by(model)'));",
      'export default board;',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true },
    }),
  );
  const typecheck = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], {
    encoding: 'utf8',
  });
  assert.equal(typecheck.status, 0, typecheck.stdout + typecheck.stderr);

  // A type error in the consumer is caught by the shipped types.
  writeFileSync(join(project, 'wrong.ts'), "import { batchSize } from 'inferboard/panels';\nbatchSize({ width: 'wide' });\n");
  const wrong = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { encoding: 'utf8' });
  assert.notEqual(wrong.status, 0);
  assert.match(wrong.stdout, /wrong.ts.*'string' is not assignable to type 'number'/);
  execFileSync('rm', [join(project, 'wrong.ts')]);

  const build = spawnSync(join(project, 'node_modules/.bin/build-dashboards'), ['dashboards', '--out', 'grafana'], {
    cwd: project,
    encoding: 'utf8',
  });
  assert.equal(build.status, 0, build.stderr);
  assert.match(build.stdout, /true\nbuild-dashboards: 1 dashboards, 2 panels, 0 alert rules, 3 files written to grafana/);
  const json = JSON.parse(readFileSync(join(project, 'grafana/dashboards/Team/team.json'), 'utf8'));
  assert.deepEqual(
    json.panels.map((panel: { title: string }) => panel.title),
    ['Average batch size (inferences)', 'Request latency P99'],
  );
});

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const [firstExample = ''] = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);

test("projects of either module type build modules of every extension, the README's first example among them", () => {
  const modules: Record<string, string> = {
    'inference.ts': firstExample,
    'batcher.mts':
      "import { batcherDashboard } from 'inferboard';\nexport default batcherDashboard({ uid: 'b-mts', title: 'B mts', folder: 'Inference' });\n",
    'batcher.cts':
      "import { batcherDashboard } from 'inferboard';\nexport default batcherDashboard({ uid: 'b-cts', title: 'B cts', folder: 'Inference' });\n",
    'batcher.js':
      "import { batcherDashboard } from 'inferboard';\nexport default batcherDashboard({ uid: 'b-js', title: 'B js', folder: 'Inference' });\n",
    'batcher.mjs':
      "import { batcherDashboard } from 'inferboard';\nexport default batcherDashboard({ uid: 'b-mjs', title: 'B mjs', folder: 'Inference' });\n",
    'batcher.cjs':
      "const { batcherDashboard } = require('inferboard');\nmodule.exports = batcherDashboard({ uid: 'b-cjs', title: 'B cjs', folder: 'Inference' });\n",
  };
  // `npm init -y` (npm 11) writes "type": "commonjs"; older npm writes no type.
  for (const [name, type] of [
    ['npm-init', { type: 'commonjs' }],
    ['no-type', {}],
    ['esm', { type: 'module' }],
  ] as const) {
    const project = consumer(name, { name, version: '1.0.0', private: true, ...type });
    const init = spawnSync(join(project, 'node_modules/.bin/build-dashboards'), ['init'], { cwd: project, encoding: 'utf8' });
    assert.equal(init.status, 0, `${name}: ${init.stderr}`);
    assert.match(init.stdout, /^created +\.github\/workflows\/dashboards\.yml$/m, 'the installed package carries the workflow');
    for (const [file, text] of Object.entries(modules)) writeFileSync(join(project, 'dashboards', file), text);
    const build = spawnSync(join(project, 'node_modules/.bin/build-dashboards'), ['dashboards', '--out', 'grafana'], {
      cwd: project,
      encoding: 'utf8',
    });
    assert.equal(build.status, 0, `${name}: ${build.stderr}`);
    assert.match(build.stdout, /^build-dashboards: 7 dashboards, \d+ panels, 0 alert rules, 9 files written to grafana/, name);
    assert.equal(build.stderr, '', `${name}: no warnings`);
    assert.deepEqual(
      readdirSync(join(project, 'grafana/dashboards/Inference')).sort(),
      ['b-cjs.json', 'b-cts.json', 'b-js.json', 'b-mjs.json', 'b-mts.json', 'resnet50.json', 'triton-inference.json'],
      name,
    );
  }
});
