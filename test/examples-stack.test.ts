/**
 * The example stack fits the generated tree: Prometheus accepts its config, and Grafana's
 * mounts point where the provisioning files say.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { engines } from './support/engines.js';
import { promtool } from './support/promtool.js';
import { datasourceFile, providerFile, provisioningFiles } from '../src/buildTool.js';
import {
  batcherAlerts,
  batcherMetrics,
  dcgmMetrics,
  defaultDatasource,
  recordingRules,
  tritonMetrics,
  vllmMetrics,
} from '../src/index.js';
import { datasourceEntries } from '../src/build/datasources.js';

const examples = new URL('../examples/', import.meta.url).pathname;

test('the examples (the live batcher service included) and the benchmark type-check', () => {
  for (const project of [examples, new URL('../bench/', import.meta.url).pathname]) {
    const result = spawnSync(
      process.execPath,
      [new URL('../node_modules/typescript/bin/tsc', import.meta.url).pathname, '-p', project],
      { encoding: 'utf8' },
    );
    assert.equal(result.status, 0, result.stdout + result.stderr);
  }
});

test('promtool accepts the example Prometheus configs', () => {
  for (const engine of engines) {
    for (const config of ['prometheus.yml', 'batcher-service/prometheus.yml']) {
      // Rule files exist only after build-dashboards; their names are checked below.
      const result = promtool(engine, ['check', 'config', '--syntax-only', `${examples}${config}`]);
      assert.equal(result.status, 0, `${engine.name}: ${result.output}`);
    }
  }
});

test("the live batcher service's Prometheus loads the batcher alert and recording rules that build-dashboards writes", () => {
  const config = parse(readFileSync(`${examples}batcher-service/prometheus.yml`, 'utf8'));
  const groups = [batcherAlerts(), recordingRules({ profile: batcherMetrics })].map(
    (group) => `../../dist/grafana/prometheus/rules/${group.name}.yml`,
  );
  assert.deepEqual(config.rule_files, groups);
  assert.deepEqual(config.scrape_configs[0].static_configs[0].targets, ['127.0.0.1:8001']);
  assert.equal(config.scrape_configs[0].job_name, 'inference-api');
});

test('the compose file mounts the provisioning tree where Grafana and the provider expect it', () => {
  const compose = parse(readFileSync(`${examples}docker-compose.yml`, 'utf8'));
  const volumes: string[] = compose.services.grafana.volumes;
  const files = provisioningFiles([]);
  const provider = parse(files.get(providerFile) ?? '');
  const datasource = parse(files.get(datasourceFile) ?? '');
  assert.ok(volumes.includes('../dist/grafana/provisioning:/etc/grafana/provisioning:ro'));
  assert.ok(volumes.includes(`../dist/grafana/dashboards:${provider.providers[0].options.path}:ro`));
  assert.equal(datasource.datasources[0].url, 'http://prometheus:9090');
  assert.ok(compose.services.prometheus, 'a prometheus service answers at that URL');
  const scrape = parse(readFileSync(`${examples}prometheus.yml`, 'utf8'));
  assert.equal(scrape.global.scrape_interval, datasource.datasources[0].jsonData.timeInterval);
  assert.ok(compose.services.triton.command.includes('--metrics-config=summary_latencies=true'));
  assert.ok(compose.services.prometheus.volumes.includes('../dist/grafana/prometheus/rules:/etc/prometheus/rules:ro'));
  assert.deepEqual(scrape.rule_files, ['/etc/prometheus/rules/*.yml']);
});

test('the example stack scrapes every server under the job its default alerts watch; vLLM and the DCGM exporter start with the llm profile', () => {
  const scrape = parse(readFileSync(`${examples}prometheus.yml`, 'utf8'));
  const jobs = scrape.scrape_configs.map((config: { job_name: string }) => config.job_name);
  for (const profile of [tritonMetrics, batcherMetrics, vllmMetrics, dcgmMetrics]) {
    assert.ok(jobs.includes(profile.defaultJob), `a scrape job named ${profile.defaultJob} (${profile.displayName})`);
  }
  const compose = parse(readFileSync(`${examples}docker-compose.yml`, 'utf8'));
  assert.deepEqual(compose.services.vllm.profiles, ['llm']);
  assert.deepEqual(compose.services['dcgm-exporter'].profiles, ['llm']);
  const targets = (job: string) =>
    scrape.scrape_configs.find((config: { job_name: string }) => config.job_name === job).static_configs[0].targets;
  assert.deepEqual(targets('vllm'), ['vllm:8000']);
  assert.deepEqual(targets('dcgm-exporter'), ['dcgm-exporter:9400']);
});

test('the stack’s Loki and Tempo answer where the provisioned datasources point, and hold what the Logs and Traces rows read', () => {
  const compose = parse(readFileSync(`${examples}docker-compose.yml`, 'utf8'));
  const sources = datasourceEntries(defaultDatasource, {}, new Set(['loki', 'tempo']));
  const url = (type: string) => sources.find((source) => source.type === type)!.url;
  assert.equal(url('loki'), 'http://loki:3100');
  assert.ok(compose.services.loki.ports.includes('3100:3100'));
  assert.equal(url('tempo'), 'http://tempo:3200');
  const tempo = parse(readFileSync(`${examples}tempo.yaml`, 'utf8'));
  assert.equal(tempo.server.http_listen_port, 3200);
  // Spans reach Tempo's OTLP/HTTP receiver, named by the job the dashboards' $job selects.
  assert.equal(tempo.distributor.receivers.otlp.protocols.http.endpoint, '0.0.0.0:4318');
  assert.ok(compose.services['inference-api'].command.includes('--otlp-traces-url=http://tempo:4318/v1/traces'));
  assert.ok(compose.services.triton.command.includes('--trace-config=opentelemetry,url=http://tempo:4318/v1/traces'));
  assert.ok(
    compose.services.triton.command.includes(`--trace-config=opentelemetry,resource=service.name=${tritonMetrics.defaultJob}`),
  );
  // The request log reaches Loki under the job and instance Prometheus scrapes the service as.
  const scrape = parse(readFileSync(`${examples}prometheus.yml`, 'utf8'));
  const job = scrape.scrape_configs.find((config: { job_name: string }) => config.job_name === batcherMetrics.defaultJob);
  const alloy = readFileSync(`${examples}alloy.alloy`, 'utf8');
  assert.match(alloy, new RegExp(`"job"\\s*=\\s*"${job.job_name}"`));
  assert.match(alloy, new RegExp(`"instance"\\s*=\\s*"${job.static_configs[0].targets[0]}"`));
  assert.match(alloy, /"__path__"\s*=\s*"\/var\/log\/inference-api\/requests\.log"/);
  assert.ok(compose.services['inference-api'].command.includes('--log-file=/var/log/inference-api/requests.log'));
  assert.ok(compose.services.prometheus.command.includes('--enable-feature=exemplar-storage'));
});
