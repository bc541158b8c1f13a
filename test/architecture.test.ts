/**
 * The layout shows the architecture, one way: queries/ -> panels/ -> alerts/ -> src/dashboards
 * -> src/check -> src/build -> src/review, src/deliver -> the entry points -> the CLI's parts -> the CLI. No module
 * imports one of a later layer or of a sibling folder of its own layer, and no import cycle exists.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;

/** Layers, lowest first; a module may import its own folder's modules and earlier layers'. */
const layers: readonly (readonly string[])[] = [
  ['queries'],
  ['panels'],
  ['alerts'],
  ['src/dashboards'],
  ['src/check'],
  ['src/build'],
  ['src/review', 'src/deliver', 'src/import'],
  ['src/index.ts', 'src/buildTool.ts'],
  ['src/cli'],
  ['src/cli.ts'],
];

function modulesIn(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return modulesIn(path);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The place of a module: its layer's index and the folder (or entry file) it belongs to. */
function placeOf(module: string): { layer: number; unit: string } {
  for (const [layer, units] of layers.entries()) {
    const unit = units.find((candidate) => module === candidate || module.startsWith(`${candidate}/`));
    if (unit) return { layer, unit };
  }
  throw new Error(`${module} belongs to no layer: add its folder to the layers of test/architecture.test.ts`);
}

/** The project modules `module` imports, statically or with import(). */
function importsOf(module: string): string[] {
  const text = readFileSync(join(root, module), 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)].map(
    (match) => match[1] ?? '',
  );
  return specifiers
    .map((specifier) => relative(root, resolve(dirname(join(root, module)), specifier)).replace(/\.js$/, '.ts'))
    .map((target) => (modules.includes(target) ? target : target.replace(/\.ts$/, '.js')));
}

const modules = [...['queries', 'panels', 'alerts', 'src'].flatMap(modulesIn)];
const graph = new Map(modules.map((module) => [module, importsOf(module)]));

test('every module belongs to a layer and imports only its own folder and earlier layers', () => {
  const wrong: string[] = [];
  for (const [module, targets] of graph) {
    const from = placeOf(module);
    for (const target of targets) {
      assert.ok(modules.includes(target), `${module} imports ${target}, which does not exist`);
      const to = placeOf(target);
      if (to.layer > from.layer || (to.layer === from.layer && to.unit !== from.unit)) wrong.push(`${module} -> ${target}`);
    }
  }
  assert.deepEqual(wrong, [], 'imports against the one-way flow');
});

test('no import cycle exists', () => {
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (module: string, path: string[]): void => {
    if (state.get(module) === 'done') return;
    if (state.get(module) === 'open') {
      cycles.push([...path.slice(path.indexOf(module)), module].join(' -> '));
      return;
    }
    state.set(module, 'open');
    for (const target of graph.get(module) ?? []) visit(target, [...path, module]);
    state.set(module, 'done');
  };
  for (const module of modules) visit(module, []);
  assert.deepEqual(cycles, []);
});

test('the rules read the real import graph', () => {
  // The rules above would pass on an empty graph: prove they read the real imports.
  assert.ok((graph.get('src/cli.ts') ?? []).some((target) => target.startsWith('src/build/')));
  assert.ok((graph.get('panels/common.ts') ?? []).includes('queries/index.ts'));
  assert.throws(() => placeOf('elsewhere/module.ts'), /belongs to no layer/);
});
