/**
 * One side of a diff: a built output folder, or a git ref built in a temporary worktree.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { buildTree } from '../build/build.js';
import { listFiles } from '../build/output.js';
import { BuildError } from '../check/errors.js';

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Every file of a built folder, by relative path. */
export async function readTree(folder: string): Promise<Map<string, string>> {
  const files = await listFiles(folder);
  return new Map(files.map((file) => [file, readFileSync(join(folder, file), 'utf8')]));
}

/**
 * The tree of `side`: read from the folder if one exists at that path, else `side` is a git
 * ref of the repository around the working directory, checked out in a temporary worktree
 * and built from `inputs` (paths relative to the working directory) with the installed
 * dependencies, which the worktree borrows.
 */
export async function treeOf(side: string, inputs: readonly string[]): Promise<Map<string, string>> {
  if (existsSync(side) && statSync(side).isDirectory()) return readTree(side);
  const cwd = process.cwd();
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], cwd);
    git(['rev-parse', '--verify', '--quiet', `${side}^{commit}`], cwd);
  } catch {
    throw new BuildError(`${side}: neither a folder nor a git ref of this repository`);
  }
  const worktree = mkdtempSync(join(tmpdir(), 'inferboard-diff-'));
  try {
    git(['worktree', 'add', '--detach', '--force', worktree, side], top);
    // The ref is built with what is installed here: modules import inferboard from node_modules.
    for (const borrowed of ['node_modules', ...(isInferboardItself(top) ? ['dist'] : [])]) {
      if (existsSync(join(top, borrowed)) && !existsSync(join(worktree, borrowed)))
        symlinkSync(join(top, borrowed), join(worktree, borrowed), 'dir');
    }
    const prefix = relative(top, cwd);
    const result = await buildTree(inputs.map((input) => resolve(worktree, prefix, input)));
    return result.files;
  } catch (error) {
    throw new BuildError(`${side}: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    try {
      git(['worktree', 'remove', '--force', worktree], top);
    } catch {
      rmSync(worktree, { recursive: true, force: true });
    }
  }
}

/** This repository builds its own examples against its own `dist/` (a package self-reference). */
function isInferboardItself(top: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(top, 'package.json'), 'utf8')) as { name?: string }).name === 'inferboard';
  } catch {
    return false;
  }
}
