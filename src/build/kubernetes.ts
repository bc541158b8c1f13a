/**
 * The build as Kubernetes objects, for `kubectl apply -f <out>/kubernetes/`: dashboards as
 * ConfigMaps for Grafana's sidecar (kube-prometheus-stack) or as the grafana-operator's
 * GrafanaDashboard resources, every rule group as a PrometheusRule, and a ServiceMonitor per
 * server the dashboards read. Each object is built with the typed models of `kubernetes-models`
 * and `@kubernetes-models/*` and validated against their schemas before it is written.
 */
import { gzipSync, strToU8 } from 'fflate';
import { stringify } from 'yaml';
import type { LogsKind, MetricsProfile } from '../../queries/index.js';
import type { RuleGroup } from '../../alerts/index.js';
import { isDatasourceUidAccepted } from '../../panels/limits.js';
import { folderUidFor } from './folderUid.js';
import { inProvisioningFile, logsDatasourceEntries, type DatasourceUrls } from './datasources.js';

/** Options of the Kubernetes objects; each has the default shown. */
export interface KubernetesOptions {
  /** Namespace of every object. Default `monitoring`. */
  readonly namespace?: string;
  /** `configmap` (Grafana's sidecar, default) or `grafana-operator` (GrafanaDashboard resources). */
  readonly dashboards?: 'configmap' | 'grafana-operator';
  /** The label Grafana's sidecar selects dashboard ConfigMaps by. Default `grafana_dashboard: "1"`. */
  readonly dashboardLabel?: { readonly name: string; readonly value: string };
  /** The label Grafana's datasource sidecar selects datasource ConfigMaps by. Default `grafana_datasource: "1"`. */
  readonly datasourceLabel?: { readonly name: string; readonly value: string };
  /**
   * The uid of the Prometheus datasource Grafana already has, which Tempo's links to metrics
   * read. Default `prometheus`, kube-prometheus-stack's (`grafana.sidecar.datasources.uid`).
   */
  readonly prometheusDatasourceUid?: string;
  /** The annotation naming a ConfigMap's Grafana folder (the sidecar's `folderAnnotation`). Default `grafana_folder`. */
  readonly folderAnnotation?: string;
  /** The grafana-operator's `instanceSelector` (its `matchLabels`): required with `grafana-operator`. */
  readonly instanceSelector?: Readonly<Record<string, string>>;
  /**
   * Labels of the PrometheusRules and ServiceMonitors: kube-prometheus-stack's Prometheus selects
   * them by `release: <helm release>` and ignores the rest. Default `release: kube-prometheus-stack`.
   */
  readonly prometheusLabels?: Readonly<Record<string, string>>;
  /** The Service label a ServiceMonitor selects a server by; its value is the server's job. Default `app.kubernetes.io/name`. */
  readonly serviceLabel?: string;
  /**
   * The objects are applied with `kubectl apply --server-side`, which keeps no last-applied
   * annotation: a dashboard may then fill Kubernetes' 1 MiB instead of 256 KiB. Default `false`.
   */
  readonly serverSideApply?: boolean;
}

/** The typed models, loaded only for a Kubernetes build. */
export interface KubernetesModels {
  readonly ConfigMap: typeof import('kubernetes-models/v1/ConfigMap').ConfigMap;
  readonly GrafanaDatasource: typeof import('@kubernetes-models/grafana-operator/grafana.integreatly.org/v1beta1/GrafanaDatasource').GrafanaDatasource;
  readonly GrafanaDashboard: typeof import('@kubernetes-models/grafana-operator/grafana.integreatly.org/v1beta1/GrafanaDashboard').GrafanaDashboard;
  readonly GrafanaFolder: typeof import('@kubernetes-models/grafana-operator/grafana.integreatly.org/v1beta1/GrafanaFolder').GrafanaFolder;
  readonly GrafanaManifest: typeof import('@kubernetes-models/grafana-operator/grafana.integreatly.org/v1beta1/GrafanaManifest').GrafanaManifest;
  readonly PrometheusRule: typeof import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule').PrometheusRule;
  readonly ServiceMonitor: typeof import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor').ServiceMonitor;
}

export async function loadKubernetesModels(): Promise<KubernetesModels> {
  const [configMap, datasource, dashboard, folder, manifest, rule, monitor] = await Promise.all([
    import('kubernetes-models/v1/ConfigMap'),
    import('@kubernetes-models/grafana-operator/grafana.integreatly.org/v1beta1/GrafanaDatasource'),
    import('@kubernetes-models/grafana-operator/grafana.integreatly.org/v1beta1/GrafanaDashboard'),
    import('@kubernetes-models/grafana-operator/grafana.integreatly.org/v1beta1/GrafanaFolder'),
    import('@kubernetes-models/grafana-operator/grafana.integreatly.org/v1beta1/GrafanaManifest'),
    import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule'),
    import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor'),
  ]);
  return {
    ConfigMap: configMap.ConfigMap,
    GrafanaDatasource: datasource.GrafanaDatasource,
    GrafanaDashboard: dashboard.GrafanaDashboard,
    GrafanaFolder: folder.GrafanaFolder,
    GrafanaManifest: manifest.GrafanaManifest,
    PrometheusRule: rule.PrometheusRule,
    ServiceMonitor: monitor.ServiceMonitor,
  };
}

/** Kubernetes' limits on one object, in bytes. */
export const kubernetesLimits = {
  /** What etcd stores of one object, a ConfigMap's data included. */
  object: 1024 * 1024,
  /** What `kubectl apply` (client side) copies into `kubectl.kubernetes.io/last-applied-configuration`: all annotations together. */
  annotations: 256 * 1024,
} as const;

const labelName =
  /^(([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const namespacePattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Checks label names and values as Kubernetes does; `what` names the option. */
export function checkLabels(labels: Readonly<Record<string, string>>, what: string): Readonly<Record<string, string>> {
  for (const [name, value] of Object.entries(labels)) {
    if (!labelName.test(name) || name.split('/').at(-1)!.length > 63)
      throw new Error(
        `${what}: ${JSON.stringify(name)} is not a Kubernetes label name ([prefix/]name, name of 1-63 a-z A-Z 0-9 - _ .)`,
      );
    if (!labelValue.test(value))
      throw new Error(
        `${what}: ${name}=${JSON.stringify(value)}: a label value is at most 63 of a-z A-Z 0-9 - _ ., alphanumeric at both ends`,
      );
  }
  return labels;
}

/** `inferboard-<name>` (once) as a DNS subdomain Kubernetes accepts as a name: lowercase, `-` for what else. */
function objectName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  return (slug.startsWith('inferboard') ? slug : `inferboard-${slug}`).replace(/-+$/, '').slice(0, 253);
}

function yaml(object: { toJSON(): unknown }): string {
  return stringify(object.toJSON(), { lineWidth: 0, sortMapEntries: false });
}

/** `json` gzipped and base64-encoded, the same bytes on every machine (a pure-JS deflate, no timestamp). */
function gzipped(json: string): string {
  return Buffer.from(gzipSync(strToU8(json), { level: 9, mtime: 0 })).toString('base64');
}

const size = (bytes: number) => `${bytes.toLocaleString('en-US')} bytes`;

/** A built dashboard as the Kubernetes writer reads it. */
export interface KubernetesDashboard {
  readonly uid: string;
  readonly folder: string | undefined;
  /** The file's text: the same JSON the provisioning tree holds. */
  readonly text: string;
  /** Whether `text` is a v2 dashboard resource. */
  readonly resource: boolean;
  readonly where: string;
}

/** One object's file: `kubernetes/<kind>-<name>.yaml`. */
export interface KubernetesFile {
  readonly path: string;
  readonly content: string;
}

/** Writes the Kubernetes objects of a build. */
export interface KubernetesWriter {
  /** The dashboard's object, after its folder's (a GrafanaFolder) where it is the first in it. */
  dashboard(dashboard: KubernetesDashboard): KubernetesFile[];
  ruleGroup(group: RuleGroup, where: string): KubernetesFile;
  /** A ServiceMonitor for each server with a scrape target, scraping every `scrapeInterval`. */
  monitors(servers: readonly MetricsProfile[], scrapeInterval: string): KubernetesFile[];
  /** The Loki and Tempo datasources of `used`: a ConfigMap for Grafana's datasource sidecar, or a GrafanaDatasource each. */
  datasources(used: ReadonlySet<LogsKind>, urls: DatasourceUrls): KubernetesFile[];
}

/** The writer of `options`, its options checked. */
export function kubernetesWriter(options: KubernetesOptions, models: KubernetesModels): KubernetesWriter {
  const namespace = options.namespace ?? 'monitoring';
  if (!namespacePattern.test(namespace))
    throw new Error(`--namespace ${JSON.stringify(namespace)} is not a Kubernetes namespace (1-63 of a-z 0-9 -)`);
  const mode = options.dashboards ?? 'configmap';
  const dashboardLabel = options.dashboardLabel ?? { name: 'grafana_dashboard', value: '1' };
  checkLabels({ [dashboardLabel.name]: dashboardLabel.value }, '--dashboard-label');
  const datasourceLabel = options.datasourceLabel ?? { name: 'grafana_datasource', value: '1' };
  checkLabels({ [datasourceLabel.name]: datasourceLabel.value }, '--datasource-label');
  const prometheusDatasourceUid = options.prometheusDatasourceUid ?? 'prometheus';
  if (!isDatasourceUidAccepted(prometheusDatasourceUid))
    throw new Error(
      `--prometheus-datasource-uid ${JSON.stringify(prometheusDatasourceUid)} is not a Grafana uid (1-40 of a-z A-Z 0-9 - _)`,
    );
  const folderAnnotation = options.folderAnnotation ?? 'grafana_folder';
  checkLabels({ [folderAnnotation]: '' }, '--folder-annotation');
  const prometheusLabels = checkLabels(options.prometheusLabels ?? { release: 'kube-prometheus-stack' }, '--prometheus-label');
  const serviceLabel = options.serviceLabel ?? 'app.kubernetes.io/name';
  checkLabels({ [serviceLabel]: '' }, '--service-label');
  if (mode === 'grafana-operator' && !options.instanceSelector)
    throw new Error(
      '--grafana-operator needs --instance-selector name=value: the labels of the Grafana resource to provision into',
    );
  const instanceSelector = checkLabels(options.instanceSelector ?? {}, '--instance-selector');
  const limit = options.serverSideApply ? kubernetesLimits.object : kubernetesLimits.annotations;
  // Names are unique per kind and namespace: a dashboard and a ServiceMonitor may share one.
  const names = new Map<string, string>();
  const named = (kind: string, name: string, where: string) => {
    const previous = names.get(`${kind}/${name}`);
    if (previous) throw new Error(`${where}: its ${kind} would be named ${name}, as ${previous}'s is`);
    names.set(`${kind}/${name}`, where);
    return name;
  };
  const validated = <T extends { validate(): void; toJSON(): unknown }>(object: T, where: string): T => {
    try {
      object.validate();
    } catch (error) {
      throw new Error(`${where}: not a valid Kubernetes object: ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
    return object;
  };

  /** The label of every object inferboard writes. */
  const managed = { 'app.kubernetes.io/managed-by': 'inferboard' };
  const configMap = (dashboard: KubernetesDashboard, name: string): string => {
    const object = validated(
      new models.ConfigMap({
        metadata: {
          name,
          namespace,
          labels: { [dashboardLabel.name]: dashboardLabel.value, ...managed },
          ...(dashboard.folder ? { annotations: { [folderAnnotation]: dashboard.folder } } : {}),
        },
        data: { [`${dashboard.uid}.json`]: dashboard.text },
      }),
      dashboard.where,
    );
    const bytes = Buffer.byteLength(JSON.stringify(object.toJSON()));
    if (bytes > kubernetesLimits.object)
      throw new Error(
        `${dashboard.where}: its ConfigMap is ${size(bytes)}, over the ${size(kubernetesLimits.object)} Kubernetes stores in one object: split the dashboard, or build with --grafana-operator, which writes it gzipped`,
      );
    if (bytes > limit)
      throw new Error(
        `${dashboard.where}: its ConfigMap is ${size(bytes)}; kubectl apply copies an object into its last-applied annotation, which holds ${size(kubernetesLimits.annotations)}: apply with kubectl apply --server-side and build with --server-side-apply, or build with --grafana-operator, which writes it gzipped`,
      );
    return yaml(object);
  };

  const selector = () => ({ matchLabels: { ...instanceSelector } });

  /** The GrafanaFolder of `title`, with the uid push gives it too: both find the same folder. */
  const folderObject = (title: string, name: string, where: string): string =>
    yaml(
      validated(
        new models.GrafanaFolder({
          metadata: { name, namespace, labels: managed },
          spec: { instanceSelector: selector(), title, uid: folderUidFor(title) },
        }),
        where,
      ),
    );

  const operatorResource = (dashboard: KubernetesDashboard, name: string, folderName: string | undefined): string => {
    const metadata = { name, namespace, labels: managed };
    // The operator's GrafanaDashboard takes classic dashboards; a v2 resource goes through a GrafanaManifest.
    if (dashboard.resource) {
      const template = JSON.parse(dashboard.text) as {
        apiVersion: string;
        kind: string;
        metadata: { name: string; annotations?: Record<string, string> };
      };
      if (dashboard.folder)
        template.metadata = { ...template.metadata, annotations: { 'grafana.app/folder': folderUidFor(dashboard.folder) } };
      return yaml(
        validated(new models.GrafanaManifest({ metadata, spec: { instanceSelector: selector(), template } }), dashboard.where),
      );
    }
    const folder = folderName ? { folderRef: folderName } : {};
    const plain = validated(
      new models.GrafanaDashboard({ metadata, spec: { instanceSelector: selector(), ...folder, json: dashboard.text } }),
      dashboard.where,
    );
    if (Buffer.byteLength(JSON.stringify(plain.toJSON())) <= limit) return yaml(plain);
    const compressed = validated(
      new models.GrafanaDashboard({
        metadata,
        spec: { instanceSelector: selector(), ...folder, gzipJson: gzipped(dashboard.text) },
      }),
      dashboard.where,
    );
    const bytes = Buffer.byteLength(JSON.stringify(compressed.toJSON()));
    if (bytes > limit)
      throw new Error(
        `${dashboard.where}: even gzipped its GrafanaDashboard is ${size(bytes)}, over ${size(limit)}: split the dashboard`,
      );
    return yaml(compressed);
  };

  const folders = new Set<string>();
  return {
    dashboard(dashboard) {
      const name = named('dashboard', objectName(dashboard.uid), dashboard.where);
      if (mode === 'configmap') return [{ path: `kubernetes/configmap-${name}.yaml`, content: configMap(dashboard, name) }];
      const files: KubernetesFile[] = [];
      const folderName = dashboard.folder && objectName(`folder-${folderUidFor(dashboard.folder)}`);
      if (dashboard.folder && folderName && !folders.has(folderName)) {
        folders.add(folderName);
        files.push({
          path: `kubernetes/grafanafolder-${folderName}.yaml`,
          content: folderObject(dashboard.folder, named('GrafanaFolder', folderName, dashboard.where), dashboard.where),
        });
      }
      files.push({ path: `kubernetes/grafanadashboard-${name}.yaml`, content: operatorResource(dashboard, name, folderName) });
      return files;
    },
    ruleGroup(group, where) {
      const name = named('PrometheusRule', objectName(group.name), where);
      const object = validated(
        new models.PrometheusRule({
          metadata: { name, namespace, labels: { ...prometheusLabels, ...managed } },
          spec: { groups: [JSON.parse(JSON.stringify(group))] },
        }),
        where,
      );
      return { path: `kubernetes/prometheusrule-${name}.yaml`, content: yaml(object) };
    },
    monitors(servers, scrapeInterval) {
      const seen = new Map<string, MetricsProfile>();
      for (const server of servers) if (server.scrape) seen.set(server.id, server);
      return [...seen.values()]
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((server) => {
          const job = server.defaultJob ?? server.id;
          const scrape = server.scrape as NonNullable<MetricsProfile['scrape']>;
          const name = named('ServiceMonitor', objectName(server.id), `the ${server.displayName} ServiceMonitor`);
          const object = validated(
            new models.ServiceMonitor({
              metadata: { name, namespace, labels: { ...prometheusLabels, ...managed } },
              spec: {
                selector: { matchLabels: { [serviceLabel]: job } },
                namespaceSelector: { any: true },
                endpoints: [
                  {
                    targetPort: scrape.port,
                    path: scrape.path ?? '/metrics',
                    interval: scrapeInterval,
                    ...(scrape.honorLabels ? { honorLabels: true } : {}),
                    // The job the dashboards' variables list and the alerts filter by.
                    relabelings: [{ action: 'replace', targetLabel: 'job', replacement: job }],
                  },
                ],
              },
            }),
            `the ${server.displayName} ServiceMonitor`,
          );
          return { path: `kubernetes/servicemonitor-${name}.yaml`, content: yaml(object) };
        });
    },
    datasources(used, urls) {
      const entries = logsDatasourceEntries(urls, used, prometheusDatasourceUid);
      if (mode === 'grafana-operator')
        return entries.map(({ uid, ...datasource }) => {
          const name = named('GrafanaDatasource', objectName(uid), `the ${datasource.name} datasource`);
          const object = validated(
            new models.GrafanaDatasource({
              metadata: { name, namespace, labels: managed },
              spec: { instanceSelector: selector(), uid, datasource },
            }),
            `the ${datasource.name} datasource`,
          );
          return { path: `kubernetes/grafanadatasource-${name}.yaml`, content: yaml(object) };
        });
      // Grafana's datasource sidecar copies the ConfigMap's file into Grafana's provisioning folder;
      // the operator sends a GrafanaDatasource through the API, which expands nothing.
      const name = named('ConfigMap', 'inferboard-datasources', 'the datasources');
      const object = validated(
        new models.ConfigMap({
          metadata: {
            name,
            namespace,
            labels: { [datasourceLabel.name]: datasourceLabel.value, ...managed },
          },
          data: {
            'inferboard-datasources.yaml': stringify(
              { apiVersion: 1, datasources: inProvisioningFile(entries) },
              { lineWidth: 0 },
            ),
          },
        }),
        'the datasources',
      );
      return [{ path: `kubernetes/configmap-${name}.yaml`, content: yaml(object) }];
    },
  };
}
