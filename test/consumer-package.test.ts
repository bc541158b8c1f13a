/**
 * Another repository installs the packed package and uses it with types: the exports map,
 * the .d.ts files and the build-dashboards bin.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;

test('a consumer project installs the tarball, type-checks imports and runs build-dashboards', () => {
  const work = mkdtempSync(join(tmpdir(), 'inferboard-consumer-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' }),
  ) as { filename: string; files: { path: string }[] }[];
  const files = packed[0]?.files.map((file) => file.path) ?? [];
  assert.ok(files.includes('dist/panels/index.d.ts') && files.includes('dist/src/cli.js'), 'types and bin are packed');
  assert.ok(
    files.includes('dist/alerts/index.d.ts') &&
      files.includes('dist/schema/grafana.schema.json') &&
      files.includes('dist/schema/validators.cjs'),
    'alerts, schemas and compiled validators are packed',
  );
  assert.ok(
    !files.some((file) => file.startsWith('dist/grafana') || file.startsWith('test/')),
    'no build output or tests packed',
  );

  const project = join(work, 'consumer');
  execFileSync('mkdir', ['-p', join(project, 'dashboards')]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, packed[0]?.filename ?? '')], {
    cwd: project,
    stdio: 'pipe',
  });
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
