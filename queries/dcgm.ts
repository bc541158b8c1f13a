/**
 * NVIDIA's DCGM exporter (dcgm-exporter 4.x, default counters): GPU gauges for any server,
 * the LLM servers included, which export none. Every series carries `gpu` (the index), `UUID`,
 * `device`, `modelName` and the host (`Hostname` in released versions, `hostname` after them);
 * MIG instances add `GPU_I_ID` and `GPU_I_PROFILE`; with the Kubernetes mapping, a GPU a pod
 * holds adds `namespace`, `pod` and `container`. Utilization is in percent, memory in MiB.
 */
import type { MetricFamilies, MetricsProfile } from './profile.js';
import { checkOptions } from './options.js';

/** The families of dcgm-exporter's default counters (`etc/default-counters.csv`). */
export const dcgmMetricFamilies: MetricFamilies = {
  // A counters CSV picks among hundreds of DCGM fields: the list is not exhaustive.
  prefixes: [],
  counter: [
    'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
    'DCGM_FI_DEV_PCIE_REPLAY_COUNTER',
    'DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL',
    'DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS',
    'DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS',
  ],
  gauge: [
    'DCGM_FI_DEV_GPU_UTIL',
    'DCGM_FI_DEV_MEM_COPY_UTIL',
    'DCGM_FI_DEV_ENC_UTIL',
    'DCGM_FI_DEV_DEC_UTIL',
    'DCGM_FI_DEV_FB_USED',
    'DCGM_FI_DEV_FB_FREE',
    'DCGM_FI_DEV_FB_RESERVED',
    'DCGM_FI_DEV_POWER_USAGE',
    'DCGM_FI_DEV_SM_CLOCK',
    'DCGM_FI_DEV_MEM_CLOCK',
    'DCGM_FI_DEV_GPU_TEMP',
    'DCGM_FI_DEV_MEMORY_TEMP',
    'DCGM_FI_DEV_XID_ERRORS',
    'DCGM_FI_DEV_ROW_REMAP_FAILURE',
    'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
    'DCGM_FI_PROF_DRAM_ACTIVE',
    'DCGM_FI_PROF_PCIE_TX_BYTES',
    'DCGM_FI_PROF_PCIE_RX_BYTES',
  ],
  histogram: [],
  summary: [],
};

/** Options of {@link createDcgmProfile}. */
export interface DcgmProfileOptions {
  /**
   * The labels DCGM's pod mapping arrives under. Prometheus renames an exporter's `namespace` and
   * `pod` to `exported_namespace` and `exported_pod` when its own target labels have those
   * names, unless the scrape sets `honor_labels` (the GPU Operator's ServiceMonitor does).
   * Default `{ namespace: 'namespace', pod: 'pod' }`.
   */
  readonly podLabels?: { readonly namespace: string; readonly pod: string };
}

const mebibyte = 1024 * 1024;

/** Builds the DCGM exporter profile. */
export function createDcgmProfile(options: DcgmProfileOptions = {}): MetricsProfile {
  checkOptions('createDcgmProfile', options);
  const pods = options.podLabels ?? { namespace: 'namespace', pod: 'pod' };
  return {
    id: 'dcgm',
    displayName: 'NVIDIA DCGM exporter',
    defaultJob: 'dcgm-exporter',
    alertPrefix: 'Dcgm',
    labels: {
      job: 'job',
      instance: 'instance',
      gpu: 'UUID',
      gpuInstance: 'GPU_I_ID',
      host: 'hostname',
      hostAliases: ['Hostname'],
      namespace: pods.namespace,
      pod: pods.pod,
    },
    discoveryMetric: 'DCGM_FI_DEV_GPU_UTIL',
    scrape: { port: 9400, honorLabels: true },
    families: dcgmMetricFamilies,
    gpu: {
      utilization: { name: 'DCGM_FI_DEV_GPU_UTIL', scale: 0.01 },
      memoryUsedBytes: { name: 'DCGM_FI_DEV_FB_USED', scale: mebibyte },
      memoryFreeBytes: { name: 'DCGM_FI_DEV_FB_FREE', scale: mebibyte },
      powerWatts: { name: 'DCGM_FI_DEV_POWER_USAGE' },
      temperatureCelsius: { name: 'DCGM_FI_DEV_GPU_TEMP' },
      xidErrors: { name: 'DCGM_FI_DEV_XID_ERRORS' },
      perGpu: ['host', 'gpu', 'gpuInstance'],
    },
  };
}

/** The DCGM exporter with its default labels. */
export const dcgmMetrics: MetricsProfile = createDcgmProfile();
