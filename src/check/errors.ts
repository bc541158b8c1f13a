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
