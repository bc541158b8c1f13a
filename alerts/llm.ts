/**
 * Alerts of LLM serving (vLLM, SGLang, TGI, Triton with TensorRT-LLM): the KV cache near full,
 * a growing waiting queue, preemptions, failed and aborted requests, slow first tokens, beside
 * the availability alerts every server has. Each rule exists only where the profile has what it
 * reads.
 */
import { promql } from '../queries/commonjs.js';
import {
  abortRatio,
  durationQuantile,
  isApproximate,
  kvCacheUsage,
  pendingRequests,
  preemptions,
  vllmMetrics,
} from '../queries/index.js';
import {
  alertContext,
  availabilityRules,
  defaultThresholds,
  gpuRules,
  type AlertContext,
  type AlertSetOptions,
  type AlertThresholds,
} from './defaults.js';
import { alertRule, type AlertRule, type RuleGroup } from './rule.js';
import { checkOptions } from '../queries/options.js';

/** Thresholds of the LLM alerts; each has the default shown. */
export interface LlmAlertThresholds extends AlertThresholds {
  /** KV cache in use, 0-1. Default 0.9. */
  readonly kvCacheUsage: number;
  /** Waiting requests above this while the queue grows. Default 10. */
  readonly waitingRequests: number;
  /** Requests the client gave up on / all requests. Default 0.1. */
  readonly abortRatio: number;
  /** P95 time to first token, seconds. Default 2. */
  readonly timeToFirstTokenP95: number;
}

export const defaultLlmThresholds: LlmAlertThresholds = {
  ...defaultThresholds,
  kvCacheUsage: 0.9,
  waitingRequests: 10,
  abortRatio: 0.1,
  timeToFirstTokenP95: 2,
};

/** Options of {@link llmAlerts}. */
export interface LlmAlertOptions extends Omit<AlertSetOptions, 'thresholds'> {
  readonly thresholds?: Partial<LlmAlertThresholds>;
}

const threshold = (value: number) => promql.n(value);

function schedulerRules(context: AlertContext, limits: LlmAlertThresholds): AlertRule[] {
  const { profile, query, prefix, onModel, runbook } = context;
  const rules: AlertRule[] = [];
  if (profile.kvCacheUsage) {
    rules.push(
      alertRule({
        name: `${prefix}KvCacheNearFull`,
        expression: promql.gt(kvCacheUsage(query).expression, threshold(limits.kvCacheUsage)),
        for: '10m',
        severity: 'warning',
        summary: `KV cache nearly full${onModel} on {{ $labels.instance }}`,
        description: `The KV cache is {{ $value | humanizePercentage }} full (threshold ${limits.kvCacheUsage * 100} %): new requests wait and running ones are preempted.`,
        ...runbook(`${prefix}KvCacheNearFull`),
      }),
    );
  }
  if (profile.pendingRequests) {
    const waiting = pendingRequests(query).expression;
    const growing = promql.gt(promql.deriv(promql.subquery(waiting).range('10m').resolution('1m')), threshold(0));
    rules.push(
      alertRule({
        name: `${prefix}WaitingQueueGrowing`,
        expression: promql.and(promql.gt(waiting, threshold(limits.waitingRequests)), growing),
        for: '10m',
        severity: 'warning',
        summary: `Waiting requests keep growing${onModel}`,
        description: `{{ $value }} requests wait (threshold ${limits.waitingRequests}) and the queue has grown for 10 minutes: the server cannot keep up.`,
        ...runbook(`${prefix}WaitingQueueGrowing`),
      }),
    );
  }
  if (profile.preemptions) {
    const preempted = preemptions(query);
    rules.push(
      alertRule({
        name: `${prefix}RequestsPreempted`,
        expression: promql.gt(preempted.expression, threshold(0)),
        for: '15m',
        severity: 'warning',
        summary: `Requests are being preempted${onModel}`,
        description:
          preempted.kind === 'counter'
            ? '{{ printf "%.2f" $value }} preemptions per second for 15 minutes: the KV cache is too small for the load; preempted requests are recomputed.'
            : '{{ $value }} requests paused for 15 minutes: the KV cache is too small for the load.',
        ...runbook(`${prefix}RequestsPreempted`),
      }),
    );
  }
  return rules;
}

function requestRules(context: AlertContext, limits: LlmAlertThresholds): AlertRule[] {
  const { profile, query, prefix, onModel, runbook } = context;
  const rules: AlertRule[] = [];
  if (profile.requests?.aborted) {
    rules.push(
      alertRule({
        name: `${prefix}HighAbortRate`,
        expression: promql.gt(abortRatio(query).expression, threshold(limits.abortRatio)),
        for: '10m',
        severity: 'warning',
        summary: `Clients give up on many requests${onModel}`,
        description: `{{ $value | humanizePercentage }} of requests were aborted (threshold ${limits.abortRatio * 100} %): clients time out or cancel, often because the server is slow.`,
        ...runbook(`${prefix}HighAbortRate`),
      }),
    );
  }
  const firstToken = profile.firstResponse;
  if (firstToken && !isApproximate(firstToken) && firstToken.quantiles?.kind === 'histogram') {
    rules.push(
      alertRule({
        name: `${prefix}SlowTimeToFirstToken`,
        expression: promql.gt(durationQuantile('firstResponse', 0.95, query).expression, threshold(limits.timeToFirstTokenP95)),
        for: '10m',
        severity: 'warning',
        summary: `P95 time to first token above ${limits.timeToFirstTokenP95} s${onModel}`,
        description: 'P95 time to first token over all instances is {{ $value | humanizeDuration }}.',
        ...runbook(`${prefix}SlowTimeToFirstToken`),
      }),
    );
  }
  return rules;
}

/**
 * The alerts of an LLM server (default vLLM, job `vllm`): targets down, failed and aborted
 * requests, slow first tokens, the KV cache near full, a growing waiting queue, preemptions,
 * and the GPU where the server exports GPU gauges.
 */
export function llmAlerts(options: LlmAlertOptions = {}): RuleGroup {
  checkOptions('llmAlerts', options);
  const context = alertContext(options, vllmMetrics);
  const limits = { ...defaultLlmThresholds, ...options.thresholds };
  return {
    name: options.groupName ?? `inferboard-${context.profile.id}`,
    rules: [
      ...availabilityRules(context, limits),
      ...requestRules(context, limits),
      ...schedulerRules(context, limits),
      ...gpuRules(context, limits),
    ],
  };
}
