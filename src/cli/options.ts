/**
 * The command line's own parsing: commander parsers whose errors name the option and the value,
 * the build's options, and the inputs a command reads when none are named.
 */
import { existsSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import type { KubernetesOptions } from '../build/kubernetes.js';

/** The options of the build command, as commander parses them. */
export interface CliOptions {
  out: string;
  check?: boolean;
  prometheusUrl: string;
  lokiUrl: string;
  tempoUrl: string;
  dashboardsPath: string;
  scrapeInterval: string;
  loadTimeout: number;
  schema: 'v1' | 'v2';
  kubernetes?: boolean;
  namespace?: string;
  dashboardLabel?: Record<string, string>;
  datasourceLabel?: Record<string, string>;
  prometheusDatasourceUid?: string;
  folderAnnotation?: string;
  grafanaOperator?: boolean;
  instanceSelector?: Record<string, string>;
  prometheusLabel?: Record<string, string>;
  serviceLabel?: string;
  serverSideApply?: boolean;
  watch?: boolean;
  pushTo?: string;
}

/** The Kubernetes options of the command line; each needs --kubernetes, which their defaults follow. */
export function kubernetesOptions(options: CliOptions): KubernetesOptions | undefined {
  const given = (
    [
      ['--namespace', options.namespace],
      ['--dashboard-label', options.dashboardLabel],
      ['--datasource-label', options.datasourceLabel],
      ['--prometheus-datasource-uid', options.prometheusDatasourceUid],
      ['--folder-annotation', options.folderAnnotation],
      ['--grafana-operator', options.grafanaOperator],
      ['--instance-selector', options.instanceSelector],
      ['--prometheus-label', options.prometheusLabel],
      ['--service-label', options.serviceLabel],
      ['--server-side-apply', options.serverSideApply],
    ] as const
  ).filter(([, value]) => value !== undefined);
  if (!options.kubernetes) {
    if (given.length > 0) throw new InvalidArgumentError(`${given[0]![0]} needs --kubernetes`);
    return undefined;
  }
  if (options.instanceSelector && !options.grafanaOperator)
    throw new InvalidArgumentError('--instance-selector needs --grafana-operator');
  const [dashboardLabel] = Object.entries(options.dashboardLabel ?? {});
  const [datasourceLabel] = Object.entries(options.datasourceLabel ?? {});
  return {
    namespace: options.namespace,
    dashboards: options.grafanaOperator ? 'grafana-operator' : 'configmap',
    dashboardLabel: dashboardLabel && { name: dashboardLabel[0], value: dashboardLabel[1] },
    datasourceLabel: datasourceLabel && { name: datasourceLabel[0], value: datasourceLabel[1] },
    prometheusDatasourceUid: options.prometheusDatasourceUid,
    folderAnnotation: options.folderAnnotation,
    instanceSelector: options.instanceSelector,
    prometheusLabels: options.prometheusLabel,
    serviceLabel: options.serviceLabel,
    serverSideApply: options.serverSideApply,
  };
}

/** A commander parser of repeatable `name=value` pairs into one record; the error names the option. */
export function labelPairs(
  option: string,
  repeatable = true,
): (value: string, previous?: Record<string, string>) => Record<string, string> {
  return (value, previous) => {
    const match = /^([^=\s]+)=([^=\s]*)$/.exec(value);
    if (!match) throw new InvalidArgumentError(`${option} ${JSON.stringify(value)} is not name=value`);
    if (!repeatable && previous) throw new InvalidArgumentError(`${option} is given twice`);
    return { ...previous, [match[1]!]: match[2]! };
  };
}

/** A commander parser of a whole number in `min`-`max`; the error names the option and the value. */
export function wholeNumber(option: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!(number >= min && number <= max))
      throw new InvalidArgumentError(`${option} ${JSON.stringify(value)} is not a whole number from ${min} to ${max}`);
    return number;
  };
}

/** A commander parser of an http(s) URL; the error names the option and the value. */
export function httpUrl(option: string, example = 'https://grafana.example.com'): (value: string) => string {
  return (value) => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new InvalidArgumentError(`${option} ${JSON.stringify(value)} is not an http(s) URL such as ${example}`);
    }
    return value;
  };
}

/**
 * The inputs of a command given none: the repository's `dashboards/` (what `build-dashboards
 * init` makes), else `examples/` where there is no `dashboards/` (inferboard's own repository).
 */
export function defaultInputs(): string[] {
  if (existsSync('dashboards')) return ['dashboards'];
  if (existsSync('examples')) return ['examples'];
  throw new InvalidArgumentError('no dashboards/ folder here: name the dashboard modules, or run build-dashboards init');
}

/** The inputs named, or {@link defaultInputs}. */
export function inputsOf(given: readonly string[] | undefined): string[] {
  return given && given.length > 0 ? [...given] : defaultInputs();
}

/** The command line of one build of a watch: the same, without `--watch` and `--push-to <url>`. */
export function buildArguments(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    if (argument === '--push-to') index += 1;
    else if (argument !== '--watch' && !argument.startsWith('--push-to=')) kept.push(argument);
  }
  return kept;
}
