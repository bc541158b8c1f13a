/**
 * README stays true to the code: its example builds, and every PromQL it shows is emitted.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as panels from '../panels/index.js';
import { builtInProfiles, dcgmMetrics, vllmMetrics } from '../queries/index.js';

const root = new URL('..', import.meta.url).pathname;
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = (language: string) =>
  [...readme.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] ?? '');

test("the first screen's examples, Triton's and vLLM's, build with build-dashboards", () => {
  const [triton = '', vllm = ''] = blocks('ts');
  for (const example of [triton, vllm]) assert.ok(example.split('\n').length <= 12, 'the first examples stay short');
  assert.match(vllm, /^\/\/ dashboards\/llm\.ts/);
  // Inside the repository so that `inferboard` resolves to this package.
  const directory = mkdtempSync(join(root, 'test', '.readme-'));
  try {
    writeFileSync(join(directory, 'inference.ts'), triton);
    writeFileSync(join(directory, 'llm.ts'), vllm);
    const result = spawnSync(process.execPath, ['dist/src/cli.js', directory, '--out', join(directory, 'out')], {
      cwd: root,
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /4 dashboards, \d+ panels, 8 alert rules, 7 files/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('every PromQL block of the README is a query the panels emit', () => {
  const emitted = new Set<string>();
  const options = [{}, ...builtInProfiles.map((profile) => ({ profile })), { profile: dcgmMetrics, servedBy: vllmMetrics }];
  for (const build of Object.values(panels)) {
    for (const option of options) {
      try {
        const json = JSON.parse(
          JSON.stringify((build as (o: object) => { build(): unknown })({ ...option, templateVariables: false }).build()),
        );
        for (const target of json.targets ?? []) emitted.add(target.expr);
      } catch {
        // Not a panel, or a panel the profile cannot draw.
      }
    }
  }
  const shown = blocks('promql').map((block) => block.trim());
  assert.ok(shown.length >= 10);
  // Split time series keep their top 10 series (README says so once, above the catalog).
  const limited = [...emitted].map((expr) => /^\((.*)\) and on\([\w, ]+\) \(topk\(10, /.exec(expr)?.[1]);
  for (const expr of shown)
    assert.ok(emitted.has(expr) || limited.includes(expr), `README shows PromQL no panel emits:\n${expr}`);
});

test('"See it live" names only flags the batcher-service scripts take, with their defaults', () => {
  const section = readme.slice(readme.indexOf('## See it live'), readme.indexOf('## Alerts'));
  const sources = ['server', 'load', 'watch']
    .map((name) => readFileSync(join(root, 'examples/batcher-service', `${name}.ts`), 'utf8'))
    .join('\n');
  const defaultOf = (flag: string) => new RegExp(`'?${flag}'?: \\{ type: 'string', default: '([^']*)' \\}`).exec(sources)?.[1];
  const takes = (flag: string) => new RegExp(`'?${flag}'?: \\{ type: 'string'`).test(sources);
  const prometheusOrNode = new Set(['import', 'config', 'storage', 'enable-feature']);
  const flags = [...section.matchAll(/--([a-z][a-z-]*)/g)]
    .map(([, flag]) => flag ?? '')
    .filter((flag) => !prometheusOrNode.has(flag));
  assert.ok(flags.length >= 10);
  for (const flag of flags) assert.ok(takes(flag), `README names --${flag}, which no batcher-service script takes`);
  // Documented defaults are written `--flag value` in backticks.
  const documented = [...section.matchAll(/`--([a-z-]+) ([^`]+)`/g)];
  assert.ok(documented.length >= 8);
  for (const [, flag, value] of documented) assert.equal(defaultOf(flag ?? ''), value, `README's default of --${flag}`);
});

/** The options `build-dashboards [command] --help` lists. */
function helpOptions(command: string | undefined): Set<string> {
  const help = spawnSync(process.execPath, ['dist/src/cli.js', ...(command ? [command] : []), '--help'], {
    cwd: root,
    encoding: 'utf8',
  });
  return new Set([...help.stdout.matchAll(/^ +(?:-\w, )?(--[a-z][a-z-]*)/gm)].map(([, option]) => option ?? ''));
}

test('every build-dashboards command the README shows takes the options it names, as --help lists them', () => {
  const commands = [...readme.matchAll(/build-dashboards(?: (lint|diff|push|preview|import|init))?((?: +[^\n`#|]+)?)/g)];
  assert.ok(commands.length >= 20);
  const known = new Map<string | undefined, Set<string>>();
  for (const [, command, rest] of commands) {
    const options = known.get(command) ?? helpOptions(command);
    known.set(command, options);
    for (const [option] of (rest ?? '').matchAll(/--[a-z][a-z-]*/g)) {
      assert.ok(options.has(option), `README: build-dashboards ${command ?? ''} ${option} is not in its --help`);
    }
  }
});

test("the Kubernetes section's commands write objects for the first screen's dashboards", () => {
  const section = readme.slice(readme.indexOf('## Kubernetes'), readme.indexOf('## Grafana 12 and 13'));
  const commands = [...section.matchAll(/npx build-dashboards dashboards --out grafana (.+)/g)].map(([, args]) =>
    args!.split(' '),
  );
  assert.equal(commands.length, 2);
  const [triton = '', vllm = ''] = blocks('ts');
  const directory = mkdtempSync(join(root, 'test', '.readme-'));
  try {
    writeFileSync(join(directory, 'inference.ts'), triton);
    writeFileSync(join(directory, 'llm.ts'), vllm);
    const kinds = commands.map((args) => {
      const out = join(directory, 'out');
      const result = spawnSync(process.execPath, ['dist/src/cli.js', directory, '--out', out, ...args], {
        cwd: root,
        encoding: 'utf8',
      });
      assert.equal(result.status, 0, result.stderr);
      return readdirSync(join(out, 'kubernetes')).map((file) => file.split('-')[0]);
    });
    assert.deepEqual(new Set(kinds[0]), new Set(['configmap', 'prometheusrule', 'servicemonitor']));
    assert.deepEqual(new Set(kinds[1]), new Set(['grafanafolder', 'grafanadashboard', 'prometheusrule', 'servicemonitor']));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("the Logs and traces section's example builds a Logs and a Traces row and provisions Loki and Tempo", () => {
  const section = readme.slice(readme.indexOf('## Logs and traces'), readme.indexOf('## Queries and profiles'));
  const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  assert.match(example, /^\/\/ dashboards\/vllm\.ts/);
  const directory = mkdtempSync(join(root, 'test', '.readme-'));
  try {
    writeFileSync(join(directory, 'vllm.ts'), example);
    const out = join(directory, 'out');
    const result = spawnSync(process.execPath, ['dist/src/cli.js', directory, '--out', out], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const vllm = JSON.parse(readFileSync(join(out, 'dashboards/LLM/vllm.json'), 'utf8')) as {
      panels: { type: string; title: string }[];
    };
    const rows = vllm.panels.filter((panel) => panel.type === 'row').map((panel) => panel.title);
    assert.deepEqual(rows.slice(-2), ['Logs', 'Traces']);
    const datasources = readFileSync(join(out, 'provisioning/datasources/inferboard.yaml'), 'utf8');
    for (const uid of ['inferboard-prometheus', 'inferboard-loki', 'inferboard-tempo'])
      assert.match(datasources, new RegExp(`uid: ${uid}`));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
