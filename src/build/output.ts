/**
 * Writing and checking the output tree, in place: Grafana and Prometheus mount its folders
 * (examples/docker-compose.yml), so folders are never swapped or removed under them. Each
 * changed file is written beside its target under a name no provider loads, and renamed over
 * it when the whole build has passed; stale files go last. docs/design.md, "The output tree".
 */
import { readdirSync, renameSync, rmdirSync, unlinkSync } from 'node:fs';
import { chmod, link, lstat, mkdir, readdir, readFile, realpath, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileWriterData, FileWriterMessage, FileWriterReply } from './fileWriter.js';
import { mountedFolders, providerFile } from './provisioning.js';

/** The lock a build holds on its output folder; other builds into the folder fail while it is held. */
export const lockFile = '.inferboard.lock';
/** How a build's temporary files end: `.<name>.<pid>.inferboard-tmp`, loaded by no provider. */
const temporaryPattern = /^\..+\.\d+\.inferboard-tmp$/;
/** The lock's content, written by build `pid` before it is linked into place: `.inferboard.lock.<pid>`. */
const lockCandidatePattern = /^\.inferboard\.lock\.(\d+)$/;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Whether a file is a build's own: its lock, or a temporary file a killed build left. */
function isWorkingFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return path === lockFile || temporaryPattern.test(name) || lockCandidatePattern.test(name);
}

type Entry = { isFile(): boolean; parentPath: string; name: string };
function relativeFiles(root: string, entries: readonly Entry[]): string[] {
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

async function allFiles(root: string): Promise<string[]> {
  return relativeFiles(root, await readdir(root, { recursive: true, withFileTypes: true }));
}

function allFilesSync(root: string): string[] {
  return relativeFiles(root, readdirSync(root, { recursive: true, withFileTypes: true }));
}

/** Every file below `root` but a build's lock and temporary files, as sorted `/`-separated relative paths. */
export async function listFiles(root: string): Promise<string[]> {
  return (await allFiles(root)).filter((path) => !isWorkingFile(path));
}

/**
 * The modes of what a build makes: the umask's, but never closed to other users, since
 * Grafana and Prometheus often run as users of their own.
 */
export function outputModes(umask: number): { readonly file: number; readonly folder: number } {
  return { file: (0o666 & ~umask) | 0o644, folder: (0o777 & ~umask) | 0o755 };
}

/** A tree being written beside its output; nothing is visible until {@link StagedTree.commit}. */
export interface StagedTree {
  /** Queues one file (a `/`-separated path relative to the tree) for the writer thread. */
  add(path: string, content: string): void;
  /**
   * Waits for every file, then renames each changed one over its target and removes the files
   * and folders the tree no longer has; throws the first write error, having changed nothing.
   */
  commit(): Promise<void>;
  /**
   * Throws the written files away and releases the output; it stays as it was. Resolves to
   * `false` when there was nothing to throw away: the tree was committed or discarded already.
   */
  discard(): Promise<boolean>;
}

const fileWriterModule = new URL('./fileWriter.js', import.meta.url);

/** The folder a build writes into: `out`, or where `out` points when it is a symlink. */
async function outputFolder(out: string): Promise<string> {
  const target = resolve(out);
  const link = await lstat(target).catch(() => undefined);
  if (!link?.isSymbolicLink()) return target;
  return realpath(target).catch(() => {
    throw new Error(`${out}: a symlink to a folder that does not exist`);
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the output's lock: a file linked into place whole, so it is never seen empty. A lock
 * whose build is gone (killed) is taken over; a live one fails this build, naming it.
 */
async function takeLock(out: string, target: string, fileMode: number): Promise<() => void> {
  const path = join(target, lockFile);
  const mine = join(target, `${lockFile}.${process.pid}`);
  await writeFile(mine, `${JSON.stringify({ pid: process.pid, host: hostname() })}\n`, { mode: fileMode });
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await link(mine, path);
        return () => unlinkSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      }
      const holder = await readFile(path, 'utf8').then(
        (text) => JSON.parse(text) as { pid: number; host: string },
        () => undefined,
      );
      if (holder && (holder.host !== hostname() || isAlive(holder.pid))) {
        const who = holder.host === hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
        throw new Error(
          `${out}: another build-dashboards (${who}) is writing into it; wait for it to finish (or remove ${lockFile} there if none runs)`,
        );
      }
      await rm(path, { force: true });
    }
  } finally {
    await rm(mine, { force: true });
  }
}

/** Removes what a killed build left: its temporary files (a live build's lock candidate stays). */
async function removeLeftovers(target: string): Promise<void> {
  for (const path of await allFiles(target)) {
    if (!isWorkingFile(path) || path === lockFile) continue;
    const candidate = lockCandidatePattern.exec(path);
    if (candidate && isAlive(Number(candidate[1]))) continue;
    await unlink(join(target, path));
  }
}

/** Removes the folders of `folders` that are empty, deepest first, but never `keep`'s. */
function removeEmptyFolders(folders: Iterable<string>, keep: ReadonlySet<string>): void {
  const deepestFirst = [...new Set(folders)].sort((a, b) => b.length - a.length);
  for (const folder of deepestFirst) {
    if (keep.has(folder)) continue;
    try {
      rmdirSync(folder);
    } catch {
      // Not empty, busy (a mount point) or gone: it stays.
    }
  }
}

/**
 * Starts writing a tree into `out` (a symlink is followed). Refuses a non-empty folder that is
 * not a previous output (no provider file), so a mistyped `--out .` cannot delete a project,
 * and a folder another build is writing into. The files are written by a thread of their own
 * while the caller builds the rest; files that did not change are not touched.
 */
export async function stageTree(out: string, umask = process.umask()): Promise<StagedTree> {
  const modes = outputModes(umask);
  const target = await outputFolder(out);
  const existing = await stat(target).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new Error(`${out}: not a folder`);
  if (existing) {
    const own = (await listFiles(target)).length === 0 || (await exists(join(target, providerFile)));
    if (!own) throw new Error(`${out}: refusing to replace a folder that build-dashboards did not write (no ${providerFile})`);
  }
  // The first folder this made, if any: discarding removes it again, so a failed build leaves no trace.
  const created = await mkdir(target, { recursive: true, mode: modes.folder });
  for (let folder = target; created !== undefined && folder.length >= created.length; folder = dirname(folder)) {
    await chmod(folder, modes.folder);
  }
  // An output an older build made with mode 700: opened up, or a grafana service user could not read it.
  const { mode } = await stat(target);
  if ((mode & 0o755) !== 0o755) await chmod(target, mode | 0o755);
  let releaseLock: () => void;
  try {
    releaseLock = await takeLock(out, target, modes.file);
  } catch (error) {
    if (created !== undefined) await rm(created, { recursive: true, force: true });
    throw error;
  }
  await removeLeftovers(target);
  const fileWriter: FileWriterData = {
    root: target,
    folders: mountedFolders,
    temporarySuffix: `.${process.pid}.inferboard-tmp`,
    fileMode: modes.file,
    folderMode: modes.folder,
  };
  const writer = new Worker(fileWriterModule, { workerData: { fileWriter } });
  // Unreferenced until the tree is complete, so a tree never committed or discarded cannot keep the process alive.
  writer.unref();
  const reply = new Promise<FileWriterReply>((settle) => {
    const failed = (error: string) => settle({ error, written: [], madeFolders: [] });
    writer.once('message', settle);
    writer.once('error', (error) => failed(error.message));
    writer.once('exit', (code) => failed(`the file writer thread stopped (exit code ${code})`));
  });
  const paths = new Set<string>();
  let finished: Promise<FileWriterReply> | undefined;
  let state: 'writing' | 'discarded' | 'committed' = 'writing';
  const finish = (): Promise<FileWriterReply> => {
    if (!finished) {
      writer.ref();
      writer.postMessage(null satisfies FileWriterMessage);
      finished = reply.finally(() => writer.terminate());
    }
    return finished;
  };
  const discard = async (): Promise<boolean> => {
    if (state !== 'writing') return false;
    state = 'discarded';
    const { written, madeFolders } = await finish();
    for (const [temporary] of written) await rm(temporary, { force: true });
    removeEmptyFolders(madeFolders, new Set());
    releaseLock();
    if (created !== undefined) await rm(created, { recursive: true, force: true });
    return true;
  };
  return {
    add(path, content) {
      paths.add(path);
      writer.postMessage([path, content] satisfies FileWriterMessage);
    },
    async commit() {
      const { error, written } = await finish();
      if (state === 'discarded') throw new Error(`${out}: the build was stopped; nothing was written`);
      if (error !== undefined) {
        await discard();
        throw new Error(error);
      }
      // Synchronous from here on, so no signal handler runs between two renames.
      state = 'committed';
      for (const [temporary, file] of written) renameSync(temporary, file);
      const stale = allFilesSync(target).filter((path) => !isWorkingFile(path) && !paths.has(path));
      for (const path of stale) unlinkSync(join(target, path));
      const keep = new Set([target, ...mountedFolders.map((folder) => join(target, folder))]);
      removeEmptyFolders(
        stale.map((path) => dirname(join(target, path))),
        keep,
      );
      releaseLock();
    },
    discard,
  };
}
/** Replaces `out` with exactly `files`, as {@link stageTree} does. */
export async function writeTree(out: string, files: ReadonlyMap<string, string>): Promise<void> {
  const staged = await stageTree(out);
  for (const [path, content] of files) staged.add(path, content);
  await staged.commit();
}

/** One difference between the built files and the output folder. */
export interface Difference {
  readonly path: string;
  readonly kind: 'missing' | 'stale' | 'extra';
}

/** What `writeTree(out, files)` would change; empty when `out` is up to date. */
export async function checkTree(out: string, files: ReadonlyMap<string, string>): Promise<Difference[]> {
  const present = (await exists(out)) ? await listFiles(out) : [];
  const differences: Difference[] = [];
  for (const [path, content] of files) {
    if (!present.includes(path)) differences.push({ path, kind: 'missing' });
    else if ((await readFile(join(out, path), 'utf8')) !== content) differences.push({ path, kind: 'stale' });
  }
  for (const path of present) if (!files.has(path)) differences.push({ path, kind: 'extra' });
  return differences.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
