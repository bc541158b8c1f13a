/**
 * The Grafana provisioning tree: dashboard JSON per folder, a file provider and a Prometheus
 * datasource whose uid matches the dashboards' `$datasource` default.
 *
 *   provisioning/dashboards/inferboard.yaml   -> mount at /etc/grafana/provisioning
 *   provisioning/datasources/inferboard.yaml  (Prometheus; Loki and Tempo where dashboards query them)
 *   dashboards/<folder>/<uid>.json             -> mount at the provider's path
 *   prometheus/rules/<group>.yml               -> Prometheus rule_files
 *   kubernetes/<kind>-<name>.yaml              -> kubectl apply -f (with --kubernetes)
 */
import type * as grafana from '@grafana/grafana-foundation-sdk/dashboard';
import { stringify } from 'yaml';
import { ruleFile, type RuleGroup } from '../../alerts/index.js';
import type { LintConfig } from '../dashboards/lintConfig.js';
import { defaultDatasource, type DatasourceDefault } from '../../queries/variables.js';
import { defaultScrapeInterval, type LogsKind, type MetricsProfile } from '../../queries/index.js';
import { allPanels, logsKindsOf } from '../dashboards/walk.js';
import { dashboardV2Problem } from '../check/schema.js';
import { toDashboardV2 } from './dashboardV2.js';
import type { KubernetesWriter } from './kubernetes.js';
import { datasourceEntries, inProvisioningFile, type DatasourceUrls } from './datasources.js';

/** Options of {@link provisioningTree}; every one has a default matching `examples/docker-compose.yml`. */
export interface ProvisioningOptions extends DatasourceUrls {
  /** Where the `dashboards/` folder is mounted in Grafana. Default `/var/lib/grafana/dashboards`. */
  readonly dashboardsPath?: string;
  readonly datasource?: DatasourceDefault;
  /**
   * `v1`: classic dashboard JSON (default). `v2`: Grafana 12/13's `dashboard.grafana.app/v2`
   * resources in Kubernetes object form, which Grafana's file provisioning takes.
   */
  readonly schema?: 'v1' | 'v2';
}

/** A built dashboard and where it came from (for error messages). */
export interface BuiltDashboard {
  readonly json: grafana.Dashboard;
  /** `json` as written ({@link serializeDashboard}), when already serialized. */
  readonly text?: string;
  readonly folder: string | undefined;
  /** `file: dashboard "Title" (uid)`. */
  readonly where: string;
  /** Lint rules the dashboard turns off. */
  readonly lint?: LintConfig;
  /** The servers whose series it reads (ServiceMonitors of a Kubernetes build). */
  readonly servers?: readonly MetricsProfile[];
}

/** Path of the provider file; its presence marks a folder as a build-dashboards output. */
export const providerFile = 'provisioning/dashboards/inferboard.yaml';
export const datasourceFile = 'provisioning/datasources/inferboard.yaml';
/** The folders Grafana and Prometheus mount (or hold their mounts): always present, never removed. */
export const mountedFolders = [
  'provisioning',
  'provisioning/dashboards',
  'provisioning/datasources',
  'dashboards',
  'prometheus',
  'prometheus/rules',
];

/** How a name is told apart on macOS's and Windows' file systems: case and Unicode normalization ignored. */
function fileSystemKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** Checks a folder name: it becomes a directory and a Grafana folder title. */
export function checkFolder(folder: string): string {
  if (
    folder.trim() === '' ||
    folder.length > 100 ||
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    /[/\\\u0000-\u001f]/.test(folder) ||
    folder.startsWith('.') ||
    folder !== folder.trim()
  ) {
    throw new Error(
      `folder ${JSON.stringify(folder)} must be 1-100 characters without /, \\, control characters, a leading dot or outer spaces`,
    );
  }
  return folder;
}

/** A checked dashboard as the text of its v2 resource, the resource checked against the SDK's v2 schema. */
function dashboardV2Text(json: grafana.Dashboard, where: string): string {
  const resource = toDashboardV2(json);
  const problem = dashboardV2Problem(resource.spec);
  if (problem) throw new Error(`${where}: ${problem}`);
  return `${JSON.stringify(resource, null, 2)}\n`;
}

/** Dashboard JSON as written: two-space indentation, final newline (what prettier would print). */
export function serializeDashboard(json: grafana.Dashboard): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}

function yaml(document: unknown): string {
  return stringify(document, { lineWidth: 0, sortMapEntries: false });
}

/** The provisioning tree, made one file at a time: see {@link provisioningTree}. */
export interface ProvisioningTree {
  /** Checks the dashboard's uid, title and folder against those before it, and emits its JSON file. */
  addDashboard(dashboard: BuiltDashboard): void;
  /** Checks the group's name against those before it, and emits its rule file. */
  addRuleGroup(group: RuleGroup, where: string): void;
  /** Emits the dashboard provider and the datasource. */
  finish(): void;
}

/**
 * The files of the tree, handed to `emit` as they are made. Throws on a uid used twice or a
 * title used twice in one folder (Grafana would refuse the second), naming both places.
 */
export function provisioningTree(
  options: ProvisioningOptions,
  emit: (path: string, content: string) => void,
  kubernetes?: KubernetesWriter,
): ProvisioningTree {
  const datasource = options.datasource ?? defaultDatasource;
  const servers: MetricsProfile[] = [];
  const logsKinds = new Set<LogsKind>();
  const uids = new Map<string, string>();
  const titles = new Map<string, string>();
  const groupNames = new Map<string, string>();
  const folderNames = new Map<string, { folder: string; where: string }>();
  const fileNames = new Map<string, { path: string; where: string }>();
  // Two names one file on a case-insensitive or normalizing file system: the second would overwrite the first.
  const place = (path: string, where: string, content: string) => {
    const same = fileNames.get(fileSystemKey(path));
    if (same && same.path !== path)
      throw new Error(
        `${where}: ${path} and ${same.path} (${same.where}) are one file on macOS and Windows, which ignore case and Unicode normalization`,
      );
    fileNames.set(fileSystemKey(path), { path, where });
    emit(path, content);
  };
  const checkFolderName = (folder: string, where: string) => {
    const same = folderNames.get(fileSystemKey(folder));
    if (same && same.folder !== folder)
      throw new Error(
        `${where}: folder ${JSON.stringify(folder)} and ${JSON.stringify(same.folder)} (${same.where}) are one folder on macOS and Windows, which ignore case and Unicode normalization`,
      );
    folderNames.set(fileSystemKey(folder), { folder, where });
  };
  return {
    addDashboard({ json, text, folder, where, servers: reads }) {
      const uid = json.uid ?? '';
      const previous = uids.get(uid);
      if (previous) throw new Error(`${where}: uid ${JSON.stringify(uid)} is already used by ${previous}`);
      uids.set(uid, where);
      let directory: string;
      try {
        directory = folder === undefined ? '' : `${checkFolder(folder)}/`;
      } catch (error) {
        throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
      }
      if (folder !== undefined) checkFolderName(folder, where);
      const titleKey = `${directory}${json.title}`;
      const sameTitle = titles.get(titleKey);
      if (sameTitle)
        throw new Error(`${where}: title ${JSON.stringify(json.title)} is already used in this folder by ${sameTitle}`);
      titles.set(titleKey, where);
      const content = options.schema === 'v2' ? dashboardV2Text(json, where) : (text ?? serializeDashboard(json));
      place(`dashboards/${directory}${uid}.json`, where, content);
      servers.push(...(reads ?? []));
      for (const kind of logsKindsOf(allPanels(json))) logsKinds.add(kind);
      const objects = kubernetes?.dashboard({ uid, folder, text: content, resource: options.schema === 'v2', where }) ?? [];
      for (const object of objects) place(object.path, where, object.content);
    },
    addRuleGroup(group, where) {
      const previous = groupNames.get(group.name);
      if (previous) throw new Error(`${where}: the name is already used by ${previous}`);
      groupNames.set(group.name, where);
      place(`prometheus/rules/${group.name}.yml`, where, ruleFile([group]));
      if (kubernetes) {
        const object = kubernetes.ruleGroup(group, where);
        place(object.path, where, object.content);
      }
    },
    finish() {
      for (const { path, content } of kubernetes?.monitors(servers, options.scrapeInterval ?? defaultScrapeInterval) ?? []) {
        place(path, path, content);
      }
      emit(
        providerFile,
        yaml({
          apiVersion: 1,
          providers: [
            {
              name: 'inferboard',
              orgId: 1,
              type: 'file',
              disableDeletion: false,
              // Dashboards are code: edits belong in the repository, not the UI.
              allowUiUpdates: false,
              updateIntervalSeconds: 30,
              options: { path: options.dashboardsPath ?? '/var/lib/grafana/dashboards', foldersFromFilesStructure: true },
            },
          ],
        }),
      );
      emit(
        datasourceFile,
        yaml({ apiVersion: 1, datasources: inProvisioningFile(datasourceEntries(datasource, options, logsKinds)) }),
      );
      if (kubernetes && logsKinds.size > 0) {
        for (const object of kubernetes.datasources(logsKinds, options)) place(object.path, object.path, object.content);
      }
    },
  };
}

/**
 * Computes every file of the tree, keyed by relative path, sorted. Throws as
 * {@link provisioningTree} does.
 */
export function provisioningFiles(
  dashboards: readonly BuiltDashboard[],
  options: ProvisioningOptions = {},
  ruleGroups: readonly { readonly group: RuleGroup; readonly where: string }[] = [],
  kubernetes?: KubernetesWriter,
): Map<string, string> {
  const files = new Map<string, string>();
  const tree = provisioningTree(options, (path, content) => files.set(path, content), kubernetes);
  for (const dashboard of dashboards) tree.addDashboard(dashboard);
  for (const { group, where } of ruleGroups) tree.addRuleGroup(group, where);
  tree.finish();
  return sortedByPath(files);
}

/** The files in path order: a tree's listing, the same on every machine. */
export function sortedByPath(files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
