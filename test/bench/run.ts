import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { loadForms } from '../../src/forms/load-forms.js';
import { startTestPostgres } from '../support/postgres.js';
import { startTestApp } from '../support/test-app.js';
import { startBareExpress } from './bare-express.js';
import { benchIngest, type IngestBenchResult } from './ingest-bench.js';
import { measureHttp, type HttpFigures } from './measure-http.js';
import { benchLargestPage, type PageBenchResult } from './page-bench.js';
import { benchValidation } from './validation-bench.js';

const formId = 'secure-welfare-referral';
const load = { connections: 32, warmupSeconds: 2, durationSeconds: 10 };
const resultsFile = new URL('./results.json', import.meta.url);

const say = (line: string) => void process.stderr.write(`${line}\n`);
const ratio = (figure: number, ceiling: number) => (figure / ceiling).toFixed(2);
const perSecond = (value: number) => `${Math.round(value).toLocaleString('en-GB')}/s`;
const latency = (figures: HttpFigures) => `p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms`;

/** Statuses other than the expected one, e.g. "500×3", or "" when there were none. */
function unexpected(figures: HttpFigures, expected: string): string {
  const others = Object.entries(figures.statusCounts).filter(([code]) => code !== expected);
  const parts = others.map(([code, count]) => `${code}×${count}`);
  if (figures.errors > 0) parts.push(`socket errors×${figures.errors}`);
  return parts.join(', ');
}

const forms = await loadForms('forms');
const form = forms.get(formId);
if (!form) throw new Error(`no ${formId} form in forms/`);
const problems: string[] = [];

say('Ajv validation of a full referral…');
const validation = benchValidation(form);

say('Ceiling: bare Express…');
const bare = await startBareExpress();
const example = JSON.stringify(form.examples()[0]);
const bareGet = await measureCeiling(`${bare.url}/`);
const bareJson = await measureCeiling(`${bare.url}/json`, example);
await bare.stop();

say('Largest referral page and API ingest on embedded PGlite…');
const embedded = await startTestApp();
let page: PageBenchResult;
let ingestPglite: IngestBenchResult;
try {
  page = await benchLargestPage(embedded, form, load);
  ingestPglite = await benchIngest(embedded, form, load);
} finally {
  await embedded.stop();
}

say('API ingest on PostgreSQL…');
let ingestPostgres: IngestBenchResult | string;
try {
  const postgres = await startTestPostgres();
  const app = await startTestApp({ databaseUrl: postgres.url });
  try {
    ingestPostgres = await benchIngest(app, form, load);
  } finally {
    await app.stop();
    await postgres.stop();
  }
} catch (error) {
  ingestPostgres = `not measured: ${error instanceof Error ? error.message : String(error)}`;
  problems.push(`PostgreSQL ingest ${ingestPostgres}`);
}

async function measureCeiling(url: string, body?: string): Promise<HttpFigures> {
  const options =
    body === undefined
      ? { ...load, url }
      : {
          ...load,
          url,
          method: 'POST' as const,
          body,
          headers: { 'content-type': 'application/json' },
        };
  return (await measureHttp(options)).measured;
}

const pageGet = page.get.measured;
const pagePost = page.postWithErrors.measured;
const rows: [string, string, string, string, string][] = [
  [
    `Referral page "${page.pageId}" (${page.questions} questions), POST blank → 422, ${page.errorsShown} errors`,
    `${perSecond(pagePost.requestsPerSecond)}, ${latency(pagePost)}`,
    `bare Express GET "hello" ${perSecond(bareGet.requestsPerSecond)}`,
    ratio(pagePost.requestsPerSecond, bareGet.requestsPerSecond),
    '≥ 0.30',
  ],
  [
    `Referral page "${page.pageId}", GET (no errors)`,
    `${perSecond(pageGet.requestsPerSecond)}, ${latency(pageGet)}`,
    `bare Express GET "hello" ${perSecond(bareGet.requestsPerSecond)}`,
    ratio(pageGet.requestsPerSecond, bareGet.requestsPerSecond),
    '',
  ],
];
for (const [name, result] of [
  ['PGlite (embedded)', ingestPglite],
  ['PostgreSQL', ingestPostgres],
] as const) {
  if (typeof result === 'string') {
    rows.push([`API ingest, ${name}`, result, '', '', '']);
    continue;
  }
  const figures = result.measurement.measured;
  rows.push([
    `API ingest, ${name}: submissions stored ${result.stored} of ${result.created} created`,
    `${perSecond(figures.requestsPerSecond)}, ${latency(figures)}`,
    `bare Express POST JSON ${perSecond(bareJson.requestsPerSecond)}`,
    ratio(figures.requestsPerSecond, bareJson.requestsPerSecond),
    name.startsWith('PGlite') ? '≥ 1,000/s, p99 < 50 ms' : '',
  ]);
  if (result.stored !== result.created) {
    problems.push(
      `${name}: ${result.created} submissions answered 201 but ${result.stored} stored`,
    );
  }
  const odd = unexpected(figures, '201');
  if (odd) problems.push(`${name} ingest: ${odd}`);
}
rows.push([
  'Ajv validation of a full referral, form.validate(example)',
  perSecond(validation.formValidatePerSecond),
  `raw compiled Ajv validator ${perSecond(validation.rawAjvPerSecond)}`,
  ratio(validation.formValidatePerSecond, validation.rawAjvPerSecond),
  '',
]);
for (const [figures, expected, what] of [
  [pagePost, '422', 'page POST'],
  [pageGet, '200', 'page GET'],
  [bareGet, '200', 'bare GET'],
  [bareJson, '201', 'bare JSON POST'],
] as const) {
  const odd = unexpected(figures, expected);
  if (odd) problems.push(`${what}: ${odd}`);
}

const header: [string, string, string, string, string] = [
  'Measure',
  'Figure',
  'Ceiling (same run)',
  'Ratio',
  'Target',
];
const widths = header.map((_cell, at) =>
  Math.max(...[header, ...rows].map((row) => row[at]!.length)),
);
const line = (row: string[]) =>
  `| ${row.map((cell, at) => cell.padEnd(widths[at]!)).join(' | ')} |`;
const cpu = cpus()[0]?.model ?? 'unknown';
console.log(
  [
    '',
    `Formwork benchmarks, ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} × ${cpu}`,
    `autocannon: ${load.connections} connections, ${load.warmupSeconds} s warm-up + ${load.durationSeconds} s, loopback, load generator in a worker thread of this process; the app runs its web, outbox relay and workflow workers in the main thread.`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    ...(problems.length > 0 ? ['Problems:', ...problems.map((problem) => `- ${problem}`)] : []),
  ].join('\n'),
);

await writeFile(
  resultsFile,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpu,
      cores: cpus().length,
      load: { ...load, generator: 'autocannon, workers: 1 (a worker thread of the bench process)' },
      largestPage: {
        pageId: page.pageId,
        questions: page.questions,
        errorsShown: page.errorsShown,
        postWithErrors: pagePost,
        get: pageGet,
        ceilingBareExpressGet: bareGet,
        ratioPostWithErrors: Number(ratio(pagePost.requestsPerSecond, bareGet.requestsPerSecond)),
        ratioGet: Number(ratio(pageGet.requestsPerSecond, bareGet.requestsPerSecond)),
      },
      apiIngest: {
        ceilingBareExpressJsonPost: bareJson,
        pglite: summariseIngest(ingestPglite),
        postgres: summariseIngest(ingestPostgres),
      },
      ajvValidation: {
        ...validation,
        ratio: Number(ratio(validation.formValidatePerSecond, validation.rawAjvPerSecond)),
      },
      problems,
    },
    null,
    2,
  ) + '\n',
);

function summariseIngest(result: IngestBenchResult | string) {
  if (typeof result === 'string') return { error: result };
  return {
    ...result.measurement.measured,
    created: result.created,
    stored: result.stored,
    ratio: Number(ratio(result.measurement.measured.requestsPerSecond, bareJson.requestsPerSecond)),
  };
}

// A bench that loses data or sees errors must not pass quietly.
process.exit(problems.length > 0 ? 1 : 0);
