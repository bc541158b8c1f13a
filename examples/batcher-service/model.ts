/**
 * A stand-in for a GPU model: a batch costs a fixed launch time plus a little per item, so
 * batching pays off as it does on a real accelerator. Errors are injected at a set ratio.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Model } from './batcher.js';

/** Options of {@link simulatedModel}. */
export interface SimulatedModelOptions {
  /** Time of any batch, in milliseconds. Default 20. */
  readonly baseMs?: number;
  /** Extra time per request in the batch, in milliseconds. Default 2. */
  readonly perItemMs?: number;
}

/** Fails exactly `ratio` of the requests it is asked about, evenly spread (not at random, so tests can count). */
export class ErrorInjector {
  private ratio = 0;
  private seen = 0;

  /** Sets the share of requests to fail, 0 to 1. */
  set(ratio: number): void {
    if (!(ratio >= 0 && ratio <= 1)) throw new RangeError(`error ratio must be between 0 and 1, got ${ratio}`);
    this.ratio = ratio;
    this.seen = 0;
  }

  get errorRatio(): number {
    return this.ratio;
  }

  /** Whether the next request fails. */
  next(): boolean {
    this.seen += 1;
    return Math.floor(this.seen * this.ratio) > Math.floor((this.seen - 1) * this.ratio);
  }
}

/** Doubles every input number after `baseMs + perItemMs * batch size`; injected errors fail single requests. */
export function simulatedModel(errors: ErrorInjector, options: SimulatedModelOptions = {}): Model<number[], number[]> {
  const baseMs = options.baseMs ?? 20;
  const perItemMs = options.perItemMs ?? 2;
  return async (inputs) => {
    await sleep(baseMs + perItemMs * inputs.length);
    return inputs.map((input) => (errors.next() ? new Error('injected model error') : input.map((value) => value * 2)));
  };
}
