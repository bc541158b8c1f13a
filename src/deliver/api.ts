/**
 * What push asks of either of Grafana's dashboard APIs (the legacy `/api/dashboards` and the
 * resource API `/apis/dashboard.grafana.app`): a plan from what Grafana holds, then the save.
 */
import { marker } from './http.js';

export type PushAction = 'create' | 'update' | 'unchanged' | 'conflict';

/** What pushing one dashboard would do. */
export interface Plan {
  readonly action: PushAction;
  /** The version Grafana holds (the resource API's `metadata.generation`). */
  readonly version?: number;
  /** Why it conflicts. */
  readonly reason?: string;
  /** What the save needs of the read: the legacy API's version, the resource API's resourceVersion. */
  readonly precondition?: number | string;
}

/** A save's outcome: the version after it, or why it failed (one line). */
export type Saved = { readonly version: number } | { readonly error: string };

/** One dashboard as pushed: its uid, and what the API carries (a classic dashboard or a v2 spec). */
export interface PushedDashboard {
  readonly uid: string;
  readonly spec: Record<string, unknown>;
  /** Folder uid; empty for the root. */
  readonly folderUid: string;
}

export interface DashboardApi {
  /** Shown in errors and the log: `the legacy API`, `the resource API (v2)`. */
  readonly name: string;
  /** What pushing `dashboard` would do; `undefined` when this API cannot hold it (406: stored as v2). */
  plan(dashboard: PushedDashboard, force: boolean): Promise<Plan | undefined>;
  save(dashboard: PushedDashboard, plan: Plan, message: string, force: boolean): Promise<Saved>;
}

/** The rule both APIs share: the newest version is ours when its message starts with inferboard's marker. */
export function changedElsewhere(
  latest: { message?: string; by?: string; version: number } | { unreadable: string },
  version: number | undefined,
): Plan {
  // Without a readable history, an edit in Grafana cannot be ruled out: refuse rather than lose it.
  if ('unreadable' in latest) {
    return {
      action: 'conflict',
      version,
      reason: `Grafana's version history cannot be read (${latest.unreadable}), so it may have been edited there; --force overwrites`,
    };
  }
  if (!(latest.message ?? '').startsWith(marker)) {
    return {
      action: 'conflict',
      version,
      reason: `changed in Grafana${latest.by ? ` by ${latest.by}` : ''} since the last push (version ${latest.version}); --force overwrites`,
    };
  }
  return { action: 'update', version };
}
