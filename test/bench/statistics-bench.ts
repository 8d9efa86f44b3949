import { toCensusYear } from '../../src/census/census-year.js';
import { toWorkforceStatistics } from '../../src/census/workforce-tables.js';
import {
  generateCensusReturns,
  InMemoryCensusRecordSource,
} from '../support/in-memory-census-source.js';
import { startTestApp } from '../support/test-app.js';
import { signInForBench } from './bench-session.js';
import { measureHttp, type HttpMeasurement, type MeasureHttpOptions } from './measure-http.js';

/** What the statistics bench measured. */
export interface StatisticsBenchResult {
  workers: number;
  authorities: number;
  /** Working out every table of the year from the records, in this process (median of 5). */
  computeMs: number;
  /** The first national page after start, tables not yet worked out (over HTTP). */
  firstPageMs: number;
  national: HttpMeasurement;
  authority: HttpMeasurement;
  csv: HttpMeasurement;
}

const authorityCount = 150;
const totalWorkers = 100_000;

/** Sizes like England's: a few large authorities, many of a few hundred, summing to the total. */
function authoritySizes(): number[] {
  const weights = Array.from({ length: authorityCount }, (_u, i) => 1 + ((i * 37) % 11));
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((weight) => Math.floor((weight / sum) * totalWorkers));
  sizes[0] = (sizes[0] ?? 0) + totalWorkers - sizes.reduce((a, b) => a + b, 0);
  return sizes;
}

/**
 * The statistics pages over 100,000 fictitious worker records in 150 authorities: the national
 * page, one authority's page and one CSV file, as an analyst, through the real app.
 */
export async function benchStatistics(
  load: Omit<MeasureHttpOptions, 'url'>,
): Promise<StatisticsBenchResult> {
  const authorities = Array.from({ length: authorityCount }, (_u, i) => ({
    laCode: String(201 + i),
    name: `Exampleshire ${String(i + 1)}`,
  }));
  const returns = generateCensusReturns({
    year: 2026,
    authorities,
    workers: authoritySizes(),
    seed: 42,
  });
  const timings: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const started = performance.now();
    toWorkforceStatistics(returns, toCensusYear(2026));
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);

  const app = await startTestApp({ censusSource: new InMemoryCensusRecordSource(returns) });
  try {
    await app.addUser('bench.analyst@example.gov.uk', 'analyst');
    const session = await signInForBench(app, 'bench.analyst@example.gov.uk', '/statistics');
    const started = performance.now();
    const first = await session.fetch('/statistics/2026');
    await first.text();
    const firstPageMs = performance.now() - started;
    if (first.status !== 200) throw new Error(`the national page answered ${first.status}`);
    const headers = { cookie: session.cookie };
    const measure = (path: string) => measureHttp({ ...load, url: `${app.url}${path}`, headers });
    return {
      workers: returns.reduce((sum, r) => sum + r.records.length, 0),
      authorities: returns.length,
      computeMs: Math.round(timings[2] ?? 0),
      firstPageMs: Math.round(firstPageMs),
      national: await measure('/statistics/2026'),
      authority: await measure('/statistics/2026/authorities/275'),
      csv: await measure('/statistics/2026/tables/by-authority.csv'),
    };
  } finally {
    await app.stop();
  }
}

/** One printed row of the bench table. */
export interface StatisticsBenchRow {
  measure: string;
  figure: string;
  ceiling: string;
  ratio: string;
  target: string;
}

/** The bench's printed rows, each HTTP figure beside the bare Express GET ceiling. */
export function toStatisticsRows(
  result: StatisticsBenchResult,
  ceiling: { requestsPerSecond: number },
): StatisticsBenchRow[] {
  const perSecond = (value: number) => `${Math.round(value).toLocaleString('en-GB')}/s`;
  const ceilingText = `bare Express GET "hello" ${perSecond(ceiling.requestsPerSecond)}`;
  const over = `${result.workers.toLocaleString('en-GB')} worker records, ${String(result.authorities)} authorities`;
  const http = (measure: string, figures: HttpMeasurement): StatisticsBenchRow => ({
    measure,
    figure: `${perSecond(figures.measured.requestsPerSecond)}, p50 ${String(figures.measured.p50Ms)} ms, p99 ${String(figures.measured.p99Ms)} ms`,
    ceiling: ceilingText,
    ratio: (figures.measured.requestsPerSecond / ceiling.requestsPerSecond).toFixed(2),
    target: '',
  });
  return [
    {
      measure: `Statistics: every table of a year worked out and suppressed (${over})`,
      figure: `${String(result.computeMs)} ms`,
      ceiling: '',
      ratio: '',
      target: '',
    },
    {
      measure: 'Statistics: first national page, tables not yet worked out',
      figure: `${String(result.firstPageMs)} ms`,
      ceiling: '',
      ratio: '',
      target: '',
    },
    http('Statistics: national page GET (tables kept 60 s)', result.national),
    http("Statistics: one authority's page GET", result.authority),
    http('Statistics: by-authority CSV GET', result.csv),
  ];
}
