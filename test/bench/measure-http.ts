import autocannon from 'autocannon';

/** One HTTP load measurement: what to send, and for how long. */
export interface MeasureHttpOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Concurrent keep-alive connections; default 32. */
  connections?: number;
  /** Unmeasured load first, so JIT and caches are warm; default 2 s. */
  warmupSeconds?: number;
  /** The measured run; default 10 s. */
  durationSeconds?: number;
  /**
   * Send exact request counts instead of running for a time: the warm-up sends
   * `connections × 4` and the measured run as many as the warm-up's rate fills in
   * `durationSeconds`. Every request is then answered before the run ends, so server-side
   * counts can be compared exactly (a timed run drops the requests still in flight).
   */
  exactCounts?: boolean;
}

/** What one measured run saw. */
export interface HttpFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Responses by status code, e.g. `{ "201": 9000 }`. */
  statusCounts: Record<string, number>;
  /** Connection errors (timeouts included). */
  errors: number;
  /** Requests not answered within autocannon's 10 s timeout. */
  timeouts: number;
}

/** The measured run and the warm-up before it (the warm-up's requests also reach the server). */
export interface HttpMeasurement {
  warmup: HttpFigures;
  measured: HttpFigures;
}

/**
 * Loads `url` with autocannon over loopback. The load generator runs in one worker thread
 * (autocannon's `workers: 1`), so the server under test keeps the main thread to itself.
 */
export async function measureHttp(options: MeasureHttpOptions): Promise<HttpMeasurement> {
  const connections = options.connections ?? 32;
  const duration = options.durationSeconds ?? 10;
  if (options.exactCounts) {
    const warmup = await run(options, { amount: connections * 4 });
    const amount = Math.max(connections * 4, Math.round(warmup.requestsPerSecond * duration));
    return { warmup, measured: await run(options, { amount }) };
  }
  const warmup = await run(options, { duration: options.warmupSeconds ?? 2 });
  const measured = await run(options, { duration });
  return { warmup, measured };
}

async function run(
  options: MeasureHttpOptions,
  length: { duration: number } | { amount: number },
): Promise<HttpFigures> {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
    connections: options.connections ?? 32,
    ...length,
    workers: 1,
  });
  const statusCounts: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCounts[code] = stats.count ?? 0;
  }
  const answered = Object.values(statusCounts).reduce((sum, count) => sum + count, 0);
  return {
    // Every answered request over the wall time, rather than autocannon's mean of 1 s samples.
    requestsPerSecond: answered / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: answered,
    statusCounts,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
