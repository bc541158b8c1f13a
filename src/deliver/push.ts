/**
 * Delivery through Grafana's HTTP API (the Docker walk-through): `POST /api/dashboards/db` with a service
 * account token, never overwriting a dashboard someone changed in the UI since the last push.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * A deep copy holding only what JSON keeps (no functions, no undefined): what Grafana answers
 * with compares equal to it, at a fraction of a JSON round trip's time.
 */
function plainCopy<T>(value: T): T {
  if (Array.isArray(value))
    return value.map((item) => (item === undefined || typeof item === 'function' ? null : plainCopy(item))) as T;
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined && typeof item !== 'function') copy[key] = plainCopy(item);
  }
  return copy as T;
}

/** Options of {@link pushDashboards}. */
export interface PushOptions {
  /** Grafana's base URL, e.g. `https://grafana.example.com`. */
  readonly url: string;
  /** A service account token; sent as `Authorization: Bearer`, never printed. */
  readonly token: string;
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
  /** Per request. Default 10,000 ms. */
  readonly timeoutMs?: number;
  /** Retries of 5xx answers, connection resets and refused connections. Default 3. */
  readonly retries?: number;
  /** First backoff; doubles each retry. Default 500 ms. */
  readonly retryDelayMs?: number;
  /** Where progress lines go. Default: nowhere. */
  readonly log?: (line: string) => void;
}

export type PushAction = 'create' | 'update' | 'unchanged' | 'conflict';

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

/** A failure that stops the whole push (bad token, no permission, Grafana unreachable). */
export class PushError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushError';
  }
}

const marker = 'inferboard';

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown> & { message?: string; status?: string };
  /** Whether the body was JSON, as every answer of Grafana's API is. */
  readonly json: boolean;
  /** The content type and the start of the body, for errors. */
  readonly shown: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `text` with the token cut out: a proxy may echo the Authorization header into its answer. */
function redact(text: string, token: string): string {
  return token === '' ? text : text.split(token).join('[token]');
}

/** What came back, for an error: the content type and the start of the body, token cut out. */
function describeBody(contentType: string | null, text: string): string {
  const start = text.replace(/\s+/g, ' ').trim().slice(0, 60);
  return `${contentType ?? 'no content type'}${start ? `: ${JSON.stringify(start)}` : ', empty'}`;
}

function isReset(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return ['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ECONNREFUSED'].includes(cause?.code ?? '');
}

/** One API call with timeout and retries; throws {@link PushError} for what no retry fixes. */
async function call(options: PushOptions, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
  const url = new URL(path, options.url.endsWith('/') ? options.url : `${options.url}/`);
  const retries = options.retries ?? 3;
  const timeoutMs = options.timeoutMs ?? 10_000;
  for (let attempt = 0; ; attempt += 1) {
    let answer: Answer | undefined;
    let failure: string | undefined;
    try {
      const response = await fetch(url, {
        method,
        headers: {
          Authorization: `Bearer ${options.token}`,
          Accept: 'application/json',
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Everything read from the server is redacted before anything else sees it.
      const text = redact(await response.text(), options.token);
      let parsed: Answer['body'] = {};
      let json = true;
      try {
        parsed = text ? (JSON.parse(text) as Answer['body']) : {};
        if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
      } catch {
        json = false;
        parsed = { message: text.slice(0, 200) };
      }
      answer = { status: response.status, body: parsed, json, shown: describeBody(response.headers.get('content-type'), text) };
      if (response.status < 500) return answer;
      failure = `${response.status} ${parsed.message ?? response.statusText}`;
    } catch (error) {
      if ((error as Error).name === 'TimeoutError')
        throw new PushError(`${method} ${url.pathname}: no answer within ${timeoutMs} ms`);
      if (!isReset(error)) throw new PushError(`${method} ${url.pathname}: ${redact((error as Error).message, options.token)}`);
      failure = `connection failed (${(error as { cause?: { code?: string } }).cause?.code})`;
    }
    if (attempt >= retries) throw new PushError(`${method} ${url.pathname}: ${failure} after ${retries + 1} attempts`);
    const delay = (options.retryDelayMs ?? 500) * 2 ** attempt;
    options.log?.(`  ${method} ${url.pathname}: ${failure}; retrying in ${delay} ms`);
    await sleep(delay);
  }
}

/** Errors that concern every dashboard alike: stop at once. */
function checkAccess(answer: Answer, what: string): void {
  if (answer.status === 401) throw new PushError(`${what}: 401 unauthorized: Grafana rejected the token in GRAFANA_TOKEN`);
  if (answer.status === 403) {
    throw new PushError(
      `${what}: 403 forbidden: the service account may not do this (it needs the Editor role, or dashboards:write on the folder)`,
    );
  }
}

/** The dashboard as compared: without the fields Grafana assigns. */
function comparable(json: grafana.Dashboard | Record<string, unknown>): Record<string, unknown> {
  const { id: _id, version: _version, ...rest } = json as Record<string, unknown>;
  return rest;
}

interface VersionEntry {
  readonly version: number;
  readonly message?: string;
  readonly createdBy?: string;
}

/**
 * The newest saved version of a dashboard, from `GET /api/dashboards/uid/:uid/versions`, or
 * why it cannot be read (the endpoint missing, 404, 406 for a dashboard stored as v2, an answer
 * that is not a list of versions).
 */
async function latestVersion(options: PushOptions, uid: string): Promise<VersionEntry | { unreadable: string }> {
  const answer = await call(options, 'GET', `api/dashboards/uid/${encodeURIComponent(uid)}/versions?limit=1`);
  checkAccess(answer, `dashboard ${uid}`);
  if (answer.status !== 200 || !answer.json) return { unreadable: `it answered ${answer.status} (${answer.shown})` };
  // Grafana 11 wraps the list in { versions }, older versions return the array itself.
  const list = Array.isArray(answer.body) ? answer.body : answer.body.versions;
  const versions = Array.isArray(list) ? (list as VersionEntry[]).filter((entry) => Number.isInteger(entry?.version)) : [];
  const newest = [...versions].sort((a, b) => b.version - a.version)[0];
  return newest ?? { unreadable: `it listed no versions (${answer.shown})` };
}

/**
 * The uid push gives a folder it creates: readable, derived from the title alone, so every
 * run on every machine finds the same folder. At most 40 characters, as Grafana requires.
 */
export function folderUidFor(title: string): string {
  const normalized = title.normalize('NFC');
  const slug = normalized
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 28)
    .replace(/-+$/, '');
  const hash = createHash('sha256').update(normalized).digest('hex').slice(0, 8);
  return `${slug || 'folder'}-${hash}`;
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

/** What pushing `json` into `folderUid` would do, from what Grafana holds now. */
async function plan(
  options: PushOptions,
  json: grafana.Dashboard,
  folderUid: string,
): Promise<{ action: PushAction; version?: number; reason?: string }> {
  const uid = json.uid as string;
  const answer = await call(options, 'GET', `api/dashboards/uid/${encodeURIComponent(uid)}`);
  checkAccess(answer, `dashboard ${uid}`);
  if (answer.status === 404) return { action: 'create' };
  if (answer.status !== 200)
    throw new PushError(`dashboard ${uid}: GET answered ${answer.status} ${answer.body.message ?? ''}`.trim());
  if (!answer.json || typeof answer.body.dashboard !== 'object') {
    throw new PushError(`dashboard ${uid}: GET answered 200 with what is not Grafana's API (${answer.shown}): check --url`);
  }
  const current = (answer.body.dashboard ?? {}) as Record<string, unknown>;
  const meta = (answer.body.meta ?? {}) as { version?: number; provisioned?: boolean; folderUid?: string };
  const version = (current.version as number | undefined) ?? meta.version;
  const sameFolder = (meta.folderUid ?? '') === folderUid;
  if (sameFolder && isDeepStrictEqual(comparable(current), comparable(plainCopy(json)))) return { action: 'unchanged', version };
  if (options.force) return { action: 'update', version };
  const latest = await latestVersion(options, uid);
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
      reason: `changed in Grafana${latest.createdBy ? ` by ${latest.createdBy}` : ''} since the last push (version ${latest.version}); --force overwrites`,
    };
  }
  return { action: 'update', version };
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

/**
 * Pushes each dashboard into its folder (found by title or created, once per title): creates
 * missing dashboards, updates ours (optimistic locking on the version Grafana holds), leaves
 * equal ones alone, and refuses ones changed in the UI unless `force`. Returns one outcome per
 * dashboard; throws {@link PushError} when nothing can work.
 */
export async function pushDashboards(dashboards: readonly PushDashboard[], options: PushOptions): Promise<PushOutcome[]> {
  // A header cannot hold a line break; the token is not quoted, even here.
  if (/[\r\n]/.test(options.token)) throw new PushError('GRAFANA_TOKEN holds a line break: a token is one line');
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
    const folderUid = options.folderUid ?? folder?.uid ?? '';
    const { action, version, reason } = await plan(options, json, folderUid);
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
    const dashboard = { ...json, id: null, ...(action === 'update' && !options.force ? { version } : {}) };
    const answer = await call(options, 'POST', 'api/dashboards/db', {
      dashboard,
      ...(folderUid ? { folderUid } : {}),
      message,
      overwrite: options.force ?? false,
    });
    checkAccess(answer, `dashboard ${uid}`);
    if (
      answer.status === 200 &&
      (!answer.json || !Number.isInteger(answer.body.version) || typeof answer.body.uid !== 'string')
    ) {
      outcomes.push({
        uid,
        title,
        action,
        ...where,
        error: `the save answered 200 with what is not Grafana's API (${answer.shown}), so nothing is known saved`,
      });
    } else if (answer.status === 200) {
      outcomes.push({ uid, title, action, ...where, version: answer.body.version as number });
    } else {
      outcomes.push({ uid, title, action, ...where, error: saveError(answer) });
    }
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
