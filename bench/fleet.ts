// The benchmark fleet: one dashboard of 12 panels per model (bench/fleetModels.ts).
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
import { models } from './fleetModels.js';

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

/** One model's dashboard, in the Fleet folder. */
export function modelDashboard(model: string) {
  return dashboard({ uid: `fleet-${model}`, title: `Fleet ${model}`, folder: 'Fleet', panels: modelPanels(model) });
}

export default models.map(modelDashboard);
