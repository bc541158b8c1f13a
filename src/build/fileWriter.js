/**
 * The thread that writes a staged tree (src/output.ts): files arrive as messages while the
 * build goes on, so creating a thousand files (slow on some file systems) overlaps building
 * and checking the next dashboards instead of following them. Plain JavaScript: a worker
 * thread's entry runs without tsx, whose loader does not reach worker threads on Node 20.
 */
import { closeSync, linkSync, lstatSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/**
 * What the writer thread is given: where to write, and the previous output to carry files over from.
 * @typedef {{ readonly staging: string, readonly previous: string | undefined }} FileWriterData
 */

/**
 * A message to the writer: a file to write (path relative to the tree, content), or `null`
 * when the tree is complete or abandoned.
 * @typedef {readonly [string, string] | null} FileWriterMessage
 */

/**
 * The writer's answer to `null`: the first error, if a file could not be written.
 * @typedef {{ readonly error?: string }} FileWriterReply
 */

/**
 * Puts files into a staged tree: a file whose previous version holds the same bytes becomes a
 * hard link to it, so it keeps its inode and modification time; any other is written. The
 * comparison reads into two reused buffers, which keeps a thousand comparisons off the JS heap.
 * @returns {(path: string, content: string, previous: string | undefined) => void}
 */
function filePlacer() {
  let old = Buffer.alloc(0);
  let next = Buffer.alloc(0);
  /** @type {(path: string, content: string) => boolean} */
  const holds = (path, content) => {
    const size = Buffer.byteLength(content);
    const stats = lstatSync(path, { throwIfNoEntry: false });
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
  return (path, content, previous) => {
    if (previous !== undefined && holds(previous, content)) {
      try {
        linkSync(previous, path);
        return;
      } catch {
        // A file system without hard links: write it.
      }
    }
    writeFileSync(path, content);
  };
}

/**
 * Writes each file it is sent into `staging`; after the first error it only drains the queue.
 * @param {FileWriterData} data
 */
function serve({ staging, previous }) {
  const place = filePlacer();
  const folders = new Set();
  /** @type {string | undefined} */
  let error;
  parentPort?.on('message', (/** @type {FileWriterMessage} */ message) => {
    if (message === null) {
      parentPort?.postMessage(/** @type {FileWriterReply} */ ({ error }));
      return;
    }
    if (error !== undefined) return;
    const [path, content] = message;
    try {
      const folder = dirname(join(staging, path));
      if (!folders.has(folder)) mkdirSync(folder, { recursive: true });
      folders.add(folder);
      place(join(staging, path), content, previous === undefined ? undefined : join(previous, path));
    } catch (failure) {
      error = /** @type {Error} */ (failure).message;
    }
  });
}

if (!isMainThread && workerData?.fileWriter) serve(workerData.fileWriter);
