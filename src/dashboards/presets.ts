/**
 * Ready-made dashboards: the Triton guide's Triton dashboard and the dynamic batcher guide's dynamic batcher dashboard,
 * assembled only from `inferboard/panels`.
 */
import {
  batchingEfficiency,
  batchSize,
  batchSizeDistribution,
  burnRate,
  computeTime,
  errorBudgetRemaining,
  errorRate,
  gpuMemory,
  gpuUtilization,
  inflightBatches,
  latency,
  modelSummary,
  queueSize,
  queueTime,
  requestRate,
  serviceLevel,
  totalExecutions,
  totalFailures,
  totalRequests,
} from '../../panels/index.js';
import { batcherMetrics, tritonMetrics, type MetricsProfile, type ServiceLevelObjective } from '../../queries/index.js';
import { dashboard, type DashboardOptions, type InferboardDashboard } from './dashboard.js';

/** Options of the presets: any dashboard option but the panels. */
export interface PresetOptions extends Partial<Omit<DashboardOptions, 'panels' | 'rows'>> {
  /** Read rates from the recorded series of `recordingRules()` (see `recorded` of the query options). Default `false`. */
  readonly recorded?: boolean;
  /** Prometheus's scrape interval of the series, as `recordingRules()` and `build-dashboards --scrape-interval` take it. Default `15s`. */
  readonly scrapeInterval?: string;
}

function dashboardOptions({
  recorded: _recorded,
  scrapeInterval: _scrapeInterval,
  ...options
}: PresetOptions): Partial<DashboardOptions> {
  return options;
}

/** The query options every panel of a preset shares. */
function panelOptions(options: PresetOptions, profile: MetricsProfile) {
  return {
    profile,
    recorded: options.recorded ?? false,
    ...(options.scrapeInterval ? { scrapeInterval: options.scrapeInterval } : {}),
  };
}

/** The Triton dashboard of the Triton guide: traffic, batching, latency, GPU and a per-model table. */
export function tritonDashboard(options: PresetOptions = {}): InferboardDashboard {
  const profile: MetricsProfile = options.profile ?? tritonMetrics;
  const panel = panelOptions(options, profile);
  return dashboard({
    uid: 'triton-inference',
    title: 'Triton Inference Server',
    description: 'Request rate, batching, latency and GPU usage of NVIDIA Triton, per model.',
    tags: ['inferboard', 'triton'],
    ...dashboardOptions(options),
    profile,
    rows: [
      {
        title: 'Overview',
        panels: [totalRequests(panel), totalFailures(panel), totalExecutions(panel), batchingEfficiency(panel)],
      },
      { title: 'Traffic and batching', panels: [requestRate(panel), batchSize(panel), errorRate(panel), queueSize(panel)] },
      { title: 'Latency', panels: [latency(panel), queueTime(panel), computeTime(panel)] },
      { title: 'GPU', panels: [gpuUtilization(panel), gpuMemory(panel)] },
      { title: 'Models', panels: [modelSummary(panel)] },
    ],
  });
}

/** The dynamic batcher dashboard of the dynamic batcher guide. */
export function batcherDashboard(options: PresetOptions = {}): InferboardDashboard {
  const profile: MetricsProfile = options.profile ?? batcherMetrics;
  const panel = panelOptions(options, profile);
  return dashboard({
    uid: 'inference-api-batcher',
    title: 'Inference API - Dynamic Batcher',
    description: 'Throughput, reliability, latency and batching of the inference API with a dynamic batcher.',
    tags: ['inferboard', 'batcher'],
    ...dashboardOptions(options),
    profile,
    rows: [
      { title: 'Requests', panels: [requestRate(panel), errorRate(panel), latency({ ...panel, quantiles: [0.5, 0.95, 0.99] })] },
      {
        title: 'Batching',
        panels: [
          batchSize(panel),
          batchingEfficiency({ ...panel, width: 12, height: 8 }),
          queueSize(panel),
          inflightBatches(panel),
        ],
      },
      {
        title: 'Timing',
        panels: [
          queueTime({ ...panel, title: 'Batch wait time' }),
          computeTime({ ...panel, title: 'Inference time' }),
          batchSizeDistribution({ ...panel, width: 24 }),
        ],
      },
    ],
  });
}

/** Options of {@link sloDashboard}. */
export interface SloDashboardOptions extends Partial<Omit<DashboardOptions, 'panels' | 'rows'>> {
  /** The objectives, one row each; `sloRules()` must record them. */
  readonly objectives: readonly ServiceLevelObjective[];
}

/** One row per objective: error budget remaining, burn rate, and the indicator against the target. */
export function sloDashboard(options: SloDashboardOptions): InferboardDashboard {
  const { objectives, ...rest } = options;
  if (objectives.length === 0) throw new Error('sloDashboard needs at least one objective');
  return dashboard({
    uid: 'inference-slo',
    title: 'Inference SLOs',
    description: 'Error budgets, burn rates and indicators of the inference service level objectives.',
    tags: ['inferboard', 'slo'],
    time: { from: 'now-7d', to: 'now' },
    refresh: '1m',
    // The $model variable, where any objective's profile has a model label.
    profile: (objectives.find((slo) => slo.profile.labels.model) ?? objectives[0])?.profile,
    ...rest,
    rows: objectives.map((slo) => ({
      title: `${slo.name}: ${slo.description}`,
      panels: [errorBudgetRemaining(slo), burnRate(slo), serviceLevel(slo)],
    })),
  });
}
