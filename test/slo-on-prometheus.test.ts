/**
 * SLO rules on a real Prometheus rule engine (`promtool test rules`, 1-minute scrapes and
 * evaluations over 73 hours): each burn-rate alert fires in the incident it is meant for and
 * stays quiet in the others; the recorded error ratios and the SLO dashboard's panels read the
 * numbers the scenario implies.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import {
  batcherMetrics,
  burnRate,
  ruleFile,
  serviceLevel,
  serviceLevelObjective,
  sloDashboard,
  sloRules,
  type ServiceLevelObjective,
} from '../src/index.js';
import { testOnEngines, type Engine } from './support/engines.js';
import { exprTests, forPrometheus, promtool } from './support/promtool.js';

const minutes = 73 * 60;
const evalTime = `${minutes}m`;

/** A counter from per-minute increments given as [duration in minutes, increment per minute] segments, oldest first. */
function counter(series: string, segments: readonly (readonly [number, number])[]): { series: string; values: string } {
  let value = 0;
  const parts = segments.map(([length, increment]) => {
    const part = `${value}+${increment}x${length - 1}`;
    value += length * increment;
    return part;
  });
  return { series, values: parts.join(' ') };
}

/** A gauge from [duration in minutes, value] segments. */
function gauge(series: string, segments: readonly (readonly [number, number])[]): { series: string; values: string } {
  return { series, values: segments.map(([length, value]) => `${value}+0x${length - 1}`).join(' ') };
}

/** `minutes` of healthy history, then `badMinutes` at `bad`, then `afterMinutes` at `healthy` again (the incident ended). */
function timeline(healthy: number, bad: number, badMinutes: number, afterMinutes = 0): [number, number][] {
  const before = minutes + 1 - badMinutes - afterMinutes;
  return [
    [before, healthy],
    [badMinutes, bad],
    ...(afterMinutes > 0 ? [[afterMinutes, healthy] as [number, number]] : []),
  ].filter(([length]) => length > 0);
}

/** 1,000 requests a minute to `model`; `failures` of them fail, so the burn rate of a 99.9 % objective equals `failures`. */
function availabilityWorld(failures: [number, number][], model = 'resnet50') {
  const series = `job="triton",instance="t1",model="${model}"`;
  return [
    counter(`nv_inference_request_failure{${series},reason="BACKEND"}`, failures),
    counter(
      `nv_inference_request_success{${series}}`,
      failures.map(([length, failed]) => [length, 1000 - failed] as const),
    ),
  ];
}

const availability = serviceLevelObjective({
  name: 'triton-availability',
  objective: 99.9,
  indicator: { kind: 'availability' },
  filters: [{ label: 'job', value: 'triton' }],
});

const windowPairs = [
  { long: '1h', short: '5m', burn: '14.4', limit: '1.44', severity: 'critical', lasts: '50h' },
  { long: '6h', short: '30m', burn: '6', limit: '0.6', severity: 'critical', lasts: '5d' },
  { long: '1d', short: '2h', burn: '3', limit: '0.3', severity: 'warning', lasts: '10d' },
  { long: '3d', short: '6h', burn: '1', limit: '0.1', severity: 'warning', lasts: '30d' },
] as const;
type Pair = (typeof windowPairs)[number]['long'];

/** The alert an on-call engineer receives, labels and annotations exactly. */
function burnAlert(
  slo: ServiceLevelObjective,
  long: Pair,
  value: string,
  extraLabels: Record<string, string>,
  what = 'requests',
) {
  const pair = windowPairs.find((candidate) => candidate.long === long)!;
  // factor x budget in percent: the listed limits for a 0.1 % budget; for a 1 % budget it is the factor itself.
  const limit = slo.errorBudget === '0.001' ? pair.limit : pair.burn;
  const model = extraLabels.model ? ` on ${extraLabels.model}` : '';
  return {
    exp_labels: {
      slo: slo.name,
      long_window: pair.long,
      short_window: pair.short,
      burn_rate: pair.burn,
      severity: pair.severity,
      ...extraLabels,
    },
    exp_annotations: {
      summary: `SLO ${slo.name}${model} burns its error budget ${pair.burn}x too fast`,
      description:
        `${value} of ${what} missed "${slo.description}" over ${pair.long}, and over ${pair.short} still more than ${limit} %; ` +
        `at ${pair.burn}x the 30d budget lasts ${pair.lasts}.`,
    },
  };
}

/** One promtool test: the series, the burn-rate alerts expected at the end, and expressions to evaluate. */
function world(name: string, series: object[], firing: object[], expressions: object[] = []) {
  return {
    name,
    interval: '1m',
    input_series: series,
    // Every window pair is its own rule with one alert name; labels tell them apart.
    alert_rule_test: [{ eval_time: evalTime, alertname: 'ErrorBudgetBurn', exp_alerts: firing }],
    promql_expr_test: expressions,
  };
}

/** Rules are evaluated every 5 minutes (cheaper than 1: three days of 30-day windows), series scraped every minute. */
function runTests(engine: Engine, rules: string, tests: object[]) {
  const directory = mkdtempSync(join(tmpdir(), 'inferboard-slo-'));
  writeFileSync(join(directory, 'rules.yml'), rules);
  writeFileSync(
    join(directory, 'slo.test.yml'),
    stringify({ rule_files: ['rules.yml'], evaluation_interval: '5m', tests }, { lineWidth: 0 }),
  );
  const check = promtool(engine, ['check', 'rules', join(directory, 'rules.yml')]);
  assert.equal(check.status, 0, check.output);
  const result = promtool(engine, ['test', 'rules', join(directory, 'slo.test.yml')]);
  assert.equal(result.status, 0, `${result.output}\n(test file: ${join(directory, 'slo.test.yml')})`);
}

test('rule output has exact decimals and the window as a label', () => {
  const text = ruleFile([
    sloRules([
      availability,
      serviceLevelObjective({ name: 'four-nines', objective: 99.99, indicator: { kind: 'availability' } }),
    ]),
  ]);
  assert.doesNotMatch(text, /\d\.\d*(0000000|9999999)\d/, 'a float artefact such as 0.014400000000000001 reached the rules');
  assert.match(text, /> \(0\.0144\)/);
  assert.match(text, /> \(0\.00144\)/);
  assert.match(text, /> \(0\.0001\)/);
  assert.equal(availability.target, '0.999');
  assert.equal(availability.errorBudget, '0.001');
  const records = [...text.matchAll(/record: (\S+)/g)].map((match) => match[1]);
  assert.deepEqual([...new Set(records)], ['slo:sli_error:ratio_rate']);
  const windows = [...text.matchAll(/window: (\S+)/g)].map((match) => match[1]);
  assert.deepEqual([...new Set(windows)], ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d']);
});

testOnEngines(
  'each burn-rate alert of an availability SLO fires in its incident and stays quiet in the others; the SLO dashboard reads the same numbers',
  (engine) => {
    // One model per incident; with 1,000 requests a minute, the failures a minute are the burn rate.
    const incidents: { model: string; failures: [number, number][]; firing: [Pair, string][] }[] = [
      { model: 'healthy', failures: timeline(0.5, 0.5, 0), firing: [] },
      {
        model: 'steady-20x',
        failures: timeline(0, 20, minutes + 1),
        firing: [
          ['1h', '2%'],
          ['6h', '2%'],
          ['1d', '2%'],
          ['3d', '2%'],
        ],
      },
      { model: 'outage-last-70m', failures: timeline(0, 20, 70), firing: [['1h', '2%']] },
      // The 1h window still burns at 17x, but the 5m window has recovered: no page.
      { model: 'outage-ended-10m-ago', failures: timeline(0, 20, 60, 10), firing: [] },
      { model: 'slow-8x-for-8h', failures: timeline(0, 8, 8 * 60), firing: [['6h', '0.8%']] },
      {
        model: 'ticket-4x-for-25h',
        failures: timeline(0, 4, 25 * 60),
        firing: [
          ['1d', '0.4%'],
          ['3d', '0.1388%'],
        ],
      },
      { model: 'ticket-1.5x-for-3d', failures: timeline(0, 1.5, minutes + 1), firing: [['3d', '0.15%']] },
    ];
    const board = sloDashboard({ objectives: [availability] }).build();
    const targets = (board.panels ?? []).flatMap((panel) =>
      ((panel as { targets?: { expr: string; refId: string }[] }).targets ?? []).map((target) => ({
        key: `${panel.title}/${target.refId}`,
        expr: target.expr,
      })),
    );
    // What a user reads for the steady 20x model: a budget overspent 19 times over, 20x burn, 98 % good.
    const panelValues: Record<string, number> = {
      'triton-availability: error budget remaining/A': -19,
      'triton-availability: burn rate/A': 20,
      'triton-availability: burn rate/B': 20,
      'triton-availability: SLI vs objective/A': 0.98,
    };
    assert.deepEqual(targets.map((target) => target.key).sort(), Object.keys(panelValues).sort());
    // With every model selected and topSeries 3, which models each panel draws: the three burning
    // fastest (20x, 20x, ~17x) and the same three as the lowest service levels, not the best three.
    const worstThree = ['outage-ended-10m-ago', 'outage-last-70m', 'steady-20x'];
    const drawn = [burnRate(availability, { topSeries: 3, windows: ['1h'] }), serviceLevel(availability, { topSeries: 3 })].map(
      (panel) => ({
        expr: `sum by (model) (${forPrometheus(panel.build().targets?.[0]?.expr ?? '')}) * 0 + 1`,
        eval_time: evalTime,
        exp_samples: worstThree.map((model) => ({ labels: `{model="${model}"}`, value: 1 })),
      }),
    );
    runTests(engine, ruleFile([sloRules([availability])]), [
      world(
        'seven incidents',
        incidents.flatMap((incident) => availabilityWorld(incident.failures, incident.model)),
        incidents.flatMap((incident) =>
          incident.firing.map(([long, value]) => burnAlert(availability, long, value, { model: incident.model })),
        ),
        [
          ...targets.flatMap((target) =>
            exprTests({
              name: target.key,
              expr: target.expr.replaceAll('$model', 'steady-20x'),
              at: evalTime,
              expected: [
                {
                  labels: {
                    model: 'steady-20x',
                    slo: 'triton-availability',
                    window: target.expr.match(/window="(\w+)"/)?.[1] ?? '',
                  },
                  value: panelValues[target.key] ?? NaN,
                },
              ],
            }),
          ),
          ...drawn,
        ],
      ),
    ]);
  },
);

testOnEngines(
  'a histogram latency SLO counts slow requests; a Triton latency SLO judges time slices by the worst P99',
  (engine) => {
    const apiLatency = serviceLevelObjective({
      name: 'api-latency',
      objective: 99,
      indicator: { kind: 'latency', thresholdSeconds: 0.5 },
      profile: batcherMetrics,
    });
    const tritonLatency = serviceLevelObjective({
      name: 'triton-latency',
      objective: 99,
      indicator: { kind: 'latency', thresholdSeconds: 2 },
    });
    assert.equal(apiLatency.method, 'events');
    assert.equal(tritonLatency.method, 'timeslices');
    assert.equal(tritonLatency.description, '99 % of the time P99 latency stays within 2 s');
    const tritonAverage = serviceLevelObjective({
      name: 'triton-average',
      objective: 99,
      indicator: { kind: 'latency', thresholdSeconds: 0.05, statistic: 'average' },
    });
    assert.equal(tritonAverage.method, 'timeslices');
    assert.equal(tritonAverage.description, '99 % of the time average latency stays within 0.05 s');
    const api = 'job="inference-api",instance="api-1"';
    /** 100 requests a minute, `slow` of them above 0.5 s; prom-client writes the bound as le="0.5". */
    const apiWorld = (slow: [number, number][]) => [
      counter(
        `batcher_request_latency_seconds_count{${api}}`,
        slow.map(([length]) => [length, 100] as const),
      ),
      counter(
        `batcher_request_latency_seconds_bucket{${api},le="0.5"}`,
        slow.map(([length, count]) => [length, 100 - count] as const),
      ),
      counter(
        `batcher_request_latency_seconds_bucket{${api},le="+Inf"}`,
        slow.map(([length]) => [length, 100] as const),
      ),
    ];
    /** Two instances of `model`; t2's P99 is the worst and decides each slice. */
    const tritonWorld = (p99Seconds: [number, number][], model: string) => [
      gauge(`nv_inference_request_summary_us{job="triton",instance="t1",model="${model}",quantile="0.99"}`, [
        [minutes + 1, 100_000],
      ]),
      gauge(
        `nv_inference_request_summary_us{job="triton",instance="t2",model="${model}",quantile="0.99"}`,
        p99Seconds.map(([length, seconds]) => [length, seconds * 1e6] as const),
      ),
    ];
    // The ratio of rates carries float rounding (0.004999999999999982): compared within 1e-9 in PromQL.
    const recorded = (slo: string, window: string, value: number, model?: string) => {
      const labels = `slo="${slo}",window="${window}"${model ? `,model="${model}"` : ''}`;
      return {
        expr: `abs(slo:sli_error:ratio_rate{${labels}} - ${value}) < bool 1e-9`,
        eval_time: evalTime,
        exp_samples: [{ labels: `{${labels}}`, value: 1 }],
      };
    };
    /** 600 requests a minute to `model`, at a mean latency from [duration in minutes, seconds] segments (duration counter / request counter). */
    const averageWorld = (meanSeconds: [number, number][], model: string) => {
      const series = `job="triton",instance="t1",model="${model}",version="1"`;
      return [
        counter(
          `nv_inference_request_success{${series}}`,
          meanSeconds.map(([length]) => [length, 600] as const),
        ),
        counter(
          `nv_inference_request_duration_us{${series}}`,
          meanSeconds.map(([length, seconds]) => [length, 600 * seconds * 1e6] as const),
        ),
      ];
    };
    const slicesIn = (windowMinutes: number) => windowMinutes / 5 + (engine.major >= 3 ? 0 : 1);
    const everyPair = (slo: ServiceLevelObjective, value: string, extra: Record<string, string>, what: string) =>
      windowPairs.map((pair) => burnAlert(slo, pair.long, value, extra, what));
    runTests(engine, ruleFile([sloRules([apiLatency, tritonLatency, tritonAverage], { scrapeInterval: '1m' })]), [
      world(
        'healthy: 0.5 % slow requests; P99 at 1 s, above 2 s only in the last 3 minutes; NaN without traffic, not judged',
        [
          ...apiWorld(timeline(0.5, 0.5, 0)),
          ...tritonWorld(timeline(1, 1, 0), 'fast'),
          ...tritonWorld(timeline(1, 3, 3), 'blip'),
          // A summary with no observations in its window reports NaN: such a slice is not judged.
          gauge('nv_inference_request_summary_us{job="triton",instance="t1",model="idle",quantile="0.99"}', [[minutes + 1, NaN]]),
          // The average statistic: 10 ms, above 50 ms (100 ms) only in the last 3 minutes for avg-blip.
          ...averageWorld(timeline(0.01, 0.01, 0), 'avg-fast'),
          ...averageWorld(timeline(0.01, 0.1, 3), 'avg-blip'),
        ],
        [],
        [
          {
            expr: 'slo:sli_error:ratio_rate{slo="triton-latency",window="1h",model="idle"}',
            eval_time: evalTime,
            exp_samples: [],
          },
          recorded('api-latency', '1h', 0.005),
          recorded('triton-latency', '1h', 0, 'fast'),
          // Slices every 5 minutes: only the last in the hour was slow. An hour holds 13 slices on
          // Prometheus 2 (closed windows) and 12 on 3 (left-open); the 5m window 2 and 1.
          recorded('triton-latency', '1h', 1 / slicesIn(60), 'blip'),
          recorded('triton-latency', '5m', 1 / slicesIn(5), 'blip'),
          recorded('triton-average', '1h', 0, 'avg-fast'),
          recorded('triton-average', '1h', 1 / slicesIn(60), 'avg-blip'),
          recorded('triton-average', '5m', 1 / slicesIn(5), 'avg-blip'),
        ],
      ),
      world(
        'slow: 20 % slow requests, and P99 at 3 s on one instance, for three days',
        [...apiWorld(timeline(20, 20, minutes + 1)), ...tritonWorld(timeline(3, 3, minutes + 1), 'slow')],
        [...everyPair(apiLatency, '20%', {}, 'requests'), ...everyPair(tritonLatency, '100%', { model: 'slow' }, 'the time')],
        [recorded('triton-latency', '6h', 1, 'slow')],
      ),
    ]);
  },
);

testOnEngines('an availability SLO pages on an outage since start-up, where the success series never existed', (engine) => {
  const apiAvailability = serviceLevelObjective({
    name: 'api-availability',
    objective: 99.9,
    indicator: { kind: 'availability' },
    profile: batcherMetrics,
  });
  // Every request has failed since start-up: prom-client never created the success series.
  const outage = [counter('batcher_requests_total{job="inference-api",instance="api-1",status="error"}', [[minutes + 1, 100]])];
  const board = sloDashboard({ objectives: [apiAvailability] }).build();
  const budget = (board.panels ?? [])
    .flatMap((panel) => (panel as { targets?: { expr: string }[] }).targets ?? [])
    .find((target) => target.expr.includes('window="30d"'));
  assert.ok(budget);
  runTests(engine, ruleFile([sloRules([apiAvailability])]), [
    world(
      'outage since start-up',
      outage,
      windowPairs.map((pair) => burnAlert(apiAvailability, pair.long, '100%', {}, 'requests')),
      // The whole budget spent 1,000 times over.
      exprTests({
        name: 'budget',
        expr: budget.expr,
        at: evalTime,
        expected: [{ labels: { slo: 'api-availability', window: '30d' }, value: -999 }],
      }),
    ),
  ]);
});
