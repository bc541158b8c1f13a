/**
 * The thread that writes a tree's changed files beside their targets (src/build/output.ts):
 * files arrive as messages while the build goes on, so writing a thousand files overlaps
 * building the next dashboards. Plain JavaScript: a worker thread's entry runs without tsx,
 * whose loader does not reach worker threads on Node 20.
 */
import { chmodSync, closeSync, fchmodSync, lstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/**
 * What the writer thread is given: the output folder, the folders it must have (relative), the
 * suffix of its temporary files, and the modes of the files and folders it makes.
 * @typedef {{ readonly root: string, readonly folders: readonly string[], readonly temporarySuffix: string, readonly fileMode: number, readonly folderMode: number }} FileWriterData
 */

/**
 * A message to the writer: a file to write (path relative to the tree, content), or `null`
 * when the tree is complete or abandoned.
 * @typedef {readonly [string, string] | null} FileWriterMessage
 */

/**
 * The writer's answer to `null`: the first error, if a file could not be written; the
 * temporary files written, each with the file it replaces; the folders it made, outermost first.
 * @typedef {{ readonly error?: string, readonly written: readonly (readonly [string, string])[], readonly madeFolders: readonly string[] }} FileWriterReply
 */

/**
 * Whether a file holds exactly `content`. Reads into two reused buffers, which keeps a
 * thousand comparisons off the JS heap.
 * @returns {(path: string, stats: import('node:fs').Stats | undefined, content: string) => boolean}
 */
function sameBytes() {
  let old = Buffer.alloc(0);
  let next = Buffer.alloc(0);
  return (path, stats, content) => {
    const size = Buffer.byteLength(content);
    if (!stats?.isFile() || stats.size !== size) return false;
    if (old.length < size) [old, next] = [Buffer.allocUnsafe(2 * size), Buffer.allocUnsafe(2 * size)];
    const descriptor = openSync(path, 'r');
    try {
      if (readSync(descriptor, old, 0, size, 0) !== size) return false;
    } finally {
      closeSync(descriptor);
    }
    next.write(content);
    return old.compare(next, 0, size, 0, size) === 0;
  };
}

/**
 * Writes a new file with `mode` exactly: `open`'s mode is narrowed by the umask, so it is set
 * again on the open file.
 * @param {string} path
 * @param {string} content
 * @param {number} mode
 */
function writeNew(path, content, mode) {
  const descriptor = openSync(path, 'wx', mode);
  try {
    fchmodSync(descriptor, mode);
    writeSync(descriptor, content);
  } finally {
    closeSync(descriptor);
  }
}

/**
 * Writes each changed file it is sent to a temporary file beside its target; a file that
 * already holds the content is left alone. After the first error it only drains the queue.
 * @param {FileWriterData} data
 */
function serve({ root, folders: required, temporarySuffix, fileMode, folderMode }) {
  const unchanged = sameBytes();
  const folders = new Set();
  const files = new Set();
  /** @type {string[]} */
  const madeFolders = [];
  /** @type {[string, string][]} */
  const written = [];
  /** @type {string | undefined} */
  let error;
  /** @param {string} folder */
  const makeFolder = (folder) => {
    const first = mkdirSync(folder, { recursive: true });
    if (first === undefined) return;
    // Every folder from the first one made down to `folder`, each given the tree's folder mode.
    const made = [first];
    for (const part of relative(first, folder).split(/[\\/]/).filter(Boolean)) made.push(join(made.at(-1) ?? first, part));
    for (const path of made) chmodSync(path, folderMode);
    madeFolders.push(...made);
  };
  try {
    for (const folder of required) makeFolder(join(root, folder));
  } catch (failure) {
    error = /** @type {Error} */ (failure).message;
  }
  parentPort?.on('message', (/** @type {FileWriterMessage} */ message) => {
    if (message === null) {
      parentPort?.postMessage(/** @type {FileWriterReply} */ ({ error, written, madeFolders }));
      return;
    }
    if (error !== undefined) return;
    const [path, content] = message;
    try {
      const target = join(root, path);
      const folder = dirname(target);
      // Caught here, not when renaming: one path as a file and a folder of the tree.
      if (folders.has(target) || files.has(folder)) throw new Error(`${path}: a file and a folder of the tree have one name`);
      files.add(target);
      if (!folders.has(folder)) makeFolder(folder);
      folders.add(folder);
      const stats = lstatSync(target, { throwIfNoEntry: false });
      if (unchanged(target, stats, content)) {
        // Written by an older build with a tighter mode: opened up, as the files of this one are.
        if (stats && (stats.mode & 0o644) !== 0o644) chmodSync(target, stats.mode | 0o644);
        return;
      }
      const temporary = join(folder, `.${basename(target)}${temporarySuffix}`);
      writeNew(temporary, content, fileMode);
      written.push([temporary, target]);
    } catch (failure) {
      error = /** @type {Error} */ (failure).message;
    }
  });
}

if (!isMainThread && workerData?.fileWriter) serve(workerData.fileWriter);
