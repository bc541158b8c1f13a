// The benchmark fleet: one dashboard of 12 panels per model, 1,000 models (BENCH_FLEET_SIZE overrides).
import {
  batchingEfficiency,
  batchSize,
  computeTime,
  dashboard,
  errorRate,
  gpuMemory,
  gpuUtilization,
  latency,
  queueSize,
  queueTime,
  requestRate,
  totalFailures,
  totalRequests,
} from 'inferboard';

export const fleetSize = Number(process.env.BENCH_FLEET_SIZE ?? 1000);

/** The panels of one model's dashboard, every query filtered to that model. */
export function modelPanels(model: string) {
  const only = { filters: [{ label: 'model', value: model }] };
  return [
    totalRequests(only),
    totalFailures(only),
    batchingEfficiency(only),
    queueSize(only),
    requestRate(only),
    errorRate(only),
    batchSize(only),
    latency(only),
    queueTime(only),
    computeTime(only),
    gpuUtilization(),
    gpuMemory(),
  ];
}

export const models = Array.from({ length: fleetSize }, (_, index) => `model-${String(index).padStart(4, '0')}`);

export default models.map((model) => dashboard({ uid: `fleet-${model}`, title: `Fleet ${model}`, folder: 'Fleet', panels: modelPanels(model) }));
