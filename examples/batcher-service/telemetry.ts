/**
 * The service's request logs and traces, as the LLM observability guide describes them: one JSON
 * line per request (`model`, `request_id`, `latency_ms`, `batch_size`, `status`, `trace_id`) for
 * Loki, and an OpenTelemetry span per request for Tempo, continuing the caller's trace (W3C
 * `traceparent`). Spans go to Tempo's OTLP/HTTP receiver, or to a file as OTLP/JSON lines, each
 * a body that receiver takes (`POST /v1/traces`).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { ROOT_CONTEXT, type Context, type Tracer } from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** One request's log line, in the guide's format. */
export interface RequestLogLine {
  readonly timestamp: string;
  readonly level: 'info' | 'error';
  readonly model: string;
  readonly request_id: string;
  readonly latency_ms: number;
  readonly batch_size: number;
  readonly status: 'success' | 'error';
  readonly trace_id: string;
  readonly span_id: string;
  readonly error?: string;
}

/** Writes log lines to a file (appending), or to stdout where no file is named. */
export function requestLogger(file?: string): { write(line: RequestLogLine): void; close(): void } {
  // Written synchronously: a line is on disk when its response leaves, so nothing is lost on a kill.
  const fd = file ? openSync(file, 'a') : undefined;
  return {
    write: (line) => {
      const text = `${JSON.stringify(line)}\n`;
      if (fd === undefined) process.stdout.write(text);
      else writeSync(fd, text);
    },
    close: () => {
      if (fd !== undefined) closeSync(fd);
    },
  };
}

/** Writes each batch of ended spans as one line of OTLP/JSON (an `ExportTraceServiceRequest`). */
class OtlpJsonLinesExporter implements SpanExporter {
  constructor(private readonly fd: number) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    try {
      const body = JsonTraceSerializer.serializeRequest(spans);
      if (body) writeSync(this.fd, `${Buffer.from(body).toString('utf8')}\n`);
      done({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  async shutdown(): Promise<void> {
    closeSync(this.fd);
  }
}

/** The service's tracer and what the request handler needs of OpenTelemetry. */
export interface Tracing {
  readonly tracer: Tracer;
  /** The caller's trace context from a request's `traceparent` and `tracestate` headers; the root context where none. */
  parentOf(headers: IncomingHttpHeaders): Context;
  /** Exports what is buffered and closes the file. */
  shutdown(): Promise<void>;
}

/** Options of {@link createTracing}. */
export interface TracingOptions {
  /** `service.name`, which the dashboards match to the Prometheus job. */
  readonly serviceName: string;
  /** A file spans are appended to, as OTLP/JSON lines. */
  readonly spansFile?: string;
  /** An OTLP/HTTP traces endpoint spans are sent to: Tempo's `http://tempo:4318/v1/traces`. */
  readonly otlpTracesUrl?: string;
  /** Longest a span waits to be exported, in milliseconds. Default 1,000. */
  readonly exportDelayMs?: number;
}

/**
 * The service's tracer: every span carries `service.name`. With neither a file nor a URL, spans
 * are still made (their ids are in the log lines and exemplars) but go nowhere.
 */
export function createTracing(options: TracingOptions): Tracing {
  const exporters: SpanExporter[] = [
    ...(options.spansFile ? [new OtlpJsonLinesExporter(openSync(options.spansFile, 'a'))] : []),
    ...(options.otlpTracesUrl ? [new OTLPTraceExporter({ url: options.otlpTracesUrl })] : []),
  ];
  const spanProcessors = exporters.map(
    (exporter) => new BatchSpanProcessor(exporter, { scheduledDelayMillis: options.exportDelayMs ?? 1000 }),
  );
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors,
  });
  const propagator = new W3CTraceContextPropagator();
  return {
    tracer: provider.getTracer('inferboard-batcher-example'),
    parentOf: (headers) =>
      propagator.extract(ROOT_CONTEXT, headers, {
        keys: (carrier) => Object.keys(carrier),
        get: (carrier, key) => carrier[key],
      }),
    shutdown: () => provider.shutdown(),
  };
}
