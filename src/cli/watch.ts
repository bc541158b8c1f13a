/**
 * `build-dashboards --watch`: a build now and after every change to the inputs, each in a
 * fresh process (a module changed on disk must be imported anew, and Node caches modules).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { watch as chokidarWatch } from 'chokidar';

/** One step of a round: the command's arguments after the CLI's path. */
export type Step = readonly string[];

/** Options of {@link watchInputs}. */
export interface WatchOptions {
  /** Files and folders to watch; folders with what is inside them. */
  readonly paths: readonly string[];
  /** Folders whose changes never start a build (the output). */
  readonly ignored: readonly string[];
  /** The CLI to run each step with. */
  readonly cli: string;
  /** The steps of a round, run in order while each succeeds: the build, then a push. */
  readonly steps: readonly Step[];
  /** Quiet time after a change before a round starts. Default 150 ms. */
  readonly debounceMs?: number;
  readonly log: (line: string) => void;
}

/** Runs one step; resolves with its exit status. Its output goes where ours does. */
function run(cli: string, step: Step): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [cli, ...step], { stdio: 'inherit' });
    child.on('close', (status) => done(status ?? 1));
  });
}

/** Builds now and after each change until SIGINT or SIGTERM, which end it with 128 + the signal's number. */
export async function watchInputs(options: WatchOptions): Promise<never> {
  const ignored = options.ignored.map((path) => resolve(path));
  const isIgnored = (path: string) => {
    const absolute = resolve(path);
    return (
      /(^|[/\\])(node_modules|\.git)([/\\]|$)/.test(absolute) ||
      ignored.some((folder) => absolute === folder || absolute.startsWith(`${folder}/`))
    );
  };
  let running = false;
  let pending = false;
  let timer: NodeJS.Timeout | undefined;
  const round = async (): Promise<void> => {
    if (running) {
      pending = true;
      return;
    }
    running = true;
    for (const step of options.steps) if ((await run(options.cli, step)) !== 0) break;
    running = false;
    if (pending) {
      pending = false;
      return round();
    }
    options.log('build-dashboards: watching for changes (Ctrl-C stops)');
  };
  const watcher = chokidarWatch([...options.paths], { ignoreInitial: true, ignored: isIgnored });
  watcher.on('all', (event, path) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      options.log(`build-dashboards: ${path} ${event === 'unlink' ? 'removed' : 'changed'}; building`);
      void round();
    }, options.debounceMs ?? 150);
  });
  await new Promise<void>((ready) => watcher.once('ready', () => ready()));
  await round();
  return new Promise<never>(() => {
    const stop = (signal: NodeJS.Signals) => {
      void watcher.close().then(() => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)));
    };
    process.once('SIGINT', stop).once('SIGTERM', stop);
  });
}
