/**
 * @grafana/promql-builder, loaded with require(). It is a CommonJS package, and an ES module's
 * import of one makes Node scan each of its files for export names first: about 20 ms of every
 * build here. Import types from the package itself.
 */
import { createRequire } from 'node:module';

export const promql = createRequire(import.meta.url)('@grafana/promql-builder') as typeof import('@grafana/promql-builder');
