/**
 * Grafana's limits, which panels and dashboards share: the grid, uids, titles, the schema
 * version Grafana saves without migrating. Every check of them reads this module.
 */

/** Grafana's grid width in columns. */
export const gridColumns = 24;

/** Longest dashboard or panel title Grafana accepts. */
export const maximumTitleLength = 5000;

/** The oldest dashboard schema version Grafana saves without migrating. */
export const minimumSchemaVersion = 39;

const uidPattern = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * Whether Grafana accepts a datasource reference's uid: a uid by the same rule as dashboards',
 * a template variable (`$datasource`, `${datasource}`), or one of its built-in datasources.
 */
export function isDatasourceUidAccepted(uid: string): boolean {
  return (
    uidPattern.test(uid) || /^\$(\w+|\{\w+\})$/.test(uid) || ['-- Grafana --', '-- Mixed --', '-- Dashboard --'].includes(uid)
  );
}

/** Checks a dashboard uid against Grafana's rules. */
export function checkUid(uid: string): string {
  if (!uidPattern.test(uid)) {
    throw new Error(`uid ${JSON.stringify(uid)} must be 1-40 characters of a-z, A-Z, 0-9, - and _`);
  }
  return uid;
}

/** Whether `title` is one Grafana saves: not blank, at most {@link maximumTitleLength} characters. */
export function isTitleAccepted(title: string): boolean {
  return /\S/.test(title) && title.length <= maximumTitleLength;
}
