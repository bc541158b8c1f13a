/**
 * The inference API of the dynamic batcher guide: POST /predict goes through the dynamic batcher, GET /metrics
 * serves its Prometheus metrics, POST /faults sets the share of requests that fail.
 *
 *   node --import tsx examples/batcher-service/server.ts [--port 8001] [--max-batch-size 8] ...
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamicBatcher, type BatcherOptions } from './batcher.js';
import { createMetrics } from './metrics.js';
import { ErrorInjector, simulatedModel, type SimulatedModelOptions } from './model.js';

/** Options of {@link startService}; the defaults are those of `server.ts` without flags. */
export interface ServiceOptions extends BatcherOptions, SimulatedModelOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 8001, the port of the dynamic batcher guide; 0 picks a free one. */
  readonly port?: number;
}

export interface RunningService {
  readonly url: string;
  readonly server: Server;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const isNumbers = (value: unknown): value is number[] => Array.isArray(value) && value.every((item) => typeof item === 'number');

/** Starts the service and resolves once it listens. */
export async function startService(options: ServiceOptions = {}): Promise<RunningService> {
  const errors = new ErrorInjector();
  const metrics = createMetrics(options.maxBatchSize ?? 8);
  const batcher = new DynamicBatcher(simulatedModel(errors, options), metrics, options);
  const { registry } = metrics;
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      reply(response, 400, { error: error instanceof Error ? error.message : String(error) }),
    );
  });
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const route = `${request.method} ${new URL(request.url ?? '/', 'http://service').pathname}`;
    if (route === 'GET /metrics') {
      response.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
    } else if (route === 'POST /predict') {
      const body = (await readJson(request)) as { inputs?: unknown };
      if (!isNumbers(body.inputs)) return reply(response, 400, { error: 'body must be {"inputs": [numbers]}' });
      await batcher.submit(body.inputs).then(
        (outputs) => reply(response, 200, { outputs }),
        (error: Error) => reply(response, 500, { error: error.message }),
      );
    } else if (route === 'POST /faults') {
      const body = (await readJson(request)) as { errorRatio?: unknown };
      errors.set(Number(body.errorRatio));
      reply(response, 200, { errorRatio: errors.errorRatio });
    } else {
      reply(response, 404, { error: `no route ${route}` });
    }
  }
  await new Promise<void>((resolve) => server.listen(options.port ?? 8001, options.host ?? '127.0.0.1', resolve));
  const { address, port } = server.address() as AddressInfo;
  return { url: `http://${address}:${port}`, server };
}

const flags = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '8001' },
  'max-batch-size': { type: 'string', default: '8' },
  'max-queue-delay-ms': { type: 'string', default: '50' },
  'max-inflight-batches': { type: 'string', default: '1' },
  'model-base-ms': { type: 'string', default: '20' },
  'model-per-item-ms': { type: 'string', default: '2' },
} as const;

function positive(name: string, text: string, allowZero = false): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0))
    throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${text}"`);
  return value;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const { values } = parseArgs({ options: flags, strict: true });
    const service = await startService({
      host: values.host,
      port: positive('port', values.port, true),
      maxBatchSize: positive('max-batch-size', values['max-batch-size']),
      maxQueueDelayMs: positive('max-queue-delay-ms', values['max-queue-delay-ms'], true),
      maxInflightBatches: positive('max-inflight-batches', values['max-inflight-batches']),
      baseMs: positive('model-base-ms', values['model-base-ms'], true),
      perItemMs: positive('model-per-item-ms', values['model-per-item-ms'], true),
    });
    console.log(`inference API listening on ${service.url} (POST /predict, GET /metrics, POST /faults)`);
  } catch (error) {
    console.error(`server.ts: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
