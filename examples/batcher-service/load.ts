/**
 * Load generator: sends POST /predict at a fixed rate (open loop, so a slow service does not
 * slow the load down), with at most `concurrency` requests in flight. It plays the guide's
 * gateway: each request starts a trace, passed on in a W3C `traceparent` header.
 *
 *   node --import tsx examples/batcher-service/load.ts [--url http://127.0.0.1:8001] [--rate 100] [--duration 60]
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/** Options of {@link generateLoad}. */
export interface LoadOptions {
  /** Base URL of the service. */
  readonly url: string;
  /** Requests per second. */
  readonly rate: number;
  /** How long to send, in seconds. */
  readonly durationSeconds: number;
  /** Most requests in flight; a request due while that many are open is skipped and counted. Default 64. */
  readonly concurrency?: number;
  /**
   * Called as each request is sent, with `performance.now()` (what was really sent, on a loaded
   * machine too) and the id of the trace it starts.
   */
  readonly onSent?: (at: number, traceId: string) => void;
}

/** What the load generator saw. */
export interface LoadReport {
  readonly sent: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Requests not sent because `concurrency` were already open. */
  readonly skipped: number;
  readonly seconds: number;
}

/** Sends requests at `rate` per second for `durationSeconds`; resolves when the last answer is in. */
export async function generateLoad(options: LoadOptions): Promise<LoadReport> {
  const concurrency = options.concurrency ?? 64;
  const total = Math.round(options.rate * options.durationSeconds);
  const started = performance.now();
  const open = new Set<Promise<void>>();
  let succeeded = 0;
  let failed = 0;
  let skipped = 0;
  for (let index = 0; index < total; index += 1) {
    const due = started + (index * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (open.size >= concurrency) {
      skipped += 1;
      continue;
    }
    const traceId = randomBytes(16).toString('hex');
    options.onSent?.(performance.now(), traceId);
    const request: Promise<void> = fetch(`${options.url}/predict`, {
      method: 'POST',
      // version 00, the trace, the gateway's span, sampled.
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      body: JSON.stringify({ inputs: [index % 100, 1] }),
    })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.ok) succeeded += 1;
        else failed += 1;
      })
      .catch(() => {
        failed += 1;
      })
      .finally(() => open.delete(request));
    open.add(request);
  }
  await Promise.all(open);
  return { sent: total - skipped, succeeded, failed, skipped, seconds: (performance.now() - started) / 1000 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8001' },
      rate: { type: 'string', default: '100' },
      duration: { type: 'string', default: '60' },
      concurrency: { type: 'string', default: '64' },
    },
    strict: true,
  });
  const numbers = { rate: Number(values.rate), duration: Number(values.duration), concurrency: Number(values.concurrency) };
  const wrong = Object.entries(numbers).find(([, value]) => !(value > 0));
  if (wrong) {
    console.error(`load.ts: --${wrong[0]} must be a positive number`);
    process.exit(2);
  }
  console.log(`sending ${numbers.rate} requests/s to ${values.url} for ${numbers.duration} s`);
  const report = await generateLoad({
    url: values.url,
    rate: numbers.rate,
    durationSeconds: numbers.duration,
    concurrency: numbers.concurrency,
  });
  console.log(
    `sent ${report.sent} in ${report.seconds.toFixed(1)} s (${(report.sent / report.seconds).toFixed(1)}/s): ${report.succeeded} succeeded, ${report.failed} failed, ${report.skipped} skipped at the concurrency limit`,
  );
  if (report.failed > 0 && report.succeeded === 0) process.exit(1);
}
