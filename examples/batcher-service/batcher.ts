/**
 * A dynamic batcher: requests queue until `maxBatchSize` of them are waiting or the oldest has
 * waited `maxQueueDelayMs`, then run through the model as one batch. Every step is measured
 * in the metrics of the dynamic batcher guide.
 */
import { performance } from 'node:perf_hooks';
import type { BatcherMetrics } from './metrics.js';

/** Runs one batch; an `Error` in place of an output fails that request alone, a rejection fails all. */
export type Model<Input, Output> = (inputs: readonly Input[]) => Promise<(Output | Error)[]>;

/** Options of {@link DynamicBatcher}. */
export interface BatcherOptions {
  /** Most requests in one batch. Default 8. */
  readonly maxBatchSize?: number;
  /** Longest a request waits for its batch to fill, in milliseconds. Default 50. */
  readonly maxQueueDelayMs?: number;
  /** Batches the model runs at the same time. Default 1. */
  readonly maxInflightBatches?: number;
}

/** What became of one request: its output or its error, and the size of the batch it ran in. */
export type Outcome<Output> =
  | { readonly status: 'success'; readonly output: Output; readonly batchSize: number }
  | { readonly status: 'error'; readonly error: Error; readonly batchSize: number };

/** An outcome and the request's latency, the one measurement its metric and its log line report. */
export type Served<Output> = Outcome<Output> & { readonly seconds: number };

interface Queued<Input, Output> {
  readonly input: Input;
  readonly enqueuedAt: number;
  readonly settle: (outcome: Outcome<Output>) => void;
}

export class DynamicBatcher<Input, Output> {
  readonly maxBatchSize: number;
  readonly maxQueueDelayMs: number;
  readonly maxInflightBatches: number;
  private readonly queue: Queued<Input, Output>[] = [];
  private inflight = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly model: Model<Input, Output>,
    private readonly metrics: BatcherMetrics,
    options: BatcherOptions = {},
  ) {
    this.maxBatchSize = options.maxBatchSize ?? 8;
    this.maxQueueDelayMs = options.maxQueueDelayMs ?? 50;
    this.maxInflightBatches = options.maxInflightBatches ?? 1;
  }

  /**
   * Queues one request; resolves with its outcome once its batch has run. `traceId` (the
   * request's trace) becomes the exemplar of the latency bucket the request lands in.
   */
  async submit(input: Input, traceId?: string): Promise<Served<Output>> {
    const arrivedAt = performance.now();
    const outcome = await new Promise<Outcome<Output>>((settle) => {
      this.queue.push({ input, enqueuedAt: arrivedAt, settle });
      this.metrics.queueSize.set(this.queue.length);
      this.schedule();
    });
    const seconds = (performance.now() - arrivedAt) / 1000;
    this.metrics.requests.inc({ status: outcome.status });
    this.metrics.requestLatency.observe({ value: seconds, exemplarLabels: traceId ? { trace_id: traceId } : {} });
    return { ...outcome, seconds };
  }

  /** Starts every batch that is due and a free slot allows; otherwise waits for the oldest request's deadline. */
  private schedule(): void {
    while (this.queue.length > 0 && this.inflight < this.maxInflightBatches) {
      const oldest = this.queue[0] as Queued<Input, Output>;
      const waited = performance.now() - oldest.enqueuedAt;
      if (this.queue.length < this.maxBatchSize && waited < this.maxQueueDelayMs) {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.schedule();
        }, this.maxQueueDelayMs - waited);
        return;
      }
      this.run(this.queue.splice(0, this.maxBatchSize));
    }
  }

  private run(batch: Queued<Input, Output>[]): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const startedAt = performance.now();
    this.inflight += 1;
    this.metrics.inflightBatches.set(this.inflight);
    this.metrics.queueSize.set(this.queue.length);
    this.metrics.batchSize.observe(batch.length);
    for (const item of batch) this.metrics.batchWaitTime.observe((startedAt - item.enqueuedAt) / 1000);
    const batchSize = batch.length;
    const fail = (item: Queued<Input, Output>, error: Error) => item.settle({ status: 'error', error, batchSize });
    this.model(batch.map((item) => item.input))
      .then(
        (outputs) =>
          batch.forEach((item, index) => {
            const output = outputs[index];
            if (output instanceof Error) fail(item, output);
            else if (output === undefined) fail(item, new Error('the model returned fewer outputs than inputs'));
            else item.settle({ status: 'success', output, batchSize });
          }),
        (error: unknown) => batch.forEach((item) => fail(item, error instanceof Error ? error : new Error(String(error)))),
      )
      .finally(() => {
        this.metrics.inferenceTime.observe((performance.now() - startedAt) / 1000);
        this.inflight -= 1;
        this.metrics.inflightBatches.set(this.inflight);
        this.schedule();
      });
  }
}
