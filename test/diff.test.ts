/**
 * `build-dashboards diff`: per-dashboard, per-panel reports between two built folders or two
 * git refs, noise ignored, in terminal and Markdown formats, with an exit code that tells
 * whether anything changed.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dashboard, errorRate, latency, requestRate, type InferboardDashboard } from '../src/index.js';
import { diffTrees, formatTerminal } from '../src/review/diff.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/src/cli.js');

function run(args: string[], cwd = root, env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Builds a fixture into a fresh folder. */
function built(fixture: string): string {
  const out = join(mkdtempSync(join(tmpdir(), 'inferboard-diff-test-')), 'grafana');
  const result = run([`test/fixtures/diff/${fixture}.ts`, '--out', out]);
  assert.equal(result.status, 0, result.stderr);
  return out;
}

const base = built('base');
const head = built('head');

test('a changed dashboard reads per panel: changed, moved, renamed, added, removed, with queries before and after', () => {
  const result = run(['diff', base, head]);
  assert.equal(result.status, 1, result.stderr);
  assert.equal(result.stdout.includes('\u001b['), false, 'no colour when stdout is not a terminal');
  const lines = result.stdout.split('\n');
  assert.equal(lines[0], '~ dashboard "Review" (review) changed');
  assert.ok(lines.includes('  ~ panel "Request rate" (timeseries) changed'));
  assert.ok(lines.includes('      unit: reqps -> rps'));
  assert.ok(lines.includes('      thresholds: (none) -> green, red from 100'));
  assert.ok(lines.includes('  > panel "GPU utilization" (gauge) moved'));
  assert.ok(lines.includes('      layout: x=12 y=10 w=12 h=8 -> x=12 y=1 w=12 h=8'));
  assert.ok(lines.includes('      title: Request latency P50 / P95 -> Request latency P50 / P99'));
  assert.ok(
    lines.includes(
      '      query B: …e_request_summary_us{quantile=[-"0.95"-]{+"0.99"+},job=~"$job",instance=~"$insta… (in the top 10 by model ranking)',
    ),
    'the changed token, marked, in a short excerpt',
  );
  assert.ok(
    lines.every((line) => line.length < 200),
    'no 900-character lines',
  );
  assert.ok(lines.includes('      legend B: {{model}} P95 -> {{model}} P99'));
  assert.ok(lines.includes('  + panel "Average batch size (inferences)" (timeseries) added'));
  assert.ok(lines.includes('  - panel "Error rate" (timeseries) removed'));
  assert.equal(lines.at(-2), '1 dashboard changed (2 panels changed, 1 panel added, 1 panel removed, 1 panel moved)');
});

test('the Markdown format is a PR comment with the marked edit of each query', () => {
  const result = run(['diff', base, head, '--format', 'markdown']);
  assert.equal(result.status, 1);
  const text = result.stdout;
  assert.ok(text.startsWith('### inferboard dashboard diff\n\n**1 dashboard changed'));
  assert.match(text, /^#### ~ Dashboard "Review" \(`review`\): changed$/m);
  assert.match(text, /^- \*\*~ panel "Request rate" \(timeseries\)\*\*: changed$/m);
  assert.match(text, /^ {2}- unit: `reqps` → `rps`$/m);
  assert.match(
    text,
    /^ {2}- query B: `…e_request_summary_us\{quantile=\[-"0\.95"-\]\{\+"0\.99"\+\},job=~"\$job",instance=~"\$insta…` \(in the top 10 by model ranking\)$/m,
  );
});

test('ids, versions and key order are noise: a reordered copy with ids has no changes (exit 0)', () => {
  const file = join(base, 'dashboards/Team/review.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { panels: Record<string, unknown>[] };
  const reversed = (value: Record<string, unknown>) => Object.fromEntries(Object.entries(value).reverse());
  const noisy = reversed({
    ...json,
    id: 42,
    version: 17,
    panels: json.panels.map((panel, index) => reversed({ ...panel, id: 100 + index })),
  });
  const copy = join(mkdtempSync(join(tmpdir(), 'inferboard-diff-test-')), 'grafana');
  mkdirSync(join(copy, 'dashboards/Team'), { recursive: true });
  writeFileSync(join(copy, 'dashboards/Team/review.json'), JSON.stringify(noisy));
  const result = run(['diff', base, copy]);
  assert.equal(result.stdout, 'no changes\n');
  assert.equal(result.status, 0);
});

test('--color paints the terminal format; a side that is neither a folder nor a ref exits 2', () => {
  const coloured = run(['diff', base, head, '--color']);
  /* eslint-disable no-control-regex -- ANSI colour codes are what is asserted */
  assert.match(coloured.stdout, /\u001b\[33m~ dashboard "Review" \(review\) changed\u001b\[0m/);
  assert.match(coloured.stdout, /quantile=\u001b\[31m\[-"0\.95"-\]\u001b\[0m\u001b\[32m\{\+"0\.99"\+\}\u001b\[0m,/);
  /* eslint-enable no-control-regex */
  const missing = run(['diff', base, 'no-such-ref-or-folder']);
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, 'build-dashboards: no-such-ref-or-folder: neither a folder nor a git ref of this repository\n');
});

test('two git refs are built in temporary worktrees and compared; the worktrees are removed', () => {
  // A consumer repository: its dashboards import inferboard from node_modules.
  const repository = mkdtempSync(join(tmpdir(), 'inferboard-consumer-git-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repository, encoding: 'utf8' });
  git('init', '--quiet');
  git('config', 'user.email', 'ci@example.com');
  git('config', 'user.name', 'CI');
  writeFileSync(join(repository, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
  writeFileSync(join(repository, '.gitignore'), 'node_modules\n');
  mkdirSync(join(repository, 'node_modules'));
  symlinkSync(root, join(repository, 'node_modules/inferboard'), 'dir');
  mkdirSync(join(repository, 'dashboards'));
  const module = (fixture: string) => readFileSync(join(root, `test/fixtures/diff/${fixture}.ts`), 'utf8');
  writeFileSync(join(repository, 'dashboards/review.ts'), module('base'));
  git('add', '.');
  git('commit', '--quiet', '-m', 'base');
  writeFileSync(join(repository, 'dashboards/review.ts'), module('head'));
  git('commit', '--quiet', '-am', 'head');
  const result = run(['diff', 'HEAD~1', 'HEAD', '--inputs', 'dashboards', '--format', 'markdown'], repository);
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stdout, /\*\*1 dashboard changed \(2 panels changed, 1 panel added, 1 panel removed, 1 panel moved\)\*\*/);
  assert.equal(run(['diff', 'HEAD', 'HEAD', '--inputs', 'dashboards'], repository).stdout, 'no changes\n');
  assert.equal(git('worktree', 'list').trim().split('\n').length, 1, 'temporary worktrees are removed');
});

test('a side that is not a build output fails with exit 2 and one line naming the file and what is wrong', () => {
  const examples = join(mkdtempSync(join(tmpdir(), 'inferboard-diff-test-')), 'grafana');
  assert.equal(run(['--out', examples]).status, 0);
  const rules = readdirSync(join(examples, 'prometheus/rules')).map((file) => `prometheus/rules/${file}`);
  const dashboard = readdirSync(join(examples, 'dashboards'), { recursive: true, encoding: 'utf8' }).find((file) =>
    file.endsWith('.json'),
  );
  assert.ok(rules[0] && dashboard, 'the examples build has a rule file and a dashboard');
  const cases: [string, string, RegExp][] = [
    [`dashboards/${dashboard}`, 'null\n', /: not a dashboard \(a JSON object\), but null$/],
    [`dashboards/${dashboard}`, '[1]\n', /: not a dashboard \(a JSON object\), but an array$/],
    [`dashboards/${dashboard}`, '{"title": 5}\n', /: title is a number, not a string$/],
    [`dashboards/${dashboard}`, '{"title": "T", "uid": 7}\n', /: uid is a number, not a string$/],
    [`dashboards/${dashboard}`, '{bad\n', /: not JSON \(/],
    [rules[0], 'groups: [ {\n', /: not YAML \(/],
    [rules[0], 'groups: 5\n', /: groups is a number, not a list of rule groups$/],
    [rules[0], 'groups: [{ name: x, rules: 3 }]\n', /: groups\[0\] is not a rule group \(a name and a list of rules\)$/],
  ];
  for (const [path, content, message] of cases) {
    const broken = join(mkdtempSync(join(tmpdir(), 'inferboard-diff-broken-')), 'grafana');
    execFileSync('cp', ['-r', examples, broken]);
    writeFileSync(join(broken, path), content);
    const result = run(['diff', examples, broken]);
    assert.equal(result.status, 2, `${path} ${content}: ${result.stdout}`);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.ok(lines[0]?.startsWith(`build-dashboards: ${broken}/${path}: `), lines[0]);
    assert.match(lines[0] ?? '', message);
  }
});

/** Two trees of one dashboard each, built in this process, as the build writes them. */
function trees(before: InferboardDashboard, after: InferboardDashboard) {
  const tree = (dashboard: InferboardDashboard) =>
    new Map([[`dashboards/Team/${dashboard.uid}.json`, `${JSON.stringify(dashboard.build(), null, 2)}\n`]]);
  return diffTrees(tree(before), tree(after));
}

test('removing a quantile reads "query C removed", once, without its legend and fields', () => {
  const three = dashboard({ uid: 'q', title: 'Q', panels: [latency({ quantiles: [0.5, 0.95, 0.99] })] });
  const two = dashboard({ uid: 'q', title: 'Q', panels: [latency({ quantiles: [0.5, 0.95] })] });
  const output = formatTerminal(trees(three, two), false);
  assert.match(output, /^ {6}query C removed$/m);
  assert.doesNotMatch(output, /legend C|target C/);
  assert.match(
    formatTerminal(trees(two, three), false),
    /^ {6}query C added: \(max by\(model\) \(\(nv_inference_request_summary_us\{quantile="0\.99",/m,
  );
});

test('the same edit in several panels is shown once, the others pointing to it; a ranking change is one line', () => {
  const before = dashboard({ uid: 'w', title: 'W', panels: [requestRate(), errorRate()] });
  const after = dashboard({ uid: 'w', title: 'W', panels: [requestRate({ window: '5m' }), errorRate({ window: '5m' })] });
  const lines = formatTerminal(trees(before, after), false).split('\n');
  const edited = lines.filter((line) => line.includes('[-$__rate_interval-]{+5m+}'));
  assert.equal(edited.length, 1, lines.join('\n'));
  assert.match(edited[0]!, /^ {6}query A: …/);
  assert.ok(
    lines.includes(
      '        the same edit in 2 more: panel "Request rate" (timeseries) query B, panel "Error rate" (timeseries) query A',
    ),
  );
  assert.ok(lines.includes('      query B: the same edit as panel "Request rate" (timeseries) query A'));
  assert.ok(lines.includes('      query A: the same edit as panel "Request rate" (timeseries) query A'));

  const ranked = formatTerminal(
    trees(before, dashboard({ uid: 'w', title: 'W', panels: [requestRate({ topSeries: 5 }), errorRate()] })),
    false,
  );
  assert.match(ranked, /^ {6}query A: \(the same query\)\n {8}ranking: top 10 by model -> top 5 by model$/m);
});

test("README's sample output is what diff prints for test/fixtures/diff", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('**Diff.**'), readme.indexOf('**Push.**'));
  const sample = /```\n([\s\S]*?)```/.exec(section)?.[1];
  assert.equal(run(['diff', base, head]).stdout, sample);
});
