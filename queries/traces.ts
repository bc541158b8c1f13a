/**
 * TraceQL over a server's request spans in Tempo. The spans' `service.name` is the server's
 * Prometheus job, as OpenTelemetry's conventions map them (`job` = `service.name`), so the
 * dashboard's `$job` selects both; the model is a span attribute.
 */
import { profileOf, resolveLabel } from './selectors.js';
import type { MetricsProfile } from './profile.js';
import { templateVariables } from './variables.js';

/** Options of the trace queries. */
export interface TraceQueryOptions {
  /** The server whose spans these are. Default Triton. */
  readonly profile?: MetricsProfile;
  /** The span attribute naming the model. Default the profile's `spanModelAttribute`, else `span.model`. */
  readonly modelAttribute?: string;
  /** Filter by the dashboard variables `$job` (the service) and `$model`. Default `true`. */
  readonly templateVariables?: boolean;
}

/** TraceQL's duration of `milliseconds`: `500ms`, `2s`. */
function duration(milliseconds: number): string {
  if (!Number.isFinite(milliseconds) || milliseconds < 0)
    throw new Error(`minimum duration ${milliseconds} ms is not a duration`);
  return milliseconds % 1000 === 0 && milliseconds > 0 ? `${milliseconds / 1000}s` : `${milliseconds}ms`;
}

/**
 * The requests of the selected service and model that took at least `minDurationMs`: `{
 * resource.service.name=~"$job" && span.model_name=~"$model" && duration >= 500ms }` (the model
 * where the profile has a model label, so the dashboard a `$model` variable).
 */
export function slowTracesQuery(options: TraceQueryOptions & { readonly minDurationMs?: number } = {}): string {
  const profile = profileOf(options);
  const conditions: string[] = [];
  if (options.templateVariables !== false) {
    conditions.push(`resource.service.name=~"$${templateVariables.job}"`);
    if (resolveLabel(profile, 'model') !== undefined)
      conditions.push(`${options.modelAttribute ?? profile.spanModelAttribute ?? 'span.model'}=~"$${templateVariables.model}"`);
  } else {
    conditions.push(`resource.service.name="${profile.defaultJob ?? profile.id}"`);
  }
  conditions.push(`duration >= ${duration(options.minDurationMs ?? 500)}`);
  return `{ ${conditions.join(' && ')} }`;
}
