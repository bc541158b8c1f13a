/**
 * Delivery through Grafana's HTTP API: each dashboard saved into its folder with a service
 * account token, through the legacy API or Grafana 12/13's resource API, never overwriting a
 * dashboard someone changed in Grafana since the last push.
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { toDashboardV2 } from '../build/dashboardV2.js';
import { folderUidFor } from '../build/folderUid.js';
import type { DashboardApi, Plan, PushAction, PushedDashboard } from './api.js';
import { call, checkAccess, marker, PushError, type HttpOptions } from './http.js';
import { legacyApi } from './legacyApi.js';
import { resourceApi, resourceVersions, servedVersions, dashboardGroup } from './resourceApi.js';

export { PushError } from './http.js';
export { folderUidFor } from '../build/folderUid.js';
export type { PushAction } from './api.js';

/** Options of {@link pushDashboards}. */
export interface PushOptions extends HttpOptions {
  /**
   * Folder to save every dashboard into. Default: each dashboard's own `folder`, found by title
   * or created with {@link folderUidFor}'s uid; a dashboard without one goes to the root.
   */
  readonly folderUid?: string;
  /** Version message. Default `inferboard push`; it always starts with `inferboard`, which marks our versions. */
  readonly message?: string;
  /** Overwrite dashboards changed in Grafana since the last push. Default `false`. */
  readonly force?: boolean;
  /** Only read and plan; save nothing. Default `false`. */
  readonly dryRun?: boolean;
  /**
   * `legacy`: `/api/dashboards/db`. `resources`: `/apis/dashboard.grafana.app` (Grafana 12 and
   * later). `auto` (default): the resource API where Grafana serves its stable version of the
   * schema pushed (Grafana 13), else the legacy API, and the resource API for each dashboard
   * the legacy API answers 406 for (stored as v2).
   */
  readonly api?: 'auto' | 'legacy' | 'resources';
  /** The resource API's namespace: `default` (org 1, the default), `org-<id>`, `stacks-<id>` on Grafana Cloud. */
  readonly namespace?: string;
  /** `v1` (default): classic dashboards. `v2`: `dashboard.grafana.app/v2` specs, through the resource API. */
  readonly schema?: 'v1' | 'v2';
}

/** A dashboard to push, and the title of the Grafana folder it belongs in (none: the root). */
export interface PushDashboard {
  readonly json: grafana.Dashboard;
  readonly folder?: string;
}

/** The Grafana folder a dashboard went (or would go) into. */
export interface PushFolder {
  readonly title: string;
  readonly uid: string;
  /** Whether this push created it (with `dryRun`: would create it). */
  readonly created: boolean;
}

/** What happened (or, with `dryRun`, would happen) to one dashboard. */
export interface PushOutcome {
  readonly uid: string;
  readonly title: string;
  readonly action: PushAction;
  /** Grafana's version after the save. */
  readonly version?: number;
  /** Where it was saved; absent for the root folder or `folderUid`. */
  readonly folder?: PushFolder;
  /** Why it failed, one line; absent on success. */
  readonly error?: string;
}

interface FolderEntry {
  readonly uid: string;
  readonly title: string;
}

function isFolderEntry(value: unknown): value is FolderEntry {
  return typeof (value as FolderEntry)?.uid === 'string' && typeof (value as FolderEntry)?.title === 'string';
}

/** Grafana's folders, every page of `GET /api/folders` (1,000 a page). */
async function listFolders(options: PushOptions): Promise<FolderEntry[]> {
  const folders: FolderEntry[] = [];
  for (let page = 1; ; page += 1) {
    const answer = await call(options, 'GET', `api/folders?limit=1000&page=${page}`);
    checkAccess(answer, 'folders');
    const list: unknown = answer.body;
    if (answer.status !== 200 || !Array.isArray(list))
      throw new PushError(`folders: GET /api/folders answered ${answer.status} (${answer.shown}), not a list of folders`);
    folders.push(...list.filter(isFolderEntry));
    if (list.length < 1000) return folders;
  }
}

/**
 * The folder titled `title`: the one with {@link folderUidFor}'s uid, else one with that title,
 * else a new one with that uid (with `dryRun`, the one that would be created).
 */
async function findOrCreateFolder(options: PushOptions, title: string): Promise<PushFolder> {
  const uid = folderUidFor(title);
  const own = await call(options, 'GET', `api/folders/${encodeURIComponent(uid)}`);
  checkAccess(own, `folder "${title}"`);
  if (own.status === 200 && isFolderEntry(own.body)) return { title, uid, created: false };
  if (own.status !== 404)
    throw new PushError(`folder "${title}": GET /api/folders/${uid} answered ${own.status} (${own.shown}), not a folder`);
  const named = (await listFolders(options)).find((folder) => folder.title === title);
  if (named) return { title, uid: named.uid, created: false };
  if (options.dryRun) return { title, uid, created: true };
  const answer = await call(options, 'POST', 'api/folders', { uid, title });
  checkAccess(answer, `folder "${title}"`);
  if (answer.status === 200 && isFolderEntry(answer.body)) return { title, uid: answer.body.uid, created: true };
  throw new PushError(
    `folder "${title}": creating it answered ${answer.status} ${answer.body.message ?? ''} (${answer.shown})`.replace(/ +/g, ' '),
  );
}

/** The APIs a push uses: the first for every dashboard, the second for those the first cannot hold (406). */
interface Apis {
  readonly primary: DashboardApi;
  readonly fallback?: DashboardApi;
}

/** Which API (and which version of the resource API) to push through, from `options.api` and API discovery. */
async function chooseApis(options: PushOptions): Promise<Apis> {
  const api = options.api ?? 'auto';
  const schema = options.schema ?? 'v1';
  const namespace = options.namespace ?? 'default';
  if (api === 'legacy') {
    if (schema === 'v2') throw new PushError('--api legacy takes classic dashboards only: push v2 with --api resources or auto');
    return { primary: legacyApi(options) };
  }
  const served = await servedVersions(options);
  const version = resourceVersions[schema].find((candidate) => served.includes(candidate));
  const listed = served.length > 0 ? `${dashboardGroup} ${served.join(', ')}` : `no ${dashboardGroup} API`;
  if (schema === 'v2' && !version)
    throw new PushError(`Grafana serves ${listed}: v2 dashboards need its stable v2 (Grafana 13); push --schema v1`);
  if (!version) {
    if (api === 'resources') throw new PushError(`Grafana serves ${listed} (Grafana 12 and later do): push with --api legacy`);
    return { primary: legacyApi(options) };
  }
  const resources = resourceApi(options, version, namespace);
  // Grafana 12's v1beta1 may keep no readable history: its legacy API stays the first choice there.
  if (api === 'auto' && schema === 'v1' && version !== 'v1') return { primary: legacyApi(options), fallback: resources };
  options.log?.(`Grafana serves ${listed}: pushing through ${resources.name}`);
  return { primary: resources };
}

/** The plan of one dashboard, from the API that can hold it. */
async function planWith(apis: Apis, dashboard: PushedDashboard, force: boolean): Promise<{ api: DashboardApi; plan: Plan }> {
  const plan = await apis.primary.plan(dashboard, force);
  if (plan) return { api: apis.primary, plan };
  const stored = 'Grafana stores it as a v2 dashboard (406 on the legacy API)';
  if (!apis.fallback) return { api: apis.primary, plan: { action: 'conflict', reason: `${stored}: push with --api resources` } };
  const resourcePlan = await apis.fallback.plan(dashboard, force);
  return { api: apis.fallback, plan: resourcePlan ?? { action: 'conflict', reason: stored } };
}

/**
 * Pushes each dashboard into its folder (found by title or created, once per title): creates
 * missing dashboards, updates ours (optimistic locking on the version Grafana holds), leaves
 * equal ones alone, and refuses ones changed in Grafana unless `force`. Returns one outcome per
 * dashboard; throws {@link PushError} when nothing can work.
 */
export async function pushDashboards(dashboards: readonly PushDashboard[], options: PushOptions): Promise<PushOutcome[]> {
  // A header cannot hold a line break; the token is not quoted, even here.
  if (/[\r\n]/.test(options.token)) throw new PushError('GRAFANA_TOKEN holds a line break: a token is one line');
  const force = options.force ?? false;
  const apis = await chooseApis(options);
  const outcomes: PushOutcome[] = [];
  const message = options.message ? `${marker}: ${options.message}` : `${marker} push`;
  const folders = new Map<string, PushFolder>();
  for (const { json, folder: folderTitle } of dashboards) {
    const uid = json.uid as string;
    const title = json.title ?? uid;
    let folder: PushFolder | undefined;
    if (options.folderUid === undefined && folderTitle !== undefined) {
      folder = folders.get(folderTitle) ?? (await findOrCreateFolder(options, folderTitle));
      // Reported as created once, with the first dashboard saved into it.
      folders.set(folderTitle, { ...folder, created: false });
    }
    const pushed: PushedDashboard = {
      uid,
      spec: (options.schema === 'v2' ? toDashboardV2(json).spec : json) as unknown as Record<string, unknown>,
      folderUid: options.folderUid ?? folder?.uid ?? '',
    };
    const { api, plan } = await planWith(apis, pushed, force);
    const { action, version, reason } = plan;
    const where = folder ? { folder } : {};
    if (options.dryRun || action === 'unchanged' || action === 'conflict') {
      outcomes.push({
        uid,
        title,
        action,
        ...where,
        ...(version !== undefined ? { version } : {}),
        ...(action === 'conflict' ? { error: reason } : {}),
      });
      continue;
    }
    const saved = await api.save(pushed, plan, message, force);
    outcomes.push({ uid, title, action, ...where, ...saved });
  }
  return outcomes;
}

/** `create  triton-inference  "Triton Inference Server"`, one line per outcome. */
export function formatOutcome(outcome: PushOutcome, dryRun: boolean): string {
  const verbs: Record<PushAction, string> = dryRun
    ? { create: 'would create', update: 'would update', unchanged: 'unchanged', conflict: 'conflict' }
    : { create: 'created', update: 'updated', unchanged: 'unchanged', conflict: 'conflict' };
  const verb = outcome.error && outcome.action !== 'conflict' ? 'failed' : verbs[outcome.action];
  const version = outcome.version !== undefined && !outcome.error ? ` (version ${outcome.version})` : '';
  const { folder } = outcome;
  const created = dryRun ? 'would be created' : 'created';
  const where = folder ? ` in folder "${folder.title}"${folder.created ? ` (${created}, uid ${folder.uid})` : ''}` : '';
  return `${verb.padEnd(12)} ${outcome.uid} "${outcome.title}"${where}${version}${outcome.error ? `: ${outcome.error}` : ''}`;
}
