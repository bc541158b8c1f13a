/**
 * The Prometheus engines every evaluating test runs on: Debian bookworm's 2.42 and the newest
 * Debian suite's 3.x, extracted by scripts/prometheus-engines.sh into a cache folder.
 * `INFERBOARD_PROMETHEUS_ENGINES` (folders holding `promtool` and `prometheus`, `:`-separated)
 * overrides where they are looked for.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';

/** One Prometheus release: its binaries and how its ingestion writes `le` and `quantile` values. */
export interface Engine {
  /** `Prometheus 2.42.0`, for test names. */
  readonly name: string;
  readonly major: number;
  readonly promtool: string;
  readonly prometheus: string;
  /**
   * A bucket bound or quantile as this engine stores it after a scrape: Prometheus 3 normalizes
   * them to floats (`le="1"` is stored as `le="1.0"`), Prometheus 2 keeps the exposed text.
   */
  bound(exposed: string): string;
}

function cacheFolder(): string {
  return (
    process.env.INFERBOARD_PROMETHEUS_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'inferboard', 'prometheus')
  );
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64) with ".0" added to integers: Prometheus 3's label normalization. */
export function openMetricsFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  const exponent = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
  let text: string;
  if (exponent < -4 || exponent >= 21) {
    const [mantissa, power = '0'] = value.toExponential().split('e');
    const digits = power.replace(/^[+-]/, '');
    text = `${mantissa}e${power.startsWith('-') ? '-' : '+'}${digits.padStart(2, '0')}`;
  } else {
    text = String(value);
  }
  return /[e.]/.test(text) ? text : `${text}.0`;
}

function engineAt(folder: string): Engine {
  const promtool = join(folder, 'promtool');
  const run = spawnSync(promtool, ['--version'], { encoding: 'utf8' });
  const version = /version (\d+)\.(\d+)\.(\d+)/.exec(`${run.stdout}${run.stderr}`);
  if (run.status !== 0 || !version) throw new Error(`${promtool} --version failed: ${run.error?.message ?? run.stderr}`);
  const major = Number(version[1]);
  return {
    name: `Prometheus ${version[1]}.${version[2]}.${version[3]}`,
    major,
    promtool,
    prometheus: join(folder, 'prometheus'),
    bound: (exposed) =>
      major >= 3 && /^[-+]?[0-9.]+([eE][-+]?\d+)?$/.test(exposed) ? openMetricsFloat(Number(exposed)) : exposed,
  };
}

function findEngines(): Engine[] {
  const listed = process.env.INFERBOARD_PROMETHEUS_ENGINES;
  const folders = listed
    ? listed.split(':').filter((folder) => folder !== '')
    : ['bookworm', 'sid'].map((suite) => join(cacheFolder(), suite, 'usr', 'bin'));
  const missing = folders.filter((folder) => !existsSync(join(folder, 'promtool')) || !existsSync(join(folder, 'prometheus')));
  if (missing.length > 0) {
    throw new Error(`no Prometheus engine in ${missing.join(', ')}: run scripts/prometheus-engines.sh (npm test does)`);
  }
  const found = folders.map(engineAt).sort((a, b) => a.major - b.major);
  if (!listed && (found[0]?.major !== 2 || found.at(-1)?.major !== 3)) {
    throw new Error(`the tests need Prometheus 2 and 3; found ${found.map((engine) => engine.name).join(', ')}`);
  }
  return found;
}

/** Every engine, oldest first. */
export const engines: readonly Engine[] = findEngines();

/** Registers `name` once per engine, the engine's name appended. */
export function testOnEngines(name: string, body: (engine: Engine, context: TestContext) => void | Promise<void>): void {
  for (const engine of engines) test(`${name} (${engine.name})`, (context) => body(engine, context));
}
