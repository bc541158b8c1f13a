/**
 * One call to Grafana's HTTP API: bearer token, timeout, retries of what a retry can fix
 * (5xx, connection resets, a Grafana still starting), and the token cut out of everything read.
 */

/** How calls reach Grafana. */
export interface HttpOptions {
  /** Grafana's base URL, e.g. `https://grafana.example.com`. */
  readonly url: string;
  /** A service account token; sent as `Authorization: Bearer`, never printed. */
  readonly token: string;
  /** Per request. Default 10,000 ms. */
  readonly timeoutMs?: number;
  /** Retries of 5xx answers, connection resets and refused connections. Default 3. */
  readonly retries?: number;
  /** First backoff; doubles each retry. Default 500 ms. */
  readonly retryDelayMs?: number;
  /** Where progress lines go. Default: nowhere. */
  readonly log?: (line: string) => void;
}

/** A failure that stops the whole push (bad token, no permission, Grafana unreachable). */
export class PushError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushError';
  }
}

/** What Grafana answered. */
export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown> & { message?: string; status?: string; reason?: string };
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
export async function call(options: HttpOptions, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<Answer> {
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
export function checkAccess(answer: Answer, what: string): void {
  if (answer.status === 401) throw new PushError(`${what}: 401 unauthorized: Grafana rejected the token in GRAFANA_TOKEN`);
  if (answer.status === 403) {
    throw new PushError(
      `${what}: 403 forbidden: the service account may not do this (it needs the Editor role, or dashboards:write on the folder)`,
    );
  }
}

/**
 * A deep copy holding only what JSON keeps (no functions, no undefined): what Grafana answers
 * with compares equal to it, at a fraction of a JSON round trip's time.
 */
export function plainCopy<T>(value: T): T {
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

/** The dashboard as compared: without the fields Grafana assigns. */
export function comparable(json: object): Record<string, unknown> {
  const { id: _id, version: _version, ...rest } = json as Record<string, unknown>;
  return rest;
}

/** The version messages of inferboard's saves start with this; any other newest version is someone else's. */
export const marker = 'inferboard';
