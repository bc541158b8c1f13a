/**
 * Writing and checking the output tree. A build is staged in a sibling folder and swapped in
 * with renames, so Grafana's provisioning poller never sees a half-written tree and a failed
 * build leaves the previous one byte-identical.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileWriterData, FileWriterMessage, FileWriterReply } from './fileWriter.js';
import { providerFile } from './provisioning.js';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Every file below `root`, as sorted `/`-separated relative paths. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** A tree being written into a staging folder next to its output; nothing is visible until {@link StagedTree.commit}. */
export interface StagedTree {
  /** Queues one file (a `/`-separated path relative to the tree) for the writer thread. */
  add(path: string, content: string): void;
  /** Waits for every file, then swaps the staged tree in for the output; throws the first write error. */
  commit(): Promise<void>;
  /** Throws the staged files away; the output stays as it was. */
  discard(): Promise<void>;
}

const fileWriterModule = new URL('./fileWriter.js', import.meta.url);

/**
 * Starts writing a tree that will replace `out`: files that did not change are carried over
 * from the previous output as hard links rather than rewritten. Refuses a non-empty folder
 * that is not a previous output (no provider file), so a mistyped `--out .` cannot delete a
 * project. The files are written by a thread of their own while the caller builds the rest.
 */
export async function stageTree(out: string): Promise<StagedTree> {
  const target = resolve(out);
  const hadPrevious = await exists(target);
  if (hadPrevious && !(await exists(join(target, providerFile)))) {
    const contents = await readdir(target);
    if (contents.length > 0) {
      throw new Error(`${out}: refusing to replace a folder that build-dashboards did not write (no ${providerFile})`);
    }
  }
  const parent = dirname(target);
  // The first folder this made, if any: discarding removes it again, so a failed build leaves no trace.
  const created = await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, `.${basename(target)}.staging-`));
  const fileWriter: FileWriterData = { staging, previous: hadPrevious ? target : undefined };
  const writer = new Worker(fileWriterModule, { workerData: { fileWriter } });
  // Unreferenced until the tree is complete, so a tree never committed or discarded cannot keep the process alive.
  writer.unref();
  const reply = new Promise<FileWriterReply>((settle) => {
    writer.once('message', settle);
    writer.once('error', (error) => settle({ error: error.message }));
    writer.once('exit', (code) => settle({ error: `the file writer thread stopped (exit code ${code})` }));
  });
  let finished: Promise<FileWriterReply> | undefined;
  const finish = (): Promise<FileWriterReply> => {
    if (!finished) {
      writer.ref();
      writer.postMessage(null satisfies FileWriterMessage);
      finished = reply.finally(() => writer.terminate());
    }
    return finished;
  };
  const discard = async (): Promise<void> => {
    await finish();
    await rm(created ?? staging, { recursive: true, force: true });
  };
  return {
    add(path, content) {
      writer.postMessage([path, content] satisfies FileWriterMessage);
    },
    async commit() {
      const { error } = await finish();
      if (error !== undefined) {
        await discard();
        throw new Error(error);
      }
      const previous = `${staging}.previous`;
      if (hadPrevious) await rename(target, previous);
      try {
        await rename(staging, target);
      } catch (failure) {
        if (hadPrevious) await rename(previous, target);
        await discard();
        throw failure;
      }
      if (hadPrevious) await rm(previous, { recursive: true, force: true });
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
