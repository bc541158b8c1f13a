/**
 * `build-dashboards init`: inferboard in an existing repository, never overwriting a file: a
 * first dashboard module, a tsconfig.json that type-checks it, package scripts and the CI
 * workflow (the package's `examples/github-workflow.yml`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const firstDashboard = `// Each module in this folder exports a dashboard, a rule group, or an array of them (inferboard).
// npm run dashboards builds them into grafana/; npm run dashboards:watch rebuilds on every change.
import { tritonAlerts, tritonDashboard } from 'inferboard';

export default [tritonDashboard({ folder: 'Inference' }), tritonAlerts()];
`;

/** How a consuming repository type-checks its dashboard modules: what init writes, and the import test reads. */
export const consumerCompilerOptions = {
  strict: true,
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  target: 'ES2022',
  noEmit: true,
  skipLibCheck: true,
} as const;

const tsconfig = { compilerOptions: consumerCompilerOptions, include: ['dashboards'] };

/** The scripts init adds where the name is free. */
export const initScripts: Readonly<Record<string, string>> = {
  dashboards: 'build-dashboards dashboards --out grafana',
  'dashboards:check': 'tsc --noEmit && build-dashboards dashboards --out grafana --check',
  'dashboards:watch': 'build-dashboards dashboards --out grafana --watch',
};

/** What init did with one file. */
export interface InitStep {
  readonly path: string;
  readonly action: 'created' | 'updated' | 'kept';
  readonly note?: string;
}

/** Writes `path` unless it exists. */
function create(root: string, path: string, content: string): InitStep {
  const file = join(root, path);
  if (existsSync(file)) return { path, action: 'kept', note: 'exists' };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  return { path, action: 'created' };
}

/**
 * Scaffolds `root` (a folder with a package.json): `dashboards/inference.ts` where `dashboards/`
 * holds no module yet, `tsconfig.json`, the package scripts and `.github/workflows/dashboards.yml`.
 * Throws when there is no package.json.
 */
export function initRepository(root: string, workflow: string): InitStep[] {
  const packagePath = join(root, 'package.json');
  let packageJson: { scripts?: Record<string, string>; dependencies?: object; devDependencies?: object };
  try {
    packageJson = JSON.parse(readFileSync(packagePath, 'utf8')) as typeof packageJson;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(`${packagePath}: ${missing ? 'missing: run npm init first' : `not JSON (${(error as Error).message})`}`, {
      cause: error,
    });
  }
  const steps = [
    create(root, 'dashboards/inference.ts', firstDashboard),
    create(root, 'tsconfig.json', `${JSON.stringify(tsconfig, null, 2)}\n`),
  ];
  const scripts = { ...packageJson.scripts };
  const added = Object.entries(initScripts).filter(([name]) => !(name in scripts));
  for (const [name, command] of added) scripts[name] = command;
  const kept = Object.keys(initScripts).filter((name) => !added.some(([addedName]) => addedName === name));
  if (added.length > 0) {
    const indent = /\n( +|\t)"/.exec(readFileSync(packagePath, 'utf8'))?.[1] ?? '  ';
    writeFileSync(packagePath, `${JSON.stringify({ ...packageJson, scripts }, null, indent)}\n`);
  }
  steps.push({
    path: 'package.json',
    action: added.length > 0 ? 'updated' : 'kept',
    note: [
      added.length > 0 ? `scripts ${added.map(([name]) => name).join(', ')}` : '',
      kept.length > 0 ? `kept scripts ${kept.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  });
  steps.push(create(root, '.github/workflows/dashboards.yml', workflow));
  const typescript = { ...packageJson.dependencies, ...packageJson.devDependencies } as Record<string, unknown>;
  if (!('typescript' in typescript))
    steps.push({ path: 'package.json', action: 'kept', note: 'no typescript: run npm install --save-dev typescript' });
  return steps;
}
