/**
 * Grafana 12/13's resource API for dashboards,
 * `/apis/dashboard.grafana.app/<version>/namespaces/<namespace>/dashboards[/<uid>]`, as Grafana's
 * documentation for 12.x and 13.x describes it: versions found by API discovery, a create with
 * POST (201), an update with PUT carrying `metadata.resourceVersion` (409 when someone saved in
 * between), the version message in `grafana.app/message`, the folder in `grafana.app/folder`,
 * and the history through the list's `grafana.app/get-history` label selector.
 */
import { isDeepStrictEqual } from 'node:util';
import { changedElsewhere, type DashboardApi, type Plan, type Saved } from './api.js';
import { call, checkAccess, comparable, plainCopy, PushError, type Answer, type HttpOptions } from './http.js';

export const dashboardGroup = 'dashboard.grafana.app';

/** The versions of each dashboard schema the resource API may serve, the stable one first. */
export const resourceVersions = { v1: ['v1', 'v1beta1', 'v0alpha1'], v2: ['v2'] } as const;

/**
 * The versions of `dashboard.grafana.app` Grafana serves, from Kubernetes-style API discovery
 * (`GET /apis/dashboard.grafana.app`); none before Grafana 12.
 */
export async function servedVersions(options: HttpOptions): Promise<string[]> {
  const answer = await call(options, 'GET', `apis/${dashboardGroup}`);
  checkAccess(answer, 'API discovery');
  if (answer.status === 404) return [];
  const versions = (answer.body as { versions?: unknown }).versions;
  if (answer.status !== 200 || !answer.json || !Array.isArray(versions)) {
    throw new PushError(
      `API discovery: GET /apis/${dashboardGroup} answered ${answer.status} with what is not Grafana's API (${answer.shown}): check --url`,
    );
  }
  return versions.map((entry) => (entry as { version?: unknown })?.version).filter((version) => typeof version === 'string');
}

interface ResourceMetadata {
  readonly name?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly annotations?: Readonly<Record<string, string>>;
}

interface Resource {
  readonly metadata: ResourceMetadata;
  readonly spec: Record<string, unknown>;
}

function isResource(answer: Answer): boolean {
  const { metadata, spec } = answer.body as Partial<Resource>;
  return answer.json && typeof metadata === 'object' && metadata !== null && typeof spec === 'object' && spec !== null;
}

/** A failed call in one line: Kubernetes' Status names a `reason` beside the message. */
function statusLine(answer: Answer): string {
  return `${answer.status} ${answer.body.reason ? `${answer.body.reason}: ` : ''}${answer.body.message ?? ''}`.trim();
}

/** The resource API of dashboards at `version` (`v1`, `v2` ...) in `namespace` (`default` for org 1). */
export function resourceApi(options: HttpOptions, version: string, namespace: string): DashboardApi {
  const collection = `apis/${dashboardGroup}/${version}/namespaces/${encodeURIComponent(namespace)}/dashboards`;
  const item = (uid: string) => `${collection}/${encodeURIComponent(uid)}`;

  /** The newest version of the history, or why it cannot be read. */
  const latest = async (uid: string) => {
    const query = new URLSearchParams({
      labelSelector: 'grafana.app/get-history=true',
      fieldSelector: `metadata.name=${uid}`,
      limit: '1',
    });
    const answer = await call(options, 'GET', `${collection}?${query}`);
    checkAccess(answer, `dashboard ${uid}`);
    const [newest] = ((answer.body as { items?: unknown }).items ?? []) as Resource[];
    if (answer.status !== 200 || !answer.json || !Number.isInteger(newest?.metadata?.generation))
      return { unreadable: `the history list answered ${answer.status} (${answer.shown})` };
    const annotations = newest!.metadata.annotations ?? {};
    return {
      version: newest!.metadata.generation as number,
      message: annotations['grafana.app/message'],
      by: annotations['grafana.app/updatedBy'],
    };
  };

  return {
    name: `the resource API (${dashboardGroup}/${version}, namespace ${namespace})`,
    async plan({ uid, spec, folderUid }, force): Promise<Plan> {
      const answer = await call(options, 'GET', item(uid));
      checkAccess(answer, `dashboard ${uid}`);
      if (answer.status === 404) return { action: 'create' };
      if (answer.status !== 200) throw new PushError(`dashboard ${uid}: GET ${item(uid)} answered ${statusLine(answer)}`);
      if (!isResource(answer))
        throw new PushError(`dashboard ${uid}: GET answered 200 with what is not Grafana's API (${answer.shown}): check --url`);
      const { metadata, spec: current } = answer.body as unknown as Resource;
      const annotations = metadata.annotations ?? {};
      const version = metadata.generation;
      const managedBy = annotations['grafana.app/managedBy'];
      if (managedBy) {
        return {
          action: 'conflict',
          version,
          reason: `Grafana's ${managedBy} manages this dashboard (grafana.app/managedBy); change it there, or remove it from there`,
        };
      }
      const sameFolder = (annotations['grafana.app/folder'] ?? '') === folderUid;
      if (sameFolder && isDeepStrictEqual(comparable(current), comparable(plainCopy(spec))))
        return { action: 'unchanged', version };
      if (force) return { action: 'update', version };
      return { ...changedElsewhere(await latest(uid), version), precondition: metadata.resourceVersion };
    },
    async save({ uid, spec, folderUid }, plan, message, force): Promise<Saved> {
      const creating = plan.action === 'create';
      const body = {
        apiVersion: `${dashboardGroup}/${version}`,
        kind: 'Dashboard',
        metadata: {
          name: uid,
          // Without it (--force), the update is unconditional.
          ...(!creating && !force && plan.precondition !== undefined ? { resourceVersion: String(plan.precondition) } : {}),
          annotations: { ...(folderUid ? { 'grafana.app/folder': folderUid } : {}), 'grafana.app/message': message },
        },
        spec,
      };
      const answer = creating ? await call(options, 'POST', collection, body) : await call(options, 'PUT', item(uid), body);
      checkAccess(answer, `dashboard ${uid}`);
      if (answer.status === 409) {
        return {
          error: creating
            ? `409 ${answer.body.reason ?? 'AlreadyExists'}: someone created the dashboard during this push; run again`
            : `409 ${answer.body.reason ?? 'Conflict'}: someone saved the dashboard during this push (its resourceVersion changed); run again, or --force to overwrite`,
        };
      }
      if (answer.status !== 200 && answer.status !== 201) return { error: statusLine(answer) };
      const generation = (answer.body as Partial<Resource>).metadata?.generation;
      if (!isResource(answer) || !Number.isInteger(generation))
        return {
          error: `the save answered ${answer.status} with what is not Grafana's API (${answer.shown}), so nothing is known saved`,
        };
      return { version: generation as number };
    },
  };
}
