/**
 * Grafana's legacy dashboard API (`GET /api/dashboards/uid/:uid`, `POST /api/dashboards/db`,
 * version history at `.../versions`), as Grafana 9-13 serve it: optimistic locking on the
 * dashboard's `version`, 412 when someone saved in between.
 */
import { isDeepStrictEqual } from 'node:util';
import { changedElsewhere, type DashboardApi, type Saved } from './api.js';
import { call, checkAccess, comparable, plainCopy, PushError, type Answer, type HttpOptions } from './http.js';

interface VersionEntry {
  readonly version: number;
  readonly message?: string;
  readonly createdBy?: string;
}

/**
 * The newest saved version of a dashboard, from `GET /api/dashboards/uid/:uid/versions`, or
 * why it cannot be read (the endpoint missing, 404, an answer that is not a list of versions).
 */
async function latestVersion(options: HttpOptions, uid: string): Promise<VersionEntry | { unreadable: string }> {
  const answer = await call(options, 'GET', `api/dashboards/uid/${encodeURIComponent(uid)}/versions?limit=1`);
  checkAccess(answer, `dashboard ${uid}`);
  if (answer.status !== 200 || !answer.json) return { unreadable: `it answered ${answer.status} (${answer.shown})` };
  // Grafana 11 wraps the list in { versions }, older versions return the array itself.
  const list = Array.isArray(answer.body) ? answer.body : answer.body.versions;
  const versions = Array.isArray(list) ? (list as VersionEntry[]).filter((entry) => Number.isInteger(entry?.version)) : [];
  const newest = [...versions].sort((a, b) => b.version - a.version)[0];
  return newest ?? { unreadable: `it listed no versions (${answer.shown})` };
}

/** Explains a failed save in one line. */
function saveError(answer: Answer): string {
  const message = answer.body.message ?? '';
  if (answer.status === 400 && /provisioned/i.test(message)) {
    return `400 ${message}: Grafana loads this dashboard from provisioning files; change those (build-dashboards output) or remove it from provisioning`;
  }
  if (answer.status === 412 && answer.body.status === 'version-mismatch') {
    return '412 version-mismatch: someone saved the dashboard during this push; run again, or --force to overwrite';
  }
  if (answer.status === 412 && answer.body.status === 'name-exists')
    return `412 name-exists: another dashboard in the folder has this title`;
  return `${answer.status} ${answer.body.status ? `${answer.body.status}: ` : ''}${message}`.trim();
}

/** The legacy API over `options`. */
export function legacyApi(options: HttpOptions): DashboardApi {
  return {
    name: 'the legacy API',
    async plan({ uid, spec, folderUid }, force) {
      const answer = await call(options, 'GET', `api/dashboards/uid/${encodeURIComponent(uid)}`);
      checkAccess(answer, `dashboard ${uid}`);
      if (answer.status === 404) return { action: 'create' };
      // Grafana 12/13 answer 406 for a dashboard stored as v2: only the resource API reads it.
      if (answer.status === 406) return undefined;
      if (answer.status !== 200)
        throw new PushError(`dashboard ${uid}: GET answered ${answer.status} ${answer.body.message ?? ''}`.trim());
      if (!answer.json || typeof answer.body.dashboard !== 'object') {
        throw new PushError(`dashboard ${uid}: GET answered 200 with what is not Grafana's API (${answer.shown}): check --url`);
      }
      const current = (answer.body.dashboard ?? {}) as Record<string, unknown>;
      const meta = (answer.body.meta ?? {}) as { version?: number; folderUid?: string };
      const version = (current.version as number | undefined) ?? meta.version;
      const sameFolder = (meta.folderUid ?? '') === folderUid;
      if (sameFolder && isDeepStrictEqual(comparable(current), comparable(plainCopy(spec))))
        return { action: 'unchanged', version };
      if (force) return { action: 'update', version };
      const latest = await latestVersion(options, uid);
      const plan = changedElsewhere(
        'unreadable' in latest ? latest : { version: latest.version, message: latest.message, by: latest.createdBy },
        version,
      );
      return { ...plan, ...(version !== undefined ? { precondition: version } : {}) };
    },
    async save({ uid, spec, folderUid }, plan, message, force): Promise<Saved> {
      const dashboard = { ...spec, id: null, ...(plan.action === 'update' && !force ? { version: plan.precondition } : {}) };
      const answer = await call(options, 'POST', 'api/dashboards/db', {
        dashboard,
        ...(folderUid ? { folderUid } : {}),
        message,
        overwrite: force,
      });
      checkAccess(answer, `dashboard ${uid}`);
      if (answer.status !== 200) return { error: saveError(answer) };
      if (!answer.json || !Number.isInteger(answer.body.version) || typeof answer.body.uid !== 'string')
        return { error: `the save answered 200 with what is not Grafana's API (${answer.shown}), so nothing is known saved` };
      return { version: answer.body.version as number };
    },
  };
}
