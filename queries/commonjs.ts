/**
 * CommonJS packages, loaded with require(). An ES module's import of CommonJS makes Node scan
 * each of the package's files for export names first: for promql-builder and the Foundation
 * SDK, about 60 ms of every build. Types are imported from the packages themselves.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A package's exports as plain properties: compiled CommonJS re-exports them as getters, which every call would run. */
export function loadCommonJs<T extends object>(module: string): T {
  return { ...(require(module) as T) };
}

export const promql = loadCommonJs<typeof import('@grafana/promql-builder')>('@grafana/promql-builder');
