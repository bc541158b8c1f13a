/** What is on disk in an output folder, every file included (hidden, temporary, locks). */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Every file below `root`, hidden ones too, as sorted `/`-separated relative paths. */
export function everyFile(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** Every file below `root` with its content. */
export function contents(root: string): Record<string, string> {
  return Object.fromEntries(everyFile(root).map((path) => [path, readFileSync(join(root, path), 'utf8')]));
}
