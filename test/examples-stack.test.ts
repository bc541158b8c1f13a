/**
 * The example stack fits the generated tree: Prometheus accepts its config, and Grafana's
 * mounts point where the provisioning files say.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { provisioningFiles, providerFile, datasourceFile } from '../src/index.js';

const examples = new URL('../examples/', import.meta.url).pathname;

test('promtool accepts the example Prometheus config', () => {
  const result = spawnSync('promtool', ['check', 'config', `${examples}prometheus.yml`], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stdout + result.stderr);
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
