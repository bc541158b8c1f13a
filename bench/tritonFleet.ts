/**
 * A realistic Triton fleet as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`:
 * instances x models per-model series (success, failures by reason, inference and execution
 * counts, the five duration counters, the request summary, pending requests) and per-GPU gauges,
 * one sample per scrape interval. Values differ per model and instance and carry small
 * deterministic noise, so the output is the same on every run.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** Size and time span of the fleet. */
export interface FleetShape {
  readonly instances: number;
  readonly models: number;
  readonly gpusPerInstance: number;
  /** Unix seconds of the first sample. */
  readonly start: number;
  readonly hours: number;
  readonly scrapeSeconds: number;
}

/** A number in [0, 1) from two integers: noise that is the same on every run. */
function noise(series: number, step: number): number {
  let hash = Math.imul(series ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(step + 0x7f4a7c15, 0xc2b2ae35);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  hash ^= hash >>> 12;
  return (hash >>> 0) / 4294967296;
}

interface Series {
  readonly labels: string;
  /** Counter: per-second increase; gauge: value. Evaluated per step. */
  readonly value: (step: number) => number;
  readonly counter: boolean;
}

const failureReasons = ['REJECTED', 'CANCELED', 'BACKEND', 'OTHER'];
const summaryQuantiles: [string, number][] = [
  ['0.5', 0.9],
  ['0.9', 1.5],
  ['0.95', 1.8],
  ['0.99', 2.5],
  ['0.999', 3.5],
];

/** Every metric family of the fleet with its series. */
function families(shape: FleetShape): Map<string, Series[]> {
  const out = new Map<string, Series[]>();
  const add = (name: string, series: Series) => {
    const list = out.get(name) ?? [];
    list.push(series);
    out.set(name, list);
  };
  let id = 0;
  for (let instance = 0; instance < shape.instances; instance += 1) {
    const host = `triton-${String(instance).padStart(2, '0')}:8002`;
    const target = `job="triton",instance="${host}"`;
    add('up', { labels: target, value: () => 1, counter: false });
    for (let model = 0; model < shape.models; model += 1) {
      const labels = `${target},model="model-${String(model).padStart(2, '0')}",version="1"`;
      // Traffic, batch size and latency differ per model (spread, not sorted by index) and a little per instance.
      const rate = (2 + 40 * (((model * 37) % shape.models) / shape.models)) * (1 + 0.02 * instance);
      const batch = 1 + (model % 8);
      const latencyUs = 2000 + 300 * ((model * 13) % shape.models);
      const failureShare = 0.001 * (model % 7);
      const seriesId = (id += 1);
      const jitter = (step: number) => 0.95 + 0.1 * noise(seriesId, step);
      add('nv_inference_request_success', { labels, value: (step) => rate * jitter(step), counter: true });
      failureReasons.forEach((reason, index) =>
        add('nv_inference_request_failure', {
          labels: `${labels},reason="${reason}"`,
          value: () => (rate * failureShare * (index + 1)) / 10,
          counter: true,
        }),
      );
      add('nv_inference_count', { labels, value: (step) => rate * jitter(step), counter: true });
      add('nv_inference_exec_count', { labels, value: (step) => (rate * jitter(step)) / batch, counter: true });
      const durations: [string, number][] = [
        ['nv_inference_request_duration_us', 1],
        ['nv_inference_queue_duration_us', 0.2],
        ['nv_inference_compute_input_duration_us', 0.05],
        ['nv_inference_compute_infer_duration_us', 0.7],
        ['nv_inference_compute_output_duration_us', 0.05],
      ];
      for (const [name, share] of durations)
        add(name, { labels, value: (step) => rate * jitter(step) * latencyUs * share, counter: true });
      for (const [quantile, factor] of summaryQuantiles) {
        add('nv_inference_request_summary_us', {
          labels: `${labels},quantile="${quantile}"`,
          value: (step) => latencyUs * factor * jitter(step),
          counter: false,
        });
      }
      add('nv_inference_request_summary_us_sum', { labels, value: (step) => rate * jitter(step) * latencyUs, counter: true });
      add('nv_inference_request_summary_us_count', { labels, value: (step) => rate * jitter(step), counter: true });
      add('nv_inference_pending_request_count', {
        labels,
        value: (step) => Math.floor(((model % 5) + 2) * noise(seriesId, step)),
        counter: false,
      });
    }
    for (let gpu = 0; gpu < shape.gpusPerInstance; gpu += 1) {
      const labels = `${target},gpu_uuid="GPU-${String(instance).padStart(2, '0')}-${gpu}"`;
      const seriesId = (id += 1);
      const load = 0.3 + 0.06 * ((instance * shape.gpusPerInstance + gpu) % 10);
      add('nv_gpu_utilization', { labels, value: (step) => Math.min(1, load + 0.05 * noise(seriesId, step)), counter: false });
      add('nv_gpu_memory_total_bytes', { labels, value: () => 85899345920, counter: false });
      add('nv_gpu_memory_used_bytes', { labels, value: () => Math.round(85899345920 * load), counter: false });
      add('nv_gpu_power_usage', { labels, value: (step) => Math.round(400 * load + 20 * noise(seriesId, step)), counter: false });
      add('nv_gpu_power_limit', { labels, value: () => 700, counter: false });
    }
  }
  return out;
}

/** Writes the fleet to `path`; resolves with the number of series and samples written. */
export async function writeFleet(path: string, shape: FleetShape): Promise<{ series: number; samples: number }> {
  const steps = Math.floor((shape.hours * 3600) / shape.scrapeSeconds) + 1;
  const file = createWriteStream(path);
  let series = 0;
  let chunk = '';
  const flush = async () => {
    if (!file.write(chunk)) await once(file, 'drain');
    chunk = '';
  };
  for (const [name, list] of families(shape)) {
    chunk += `# TYPE ${name} unknown\n`;
    for (const item of list) {
      series += 1;
      let total = 0;
      const prefix = `${name}{${item.labels}} `;
      for (let step = 0; step < steps; step += 1) {
        const value = item.value(step);
        total = item.counter ? total + value * shape.scrapeSeconds : value;
        chunk += `${prefix}${item.counter ? Math.round(total) : Number(total.toFixed(4))} ${shape.start + step * shape.scrapeSeconds}\n`;
        if (chunk.length > 1 << 20) await flush();
      }
    }
  }
  chunk += '# EOF\n';
  await flush();
  file.end();
  await once(file, 'finish');
  return { series, samples: series * steps };
}
