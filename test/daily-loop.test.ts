/**
 * The daily loop in a consumer's repository: `build-dashboards init` scaffolds it without
 * overwriting anything, the bare command reads the repository's own `dashboards/`, and
 * `--watch` rebuilds on every change, prints the summary or the error, keeps the last good
 * output through a broken module, and pushes each good build with `--push-to`.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { FakeGrafana } from './support/fakeGrafana.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/src/cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'inferboard-loop-'));
// Watched modules import `inferboard`: inside the repository it resolves to this package.
const inside = mkdtempSync(join(root, 'test', '.loop-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(inside, { recursive: true, force: true });
});

test('init scaffolds dashboards/, tsconfig.json, the scripts and the workflow, and keeps what exists', () => {
  const project = join(scratch, 'init');
  mkdirSync(project);
  const missing = spawnSync(process.execPath, [cli, 'init'], { cwd: project, encoding: 'utf8' });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^build-dashboards: .*package\.json: missing: run npm init first\n$/);

  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'team', type: 'commonjs', scripts: { dashboards: 'echo mine' }, devDependencies: { typescript: '^5.9.0' } }, null, 4)}\n`,
  );
  const first = spawnSync(process.execPath, [cli, 'init'], { cwd: project, encoding: 'utf8' });
  assert.equal(first.status, 0, first.stderr);
  assert.deepEqual(first.stdout.trim().split('\n'), [
    'created  dashboards/inference.ts',
    'created  tsconfig.json',
    'updated  package.json (scripts dashboards:check, dashboards:watch; kept scripts dashboards)',
    'created  .github/workflows/dashboards.yml',
    'build-dashboards: next, npm run dashboards builds dashboards/ into grafana/',
  ]);
  const packageText = readFileSync(join(project, 'package.json'), 'utf8');
  assert.match(packageText, /^{\n {4}"name"/, 'the indentation is kept');
  const scripts = JSON.parse(packageText).scripts;
  assert.equal(scripts.dashboards, 'echo mine', 'an existing script is kept');
  assert.equal(scripts['dashboards:watch'], 'build-dashboards dashboards --out grafana --watch');
  assert.equal(
    readFileSync(join(project, '.github/workflows/dashboards.yml'), 'utf8'),
    readFileSync(join(root, 'examples/github-workflow.yml'), 'utf8'),
  );
  const steps = (
    parse(readFileSync(join(project, '.github/workflows/dashboards.yml'), 'utf8')) as {
      jobs: { dashboards: { steps: { run?: string }[] } };
    }
  ).jobs.dashboards.steps.map((step) => step.run);
  assert.ok(steps.includes('npx tsc --noEmit'), 'the workflow type-checks');
  assert.deepEqual(JSON.parse(readFileSync(join(project, 'tsconfig.json'), 'utf8')).include, ['dashboards']);

  writeFileSync(join(project, 'dashboards/inference.ts'), '// mine\n');
  const again = spawnSync(process.execPath, [cli, 'init'], { cwd: project, encoding: 'utf8' });
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /^kept +dashboards\/inference\.ts \(exists\)$/m);
  assert.equal(readFileSync(join(project, 'dashboards/inference.ts'), 'utf8'), '// mine\n');
});

test("the bare command, lint and preview read the repository's dashboards/; without one they say what to do", () => {
  const project = join(inside, 'bare');
  mkdirSync(join(project, 'dashboards'), { recursive: true });
  writeFileSync(
    join(project, 'dashboards/team.ts'),
    "import { batcherDashboard } from 'inferboard';\nexport default batcherDashboard({ uid: 'team', title: 'Team' });\n",
  );
  const build = spawnSync(process.execPath, [cli], { cwd: project, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  assert.match(build.stdout, /^build-dashboards: 1 dashboards, \d+ panels, 0 alert rules, 3 files written to dist\/grafana/);
  const lint = spawnSync(process.execPath, [cli, 'lint'], { cwd: project, encoding: 'utf8' });
  assert.equal(lint.status, 0, lint.stderr);
  assert.match(lint.stdout, /1 dashboards and 0 rule groups check clean/);

  const bare = join(scratch, 'bare');
  mkdirSync(bare);
  for (const command of [[], ['lint'], ['preview'], ['diff', 'a', 'b']]) {
    const result = spawnSync(process.execPath, [cli, ...command], { cwd: bare, encoding: 'utf8' });
    assert.notEqual(result.status, 0, command.join(' '));
    assert.equal(
      result.stderr,
      'build-dashboards: no dashboards/ folder here: name the dashboard modules, or run build-dashboards init\n',
      command.join(' '),
    );
  }
});

/** Lines of a child's stdout and stderr, awaited one pattern at a time. */
function lines(child: ChildProcess) {
  let text = '';
  let waiting: { pattern: RegExp; resolve: () => void } | undefined;
  const check = () => {
    if (waiting && waiting.pattern.test(text)) {
      const { resolve } = waiting;
      waiting = undefined;
      resolve();
    }
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      check();
    });
  }
  return {
    text: () => text,
    /** Resolves once the output after `from` matches `pattern`. */
    until(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms in:\n${text}`)), timeoutMs);
        waiting = {
          pattern,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        check();
      });
    },
    clear() {
      text = '';
    },
  };
}

const module = (uid: string) =>
  `import { batcherDashboard } from 'inferboard';\nexport default batcherDashboard({ uid: '${uid}', title: '${uid}', folder: 'Team' });\n`;

test('--watch builds, rebuilds on a change, reports a broken module and keeps the last good output, and stops on Ctrl-C', async () => {
  const project = join(inside, 'watch');
  mkdirSync(join(project, 'dashboards'), { recursive: true });
  writeFileSync(join(project, 'dashboards/one.ts'), module('one'));
  const child = spawn(process.execPath, [cli, 'dashboards', '--out', 'grafana', '--watch'], { cwd: project });
  const output = lines(child);
  try {
    await output.until(/1 dashboards, \d+ panels, 0 alert rules, 3 files written to grafana[\s\S]*watching for changes/);
    output.clear();
    writeFileSync(join(project, 'dashboards/two.ts'), module('two'));
    await output.until(/2 dashboards, \d+ panels, 0 alert rules, 4 files written to grafana[\s\S]*watching for changes/);
    assert.deepEqual(readdirSync(join(project, 'grafana/dashboards/Team')).sort(), ['one.json', 'two.json']);

    output.clear();
    writeFileSync(join(project, 'dashboards/two.ts'), module('bad uid!'));
    await output.until(
      /build-dashboards: dashboards\/two\.ts.*uid "bad uid!" must be 1-40 characters[\s\S]*watching for changes/,
    );
    assert.deepEqual(
      readdirSync(join(project, 'grafana/dashboards/Team')).sort(),
      ['one.json', 'two.json'],
      'the last good output stays',
    );

    output.clear();
    writeFileSync(join(project, 'dashboards/two.ts'), module('three'));
    await output.until(/2 dashboards, .* written to grafana[\s\S]*watching for changes/);
    assert.deepEqual(readdirSync(join(project, 'grafana/dashboards/Team')).sort(), ['one.json', 'three.json']);
  } finally {
    child.kill('SIGINT');
  }
  const [status, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.on('close', (code, killed) => resolve([code, killed])),
  );
  assert.ok(status === 130 || signal === 'SIGINT', `stopped by Ctrl-C: ${status} ${signal}`);
});

test('--watch --push-to pushes every good build to a development Grafana', async () => {
  const token = 'glsa_dev_watch_0123456789abcdef';
  const grafana = new FakeGrafana(token, 'glsa_viewer_0000');
  const url = await grafana.start();
  const project = join(inside, 'push');
  mkdirSync(join(project, 'dashboards'), { recursive: true });
  writeFileSync(join(project, 'dashboards/one.ts'), module('one'));
  const child = spawn(process.execPath, [cli, 'dashboards', '--out', 'grafana', '--watch', '--push-to', url], {
    cwd: project,
    env: { ...process.env, GRAFANA_TOKEN: token },
  });
  const output = lines(child);
  try {
    await output.until(/created +one "one" in folder "Team"[\s\S]*watching for changes/);
    assert.ok(grafana.dashboards.has('one'));
    writeFileSync(join(project, 'dashboards/two.ts'), module('two'));
    await output.until(/unchanged +one[\s\S]*created +two[\s\S]*watching for changes/);
    assert.ok(grafana.dashboards.has('two'));
    assert.ok(!output.text().includes(token), 'the token is never printed');
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.on('close', resolve));
    await grafana.stop();
  }
  assert.ok(existsSync(join(project, 'grafana/dashboards/Team/two.json')));
  const refused = spawnSync(process.execPath, [cli, 'dashboards', '--push-to', url], { cwd: project, encoding: 'utf8' });
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /--push-to needs --watch/);
});
