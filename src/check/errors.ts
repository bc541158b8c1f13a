/**
 * The build's error: one line that says where (file, dashboard, panel, field) and what.
 */

/** A build error that says where: file, dashboard, panel. */
export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}

/** A name as messages quote it: JSON-quoted, cut to `length` characters with an ellipsis. */
export function quoted(text: string, length = 80): string {
  return JSON.stringify(text.length > length ? `${text.slice(0, length)}…` : text);
}
