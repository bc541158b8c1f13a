/** Prometheus alerting rules built from the same query module as the panels. */
export * from './rule.js';
export { templateProblem } from './template.js';
export * from './defaults.js';
export * from './llm.js';
export * from './recording.js';
export * from './slo.js';
