/**
 * The batcher dashboard tells the truth about a live service: the example inference API runs
 * under load, a real Prometheus scrapes it on 127.0.0.1 and evaluates the shipped alert rules,
 * and every panel query of the dashboard reads what the service is doing. Its latency exemplars
 * lead to the traces and log lines of the requests they count (files here: no Loki or Tempo).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import batcherExample from '../examples/batcher.js';
import { generateLoad, type LoadReport } from '../examples/batcher-service/load.js';
import { panelValues, type PanelValue } from '../examples/batcher-service/watch.js';
import {
  allPanels,
  batcherAlerts,
  batcherMetrics,
  expandVariables,
  queryLanguage,
  recordingRules,
  ruleFile,
} from '../src/index.js';
import { logQueryFacts } from '../src/check/logql.js';
import { engines, type Engine } from './support/engines.js';
import { freePort } from './support/freePort.js';

const root = new URL('..', import.meta.url).pathname;
/** The service under test; its worst-case latency below capacity is maxQueueDelay + 2 batches (one ahead, its own). */
const service = { maxBatchSize: 8, maxQueueDelayMs: 20, maxInflightBatches: 1, modelBaseMs: 10, modelPerItemMs: 1 };
const worstCaseSeconds =
  (service.maxQueueDelayMs + 2 * (service.modelBaseMs + service.modelPerItemMs * service.maxBatchSize)) / 1000;
/** prom-client's default buckets: a histogram quantile is only as fine as the bucket that holds it. */
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const requestsPerSecond = 150;
const injectedErrorRatio = 0.25;
/** Grafana's $__rate_interval at a 1 s scrape interval and a short step. */
const refresh = { rateInterval: '10s', range: '10s' };

const processes: ChildProcess[] = [];
let work = '';
let serviceUrl = '';
let prometheusUrl = '';
/** The traces the load generator (the gateway) started, and what it saw of the load. */
const sentTraces = new Set<string>();
let loadReport: LoadReport | undefined;
const requestLog = () => join(work, 'requests.log');
const spansFile = () => join(work, 'spans.jsonl');

function start(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  processes.push(child);
  return child;
}

/** Sends that happened in the last `seconds` before now, per second: the rate the panel should read. */
function sentRate(sends: readonly number[], seconds: number): number {
  const since = performance.now() - seconds * 1000;
  return sends.filter((at) => at >= since).length / seconds;
}

async function until<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(250);
  }
  throw new Error(`timed out after ${seconds} s waiting for ${what}`);
}

async function prometheusApi<T>(path: string): Promise<T> {
  const body = (await (await fetch(`${prometheusUrl}${path}`)).json()) as { status: string; data: T };
  assert.equal(body.status, 'success', path);
  return body.data;
}

interface Alert {
  readonly labels: Record<string, string>;
  readonly state: string;
  readonly value: string;
}

const alerts = async (): Promise<Alert[]> => (await prometheusApi<{ alerts: Alert[] }>('/api/v1/alerts')).alerts;

/** What the dashboard shows right now, keyed `panel / legend`. */
async function dashboardNow(): Promise<Map<string, PanelValue>> {
  const lines = await panelValues(batcherExample.build(), { prometheusUrl, ...refresh });
  return new Map(lines.map((line) => [`${line.panel} / ${line.legend}`, line]));
}

function read(panels: Map<string, PanelValue>, key: string): number {
  const line = panels.get(key);
  assert.ok(line, `the dashboard shows no "${key}"; it shows ${[...panels.keys()].join(', ')}`);
  return line.value;
}

/** The whole scenario on one engine: its own service, its own Prometheus. */
function liveSuite(engine: Engine): void {
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'inferboard-live-'));
    sentTraces.clear();
    const server = start(process.execPath, [
      '--import',
      'tsx',
      'examples/batcher-service/server.ts',
      '--port=0',
      `--max-batch-size=${service.maxBatchSize}`,
      `--max-queue-delay-ms=${service.maxQueueDelayMs}`,
      `--max-inflight-batches=${service.maxInflightBatches}`,
      `--model-base-ms=${service.modelBaseMs}`,
      `--model-per-item-ms=${service.modelPerItemMs}`,
      `--log-file=${requestLog()}`,
      `--spans-file=${spansFile()}`,
    ]);
    let output = '';
    serviceUrl = await until('the service to listen', 30, async () => {
      output += server.stdout?.read()?.toString() ?? '';
      return /listening on (http:\/\/\S+)/.exec(output)?.[1];
    });

    writeFileSync(join(work, 'rules.yml'), ruleFile([batcherAlerts(), recordingRules({ profile: batcherMetrics })]));
    const host = serviceUrl.replace('http://', '');
    writeFileSync(
      join(work, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: ['rules.yml'],
        scrape_configs: [{ job_name: 'inference-api', static_configs: [{ targets: [host] }] }],
      }),
    );
    const address = `127.0.0.1:${await freePort()}`;
    prometheusUrl = `http://${address}`;
    start(engine.prometheus, [
      `--config.file=${join(work, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(work, 'data')}`,
      `--web.listen-address=${address}`,
      '--enable-feature=exemplar-storage',
    ]);
    await until('Prometheus to scrape the service', 60, async () => {
      const { activeTargets } = await prometheusApi<{ activeTargets: { health: string }[] }>('/api/v1/targets');
      return activeTargets[0]?.health === 'up' ? true : undefined;
    });
  });

  after(() => {
    for (const child of processes) child.kill('SIGKILL');
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('under concurrent load the batcher dashboard reads the live service: rate, batching, latency, no errors; injected errors raise the error panel and alert', async () => {
    // The job variable lists the service as Grafana's label_values() would.
    const jobs = await prometheusApi<string[]>(
      `/api/v1/label/job/values?${new URLSearchParams({ 'match[]': batcherMetrics.discoveryMetric })}`,
    );
    assert.deepEqual(jobs, ['inference-api']);

    const sends: number[] = [];
    const load: Promise<LoadReport> = generateLoad({
      url: serviceUrl,
      rate: requestsPerSecond,
      durationSeconds: 40,
      concurrency: 64,
      onSent: (at, traceId) => {
        sends.push(at);
        sentTraces.add(traceId);
      },
    });
    await sleep(14_000);
    // On a loaded machine the generator sends fewer than nominal: compare with what it really sent.
    const sent = sentRate(sends, 10);
    const healthy = await dashboardNow();

    const requestRate = read(healthy, 'Request rate / success');
    assert.ok(Math.abs(requestRate - sent) / sent < 0.15, `request rate ${requestRate}/s, the generator sent ${sent}/s`);
    assert.equal(read(healthy, 'Request rate / failure'), 0);
    assert.equal(read(healthy, 'Error rate / A'), 0);

    const batchSize = read(healthy, 'Average batch size (requests) / A');
    assert.ok(batchSize > 1 && batchSize <= service.maxBatchSize, `average batch size ${batchSize}`);
    const efficiency = read(healthy, 'Batching efficiency (requests) / A');
    assert.ok(efficiency > 0.5, `batching efficiency ${efficiency}`);
    assert.ok(Math.abs(efficiency - (1 - 1 / batchSize)) < 0.05, `efficiency ${efficiency} is 1 - 1/batch size (${batchSize})`);

    // Every request takes at least one model launch, and at most the configured worst case, read to bucket precision.
    const bucketOfWorstCase = latencyBuckets.find((bound) => bound >= worstCaseSeconds) ?? Infinity;
    for (const quantile of ['P50', 'P95', 'P99', 'avg']) {
      const seconds = read(healthy, `Request latency P50 / P95 / P99 / ${quantile}`);
      assert.ok(
        seconds >= service.modelBaseMs / 1000 && seconds <= bucketOfWorstCase,
        `${quantile} latency ${seconds} s, bounds ${service.modelBaseMs} ms to ${bucketOfWorstCase} s`,
      );
    }
    assert.ok(read(healthy, 'Request latency P50 / P95 / P99 / P50') <= read(healthy, 'Request latency P50 / P95 / P99 / P95'));

    const inference = read(healthy, 'Inference time P50 / P95 / P99 / avg');
    const modelTime = (service.modelBaseMs + service.modelPerItemMs * batchSize) / 1000;
    assert.ok(
      inference >= modelTime - 0.001 && inference < modelTime + 0.005,
      `inference time ${inference} s, the model takes ${modelTime} s for ${batchSize} requests`,
    );
    const wait = read(healthy, 'Batch wait time / A');
    assert.ok(wait > 0 && wait <= worstCaseSeconds, `batch wait ${wait} s`);
    const queue = read(healthy, 'Queue size / A');
    assert.ok(queue >= 0 && queue < 2 * service.maxBatchSize, `queue size ${queue}`);
    const inflight = read(healthy, `Inflight batches / ${serviceUrl.replace('http://', '')}`);
    assert.ok(inflight >= 0 && inflight <= service.maxInflightBatches, `inflight batches ${inflight}`);
    // No batch is larger than the maximum: the bucket at max batch size already holds every batch.
    const batchesAtMost = (le: string) => read(healthy, `Batch size distribution / ${le}`);
    assert.ok(batchesAtMost('+Inf') > 0);
    assert.equal(batchesAtMost(engine.bound(String(service.maxBatchSize))), batchesAtMost('+Inf'));
    assert.ok(
      batchesAtMost(engine.bound('1')) < batchesAtMost('+Inf'),
      'under concurrency most batches hold more than one request',
    );
    assert.ok(
      !(await alerts()).some((alert) => alert.labels.alertname === 'BatcherHighErrorRate'),
      'no error alert before errors',
    );

    const injected = await fetch(`${serviceUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({ errorRatio: injectedErrorRatio }),
    });
    assert.equal(injected.status, 200);
    await sleep(13_000);
    const failing = await dashboardNow();
    const errorRate = read(failing, 'Error rate / A');
    assert.ok(Math.abs(errorRate - injectedErrorRatio) < 0.05, `error rate ${errorRate}, injected ${injectedErrorRatio}`);
    const failures = read(failing, 'Request rate / failure');
    const failingSent = sentRate(sends, 10);
    assert.ok(
      Math.abs(failures - injectedErrorRatio * failingSent) / (injectedErrorRatio * failingSent) < 0.2,
      `failures ${failures}/s of ${failingSent}/s sent`,
    );

    // The shipped alert (5 m window, error ratio above 5 %) becomes active; it fires after its `for: 5m`.
    const alert = await until('BatcherHighErrorRate to become active', 20, async () =>
      (await alerts()).find((candidate) => candidate.labels.alertname === 'BatcherHighErrorRate'),
    );
    assert.equal(alert.state, 'pending');
    assert.equal(alert.labels.severity, 'warning');
    assert.ok(Number(alert.value) > 0.05 && Number(alert.value) < injectedErrorRatio, `alert value ${alert.value}`);

    const report = await load;
    loadReport = report;
    assert.equal(report.skipped, 0, 'the service kept up with the load');
    assert.ok(
      report.failed > 0 && report.succeeded > report.failed * 2,
      `load generator saw ${report.succeeded} succeed and ${report.failed} fail`,
    );
  });

  test('every request is one log line in the format the log panels read, with the trace the gateway started', () => {
    assert.ok(loadReport, 'the load ran');
    const lines = logLines();
    assert.equal(lines.length, loadReport.succeeded + loadReport.failed, 'one line per answered request');
    assert.equal(lines.filter((line) => line.status === 'error' && line.level === 'error').length, loadReport.failed);
    // The fields the log panels filter, unwrap and group by; job and instance are stream labels, not fields.
    const fields = new Set(
      logTargets(batcherExample.build()).flatMap(({ expr }) => {
        const facts = logQueryFacts(expr);
        return [...facts.jsonFields, ...facts.groupingLabels];
      }),
    );
    assert.deepEqual([...fields].sort(), ['latency_ms', 'level', 'model', 'request_id', 'status', 'trace_id']);
    for (const line of lines) {
      for (const field of fields) assert.ok(field in line, `${JSON.stringify(line)} has no ${field}`);
      assert.ok(sentTraces.has(line.trace_id), `${line.trace_id} is a trace the gateway started`);
      assert.ok(line.batch_size >= 1 && line.batch_size <= service.maxBatchSize, `batch size ${line.batch_size}`);
    }
    assert.equal(new Set(lines.map((line) => line.request_id)).size, lines.length, 'request ids are unique');
  });

  test('a point on the latency panel opens its trace: the exemplars of its quantile queries are requests the service logged and traced', async () => {
    const dashboard = batcherExample.build();
    const latency = allPanels(dashboard).find((panel) => panel.title === 'Request latency P50 / P95 / P99');
    const targets = ((latency?.targets ?? []) as { refId: string; expr: string; exemplar?: boolean }[]).filter(
      (target) => target.exemplar,
    );
    assert.deepEqual(
      targets.map((target) => target.refId),
      ['A', 'B', 'C'],
      'the three quantiles, read from the histogram, ask for exemplars; the mean does not',
    );
    const logsByTrace = new Map(logLines().map((line) => [line.trace_id, line]));
    const end = Date.now() / 1000;
    for (const target of targets) {
      // What Grafana sends for a panel's exemplars: its query over the dashboard's range.
      const query = expandVariables(target.expr, dashboard, refresh);
      const series = await prometheusApi<Exemplars[]>(
        `/api/v1/query_exemplars?${new URLSearchParams({ query, start: String(end - 120), end: String(end) })}`,
      );
      const exemplars = series.flatMap((one) => one.exemplars.map((exemplar) => ({ ...exemplar, le: one.seriesLabels.le })));
      assert.ok(exemplars.length > 0, `${target.refId}: no exemplars for ${query}`);
      const spans = await until('the spans of the exemplars to be exported', 15, async () => {
        const exported = exportedSpans();
        return exemplars.every((exemplar) => exported.has(exemplar.labels.trace_id ?? '')) ? exported : undefined;
      });
      for (const exemplar of exemplars) {
        const traceId = exemplar.labels.trace_id ?? '';
        const seconds = Number(exemplar.value);
        assert.ok(sentTraces.has(traceId), `${traceId} is a trace the gateway started`);
        assert.ok(seconds <= Number(exemplar.le), `exemplar ${seconds} s lies in its bucket le=${exemplar.le}`);
        const line = logsByTrace.get(traceId);
        assert.ok(line, `the service logged trace ${traceId}`);
        assert.equal(line.latency_ms, Math.round(seconds * 1000), 'the log line and the histogram report one measurement');
        const span = spans.get(traceId);
        // The trace search panel's query: the job's service, its model, a server span under the gateway's.
        assert.equal(span?.service, 'inference-api');
        assert.equal(span?.model, 'demo');
        assert.equal(span?.kind, 2);
        assert.ok(span?.parentSpanId, "the span continues the gateway's trace");
      }
    }
  });
}

interface Exemplars {
  readonly seriesLabels: Record<string, string>;
  readonly exemplars: { readonly labels: Record<string, string>; readonly value: string; readonly timestamp: number }[];
}

interface LogLine {
  readonly level: string;
  readonly status: string;
  readonly request_id: string;
  readonly trace_id: string;
  readonly latency_ms: number;
  readonly batch_size: number;
}

const logLines = (): LogLine[] =>
  readFileSync(requestLog(), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LogLine);

/** The LogQL targets of a dashboard. */
function logTargets(dashboard: ReturnType<typeof batcherExample.build>): { expr: string }[] {
  return allPanels(dashboard).flatMap((panel) =>
    ((panel.targets ?? []) as { expr?: string; datasource?: unknown }[]).filter(
      (target): target is { expr: string } => queryLanguage(panel, target) === 'logql' && typeof target.expr === 'string',
    ),
  );
}

interface ExportedSpan {
  readonly service: string | undefined;
  readonly model: string | undefined;
  readonly kind: number;
  readonly parentSpanId: string | undefined;
}

type Attribute = { key: string; value: { stringValue?: string } };

/** The spans of the OTLP/JSON lines the service wrote, by trace id. */
function exportedSpans(): Map<string, ExportedSpan> {
  const spans = new Map<string, ExportedSpan>();
  const text = (() => {
    try {
      return readFileSync(spansFile(), 'utf8');
    } catch {
      return '';
    }
  })();
  for (const line of text.split('\n').filter((one) => one !== '')) {
    const request = JSON.parse(line) as {
      resourceSpans: {
        resource: { attributes: Attribute[] };
        scopeSpans: { spans: { traceId: string; parentSpanId?: string; kind: number; attributes: Attribute[] }[] }[];
      }[];
    };
    for (const { resource, scopeSpans } of request.resourceSpans) {
      const service = resource.attributes.find((attribute) => attribute.key === 'service.name')?.value.stringValue;
      for (const span of scopeSpans.flatMap((scope) => scope.spans)) {
        const model = span.attributes.find((attribute) => attribute.key === 'model')?.value.stringValue;
        spans.set(span.traceId, { service, model, kind: span.kind, parentSpanId: span.parentSpanId });
      }
    }
  }
  return spans;
}

for (const engine of engines) describe(engine.name, () => liveSuite(engine));
