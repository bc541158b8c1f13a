/**
 * A local HTTP server on 127.0.0.1 that follows Grafana's documented dashboard API contract:
 * Bearer tokens (401 unknown, 403 for a viewer's writes), GET /api/dashboards/uid/:uid,
 * GET .../versions, POST /api/dashboards/db with version checks (412 version-mismatch),
 * 400 for provisioned dashboards, the folder API (GET /api/folders with limit and page,
 * GET /api/folders/:uid, POST /api/folders, 409 for a uid or title taken), and injectable faults
 * (500, connection reset, no answer). Written against Grafana 11's HTTP API documentation.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * `echo`: a proxy answering 502 with the request's Authorization header in its body; `login`: a
 * login page answering 200 with HTML, as a Grafana behind single sign-on does.
 */
export type Fault = '500' | 'reset' | 'hang' | 'echo' | 'login';

interface Stored {
  dashboard: Record<string, unknown>;
  version: number;
  provisioned: boolean;
  folderUid: string;
  history: { version: number; message: string; createdBy: string }[];
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown> | undefined;
}

export class FakeGrafana {
  readonly dashboards = new Map<string, Stored>();
  /** Folders by uid: their titles. */
  readonly folders = new Map<string, string>();
  readonly requests: RecordedRequest[] = [];
  /** Consumed one per request, in order. */
  readonly faults: Fault[] = [];
  /** Answer 404 on the versions endpoint, as a Grafana without it does. Default `false`. */
  versionsMissing = false;
  /** Runs between a push's GET and its POST: someone saving in the UI meanwhile. */
  beforeNextSave: (() => void) | undefined;
  private server: Server | undefined;

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

  /** A save through Grafana's UI by `user`: a new version with no inferboard message. */
  editInUi(uid: string, user = 'alice'): void {
    const stored = this.dashboards.get(uid)!;
    stored.version += 1;
    stored.dashboard = { ...stored.dashboard, description: 'edited in the UI', version: stored.version };
    stored.history.push({ version: stored.version, message: '', createdBy: user });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    const url = new URL(request.url ?? '/', 'http://localhost');
    this.requests.push({ method: request.method ?? '', path: url.pathname, authorization: request.headers.authorization, body });
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
      if (token === this.viewerToken) return send(403, { message: 'Access denied' });
      const { uid, title } = body as { uid: string; title: string };
      if (this.folders.has(uid)) return send(409, { message: 'a folder with the same uid already exists' });
      if ([...this.folders.values()].includes(title)) return send(409, { message: 'a folder with the same name already exists' });
      this.folders.set(uid, title);
      return send(200, { id: this.folders.size, uid, title, version: 1 });
    }
    const version = /^\/api\/dashboards\/uid\/([^/]+)\/versions$/.exec(url.pathname);
    const dashboard = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && version) {
      if (this.versionsMissing) return send(404, { message: 'Not found' });
      const stored = this.dashboards.get(decodeURIComponent(version[1]!));
      if (!stored) return send(404, { message: 'Dashboard not found' });
      const limit = Number(url.searchParams.get('limit') ?? '100');
      return send(200, { continueToken: '', versions: [...stored.history].reverse().slice(0, limit) });
    }
    if (request.method === 'GET' && dashboard) {
      const stored = this.dashboards.get(decodeURIComponent(dashboard[1]!));
      if (!stored) return send(404, { message: 'Dashboard not found' });
      return send(200, {
        dashboard: { ...stored.dashboard, id: 7, version: stored.version },
        meta: { version: stored.version, provisioned: stored.provisioned, folderUid: stored.folderUid },
      });
    }
    if (request.method === 'POST' && url.pathname === '/api/dashboards/db') {
      if (token === this.viewerToken) return send(403, { message: 'Access denied' });
      this.beforeNextSave?.();
      this.beforeNextSave = undefined;
      const posted = body?.dashboard as Record<string, unknown>;
      const uid = posted.uid as string;
      const stored = this.dashboards.get(uid);
      if (stored?.provisioned) return send(400, { message: 'Cannot save provisioned dashboard' });
      if (stored && body?.overwrite !== true && posted.version !== stored.version) {
        return send(412, { message: 'The dashboard has been changed by someone else', status: 'version-mismatch' });
      }
      const next = (stored?.version ?? 0) + 1;
      const { id: _id, version: _version, ...content } = posted;
      this.dashboards.set(uid, {
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
}
