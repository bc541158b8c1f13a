/**
 * A local HTTP server on 127.0.0.1 that follows Grafana's documented dashboard APIs, both of them
 * over one store, as Grafana 12/13 keep one:
 * - the legacy API, written against Grafana 11's HTTP API documentation: Bearer tokens (401
 *   unknown, 403 for a viewer's writes), GET /api/dashboards/uid/:uid, GET .../versions,
 *   POST /api/dashboards/db with version checks (412 version-mismatch), 400 for provisioned
 *   dashboards, 406 for a dashboard stored as v2 (Grafana 12/13), the folder API (GET
 *   /api/folders with limit and page, GET /api/folders/:uid, POST /api/folders, 409 for a uid
 *   or title taken);
 * - the resource API, written against Grafana 12.x/13.x's "New Dashboard APIs", "API structure"
 *   and "Resource history" pages: discovery at GET /apis/dashboard.grafana.app, GET, POST (201,
 *   409 AlreadyExists) and PUT (409 Conflict on a stale metadata.resourceVersion) of
 *   /apis/dashboard.grafana.app/<version>/namespaces/<namespace>/dashboards[/<uid>], Kubernetes
 *   Status bodies for errors, the grafana.app/folder, message, updatedBy and managedBy
 *   annotations, and the history list (labelSelector grafana.app/get-history=true, newest first).
 *   A dashboard read at the other schema's version is converted, as Grafana converts it.
 * Faults can be injected (500, connection reset, no answer, a proxy, a login page).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { fromDashboardV2, toDashboardV2, type DashboardResource } from '../../src/build/dashboardV2.js';

/**
 * `echo`: a proxy answering 502 with the request's Authorization header in its body; `login`: a
 * login page answering 200 with HTML, as a Grafana behind single sign-on does.
 */
export type Fault = '500' | 'reset' | 'hang' | 'echo' | 'login';

interface Stored {
  /** The classic dashboard, or the v2 spec when `storedAs` is `v2`. */
  dashboard: Record<string, unknown>;
  /** The legacy API's version, the resource API's metadata.generation. */
  version: number;
  provisioned: boolean;
  folderUid: string;
  history: { version: number; message: string; createdBy: string }[];
  /** The schema Grafana keeps it in. Default `v1`. */
  storedAs?: 'v1' | 'v2';
  /** What changes with every write. Default: set by the store. */
  resourceVersion?: number;
  /** Annotations of its resource, e.g. grafana.app/managedBy. */
  annotations?: Record<string, string>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly search: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown> | undefined;
}

const group = 'dashboard.grafana.app';
const familyOf = (version: string): 'v1' | 'v2' => (version.startsWith('v2') ? 'v2' : 'v1');

export class FakeGrafana {
  readonly dashboards = new Map<string, Stored>();
  /** Folders by uid: their titles. */
  readonly folders = new Map<string, string>();
  readonly requests: RecordedRequest[] = [];
  /** Consumed one per request, in order. */
  readonly faults: Fault[] = [];
  /** Answer 404 on the versions endpoint, as a Grafana without it does. Default `false`. */
  versionsMissing = false;
  /** The versions of dashboard.grafana.app served; none (the default) is a Grafana before 12. */
  servedVersions: string[] = [];
  /** Answer 400 to the resource history list, as a beta version may. Default `false`. */
  historyMissing = false;
  /** Runs between a push's GET and its save: someone saving in the UI meanwhile. */
  beforeNextSave: (() => void) | undefined;
  private server: Server | undefined;
  private writes = 100;

  constructor(
    readonly editorToken: string,
    readonly viewerToken: string,
  ) {}

  /** Listens on 127.0.0.1 at `port` (default: any free one); resolves with the base URL. */
  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Stores `stored` as a write would, with a fresh resourceVersion. */
  put(uid: string, stored: Stored): void {
    this.writes += 1;
    this.dashboards.set(uid, { ...stored, resourceVersion: this.writes });
  }

  /** A save through Grafana's UI by `user`: a new version with no inferboard message, kept as `storedAs`. */
  editInUi(uid: string, user = 'alice', storedAs: 'v1' | 'v2' = 'v1'): void {
    const stored = this.dashboards.get(uid)!;
    const version = stored.version + 1;
    const dashboard =
      storedAs === 'v2'
        ? { ...this.read(uid, stored, 'v2'), description: 'edited in the UI' }
        : { ...this.read(uid, stored, 'v1'), description: 'edited in the UI', version };
    this.put(uid, {
      ...stored,
      dashboard,
      version,
      storedAs,
      history: [...stored.history, { version, message: '', createdBy: user }],
    });
  }

  /** The stored dashboard as the schema `family` reads it: converted where it is kept in the other. */
  read(uid: string, stored: Stored, family: 'v1' | 'v2'): Record<string, unknown> {
    const storedAs = stored.storedAs ?? 'v1';
    if (storedAs === family) return stored.dashboard;
    if (family === 'v2') return toDashboardV2(stored.dashboard as grafana.Dashboard).spec as unknown as Record<string, unknown>;
    const resource = { apiVersion: `${group}/v2`, kind: 'Dashboard', metadata: { name: uid }, spec: stored.dashboard };
    return fromDashboardV2(resource as unknown as DashboardResource) as unknown as Record<string, unknown>;
  }

  private resource(uid: string, stored: Stored, version: string): Record<string, unknown> {
    const updatedBy = stored.history.at(-1)?.createdBy ?? 'unknown';
    return {
      kind: 'Dashboard',
      apiVersion: `${group}/${version}`,
      metadata: {
        name: uid,
        namespace: 'default',
        uid: `k8s-${uid}`,
        resourceVersion: String(stored.resourceVersion ?? 1),
        generation: stored.version,
        creationTimestamp: '2026-12-01T00:00:00Z',
        annotations: {
          ...(stored.folderUid ? { 'grafana.app/folder': stored.folderUid } : {}),
          'grafana.app/updatedBy': `service-account:${updatedBy}`,
          ...stored.annotations,
        },
      },
      spec: this.read(uid, stored, familyOf(version)),
    };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    const url = new URL(request.url ?? '/', 'http://localhost');
    this.requests.push({
      method: request.method ?? '',
      path: url.pathname,
      search: url.search,
      authorization: request.headers.authorization,
      body,
    });
    const fault = this.faults.shift();
    if (fault === 'reset') return void request.socket.destroy();
    if (fault === 'hang') return;
    const send = (status: number, payload: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    if (fault === '500') return send(500, { message: 'Internal Server Error' });
    if (fault === 'echo') return send(502, { message: `bad gateway for request with ${request.headers.authorization ?? ''}` });
    if (fault === 'login') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return void response.end('<!doctype html><html><title>Grafana</title><body>Log in</body></html>');
    }
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (token !== this.editorToken && token !== this.viewerToken) return send(401, { message: 'invalid API key' });
    const viewer = token === this.viewerToken;
    if (url.pathname.startsWith('/apis/')) return this.handleResources(request.method ?? '', url, body, viewer, send);
    const folder = /^\/api\/folders\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && url.pathname === '/api/folders') {
      const limit = Number(url.searchParams.get('limit') ?? '1000');
      const page = Number(url.searchParams.get('page') ?? '1');
      const all = [...this.folders].map(([uid, title], index) => ({ id: index + 1, uid, title }));
      return send(200, all.slice((page - 1) * limit, page * limit));
    }
    if (request.method === 'GET' && folder) {
      const uid = decodeURIComponent(folder[1]!);
      const title = this.folders.get(uid);
      return title === undefined ? send(404, { message: 'folder not found' }) : send(200, { id: 1, uid, title, version: 1 });
    }
    if (request.method === 'POST' && url.pathname === '/api/folders') {
      if (viewer) return send(403, { message: 'Access denied' });
      const { uid, title } = body as { uid: string; title: string };
      if (this.folders.has(uid)) return send(409, { message: 'a folder with the same uid already exists' });
      if ([...this.folders.values()].includes(title)) return send(409, { message: 'a folder with the same name already exists' });
      this.folders.set(uid, title);
      return send(200, { id: this.folders.size, uid, title, version: 1 });
    }
    const version = /^\/api\/dashboards\/uid\/([^/]+)\/versions$/.exec(url.pathname);
    const dashboard = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(url.pathname);
    const storedAsV2 = (uid: string) => {
      const stored = this.dashboards.get(uid);
      if (stored?.storedAs !== 'v2') return false;
      send(406, {
        message: `dashboard api version not supported, use /apis/${group}/v2/namespaces/default/dashboards/${uid} instead`,
      });
      return true;
    };
    if (request.method === 'GET' && version) {
      if (this.versionsMissing) return send(404, { message: 'Not found' });
      const stored = this.dashboards.get(decodeURIComponent(version[1]!));
      if (!stored) return send(404, { message: 'Dashboard not found' });
      const limit = Number(url.searchParams.get('limit') ?? '100');
      return send(200, { continueToken: '', versions: [...stored.history].reverse().slice(0, limit) });
    }
    if (request.method === 'GET' && dashboard) {
      const uid = decodeURIComponent(dashboard[1]!);
      const stored = this.dashboards.get(uid);
      if (!stored) return send(404, { message: 'Dashboard not found' });
      if (storedAsV2(uid)) return;
      return send(200, {
        dashboard: { ...stored.dashboard, id: 7, version: stored.version },
        meta: { version: stored.version, provisioned: stored.provisioned, folderUid: stored.folderUid },
      });
    }
    if (request.method === 'POST' && url.pathname === '/api/dashboards/db') {
      if (viewer) return send(403, { message: 'Access denied' });
      this.beforeNextSave?.();
      this.beforeNextSave = undefined;
      const posted = body?.dashboard as Record<string, unknown>;
      const uid = posted.uid as string;
      if (storedAsV2(uid)) return;
      const stored = this.dashboards.get(uid);
      if (stored?.provisioned) return send(400, { message: 'Cannot save provisioned dashboard' });
      if (stored && body?.overwrite !== true && posted.version !== stored.version) {
        return send(412, { message: 'The dashboard has been changed by someone else', status: 'version-mismatch' });
      }
      const next = (stored?.version ?? 0) + 1;
      const { id: _id, version: _version, ...content } = posted;
      this.put(uid, {
        dashboard: { ...content, version: next },
        version: next,
        provisioned: false,
        folderUid: (body?.folderUid as string | undefined) ?? '',
        history: [
          ...(stored?.history ?? []),
          { version: next, message: String(body?.message ?? ''), createdBy: 'sa-inferboard' },
        ],
      });
      return send(200, { id: 7, uid, url: `/d/${uid}/slug`, status: 'success', version: next, slug: 'slug' });
    }
    send(404, { message: 'Not found' });
  }

  private handleResources(
    method: string,
    url: URL,
    body: Record<string, unknown> | undefined,
    viewer: boolean,
    send: (status: number, payload: unknown) => void,
  ): void {
    const status = (code: number, reason: string, message: string) =>
      send(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
    if (url.pathname === `/apis/${group}`) {
      if (this.servedVersions.length === 0) return send(404, { message: 'Not found' });
      const versions = this.servedVersions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
      return send(200, { kind: 'APIGroup', apiVersion: 'v1', name: group, versions, preferredVersion: versions[0] });
    }
    const path = new RegExp(`^/apis/${group.replace(/\./g, '\\.')}/([^/]+)/namespaces/([^/]+)/dashboards(?:/([^/]+))?$`).exec(
      url.pathname,
    );
    if (!path || !this.servedVersions.includes(path[1]!))
      return status(404, 'NotFound', 'the server could not find the requested resource');
    const version = path[1]!;
    const uid = path[3] === undefined ? undefined : decodeURIComponent(path[3]);
    const notFound = (name: string) => status(404, 'NotFound', `dashboards.${group} "${name}" not found`);
    if (method === 'GET' && uid === undefined) {
      if (url.searchParams.get('labelSelector') !== 'grafana.app/get-history=true')
        return status(400, 'BadRequest', 'only the history list is served here');
      if (this.historyMissing) return status(400, 'BadRequest', 'history is not supported in this version');
      const name = /^metadata\.name=(.+)$/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
      const stored = name === undefined ? undefined : this.dashboards.get(name);
      const limit = Number(url.searchParams.get('limit') ?? '100');
      const items = [...(stored?.history ?? [])]
        .reverse()
        .slice(0, limit)
        .map((entry) => ({
          kind: 'Dashboard',
          apiVersion: `${group}/${version}`,
          metadata: {
            name,
            generation: entry.version,
            resourceVersion: String(entry.version),
            annotations: { 'grafana.app/updatedBy': entry.createdBy, 'grafana.app/message': entry.message },
          },
          spec: {},
        }));
      return send(200, { kind: 'DashboardList', apiVersion: `${group}/${version}`, metadata: {}, items });
    }
    if (method === 'GET' && uid !== undefined) {
      const stored = this.dashboards.get(uid);
      return stored ? send(200, this.resource(uid, stored, version)) : notFound(uid);
    }
    if (method !== 'POST' && method !== 'PUT') return status(405, 'MethodNotAllowed', `${method} is not allowed`);
    if (viewer) return status(403, 'Forbidden', 'access denied');
    this.beforeNextSave?.();
    this.beforeNextSave = undefined;
    const metadata = (body?.metadata ?? {}) as { name?: string; resourceVersion?: string; annotations?: Record<string, string> };
    const name = method === 'POST' ? (metadata.name ?? '') : (uid ?? '');
    const stored = this.dashboards.get(name);
    if (method === 'POST' && stored) return status(409, 'AlreadyExists', `dashboards.${group} "${name}" already exists`);
    if (method === 'PUT' && !stored) return notFound(name);
    if (stored && metadata.resourceVersion !== undefined && metadata.resourceVersion !== String(stored.resourceVersion ?? 1)) {
      return status(
        409,
        'Conflict',
        `Operation cannot be fulfilled on dashboards.${group} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    const next = (stored?.version ?? 0) + 1;
    const annotations = metadata.annotations ?? {};
    this.put(name, {
      dashboard: body?.spec as Record<string, unknown>,
      version: next,
      provisioned: false,
      folderUid: annotations['grafana.app/folder'] ?? '',
      storedAs: familyOf(version),
      history: [
        ...(stored?.history ?? []),
        { version: next, message: annotations['grafana.app/message'] ?? '', createdBy: 'sa-inferboard' },
      ],
    });
    return send(method === 'POST' ? 201 : 200, this.resource(name, this.dashboards.get(name)!, version));
  }
}
