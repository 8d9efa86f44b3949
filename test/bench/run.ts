import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { loadForms } from '../../src/forms/load-forms.js';
import { startTestPostgres } from '../support/postgres.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startBareExpress } from './bare-express.js';
import { benchIngest, type IngestBenchResult } from './ingest-bench.js';
import { measureHttp, type HttpFigures } from './measure-http.js';
import { benchLargestPage } from './page-bench.js';
import { benchStatistics, toStatisticsRows } from './statistics-bench.js';
import { benchValidation } from './validation-bench.js';
import { runWorkflowBench } from './workflow-bench.js';
import { benchCensus } from './census-bench.js';

/**
 * `npm run bench -- --only census,ajv` runs only those parts: `http` (largest page and API
 * ingest), `statistics`, `workflow`, `ajv` and `census`. Without it every part runs.
 */
const parts = ['http', 'statistics', 'workflow', 'ajv', 'census'] as const;
const onlyArgument = process.argv.find((arg) => arg.startsWith('--only'));
const onlyValue =
  onlyArgument === '--only'
    ? process.argv[process.argv.indexOf('--only') + 1]
    : onlyArgument?.slice(7);
const only = onlyValue === undefined ? undefined : new Set(onlyValue.split(','));
for (const part of only ?? []) {
  if (!(parts as readonly string[]).includes(part))
    throw new Error(`--only takes ${parts.join(', ')}; not "${part}"`);
}
const wants = (part: (typeof parts)[number]) => only === undefined || only.has(part);

const formId = 'secure-welfare-referral';
const load = { connections: 32, warmupSeconds: 2, durationSeconds: 10 };
// The ceilings are measured right before each figure, so both see the same machine.
const ceilingLoad = { connections: 32, warmupSeconds: 1, durationSeconds: 5 };
const resultsFile = new URL('./results.json', import.meta.url);

const say = (line: string) => void process.stderr.write(`${line}\n`);
const ratio = (figure: number, ceiling: number) => Number((figure / ceiling).toFixed(2));
const perSecond = (value: number) => `${Math.round(value).toLocaleString('en-GB')}/s`;
const latency = (figures: HttpFigures) => `p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms`;

/** One row of the printed table. */
interface Row {
  measure: string;
  figure: string;
  ceiling: string;
  ratio: string;
  target: string;
}

const failures: string[] = [];
const notes: string[] = [];

/** Wrong statuses fail the run; timeouts under overload are a finding, so they are noted. */
function check(what: string, figures: HttpFigures, expected: string): void {
  const wrong = Object.entries(figures.statusCounts).filter(([code]) => code !== expected);
  if (wrong.length > 0) {
    failures.push(`${what}: ${wrong.map(([code, count]) => `${code}×${count}`).join(', ')}`);
  }
  if (figures.errors > figures.timeouts) {
    failures.push(`${what}: ${figures.errors - figures.timeouts} connection errors`);
  }
  if (figures.timeouts > 0) {
    notes.push(`${what}: ${figures.timeouts} requests timed out (over 10 s) and were not counted`);
  }
}

const forms = await loadForms('forms');
const form = forms.get(formId);
if (!form) throw new Error(`no ${formId} form in forms/`);
const example = JSON.stringify(form.examples()[0]);
// The API takes a referral only with documents its token uploaded for it, once each, so a fixed
// body sent over and over cannot be a referral: ingest is measured with the census return,
// whose answers name no documents.
const ingestForm = forms.get('social-care-workforce-census');
if (!ingestForm) throw new Error('no social-care-workforce-census form in forms/');
const rows: Row[] = [];
const results: Record<string, unknown> = {};

if (wants('ajv')) say('Ajv validation of a full referral…');
const validation = wants('ajv') ? benchValidation(form) : undefined;
const loadAverageBefore = loadavg()[0] ?? 0;

const bare = await startBareExpress();
/** Waits (up to 20 s) until the process answers promptly, so left-over work skews no ceiling. */
const settle = async () => {
  for (let quick = 0, tries = 0; quick < 5 && tries < 200; tries += 1) {
    const started = performance.now();
    await (await fetch(`${bare.url}/`)).text();
    quick = performance.now() - started < 20 ? quick + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
const ceilingOf = (figures: HttpFigures, what: string) => {
  if (figures.requestsPerSecond <= 0) throw new Error(`the ${what} ceiling answered nothing`);
  return figures;
};
const bareGet = async () => {
  await settle();
  const { measured } = await measureHttp({ ...ceilingLoad, url: `${bare.url}/` });
  return ceilingOf(measured, 'bare Express GET');
};
const bareJson = async () => {
  await settle();
  const { measured } = await measureHttp({
    ...ceilingLoad,
    url: `${bare.url}/json`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: example,
  });
  return ceilingOf(measured, 'bare Express POST JSON');
};

if (wants('http')) {
  say('Largest referral page on embedded PGlite…');
  const embedded = await startTestApp();
  try {
    const ceiling = await bareGet();
    check('bare Express GET', ceiling, '200');
    const page = await benchLargestPage(embedded, form, load);
    const post = page.postWithErrors.measured;
    const get = page.get.measured;
    check('page POST', post, '422');
    check('page GET', get, '200');
    const ceilingText = `bare Express GET "hello" ${perSecond(ceiling.requestsPerSecond)}`;
    rows.push(
      {
        measure: `Page "${page.pageId}" (${page.questions} questions), POST blank → 422 with ${page.errorsShown} errors`,
        figure: `${perSecond(post.requestsPerSecond)}, ${latency(post)}`,
        ceiling: ceilingText,
        ratio: ratio(post.requestsPerSecond, ceiling.requestsPerSecond).toFixed(2),
        target: '≥ 0.30',
      },
      {
        measure: `Page "${page.pageId}", GET (no errors)`,
        figure: `${perSecond(get.requestsPerSecond)}, ${latency(get)}`,
        ceiling: ceilingText,
        ratio: ratio(get.requestsPerSecond, ceiling.requestsPerSecond).toFixed(2),
        target: '',
      },
    );
    results.largestPage = {
      pageId: page.pageId,
      questions: page.questions,
      errorsShown: page.errorsShown,
      postWithErrors: post,
      get,
      ceilingBareExpressGet: ceiling,
      ratioPostWithErrors: ratio(post.requestsPerSecond, ceiling.requestsPerSecond),
      ratioGet: ratio(get.requestsPerSecond, ceiling.requestsPerSecond),
    };
    say('API ingest on embedded PGlite…');
    results.ingestPglite = await ingest('PGlite (embedded)', embedded, '≥ 1,000/s, p99 < 50 ms');
  } finally {
    await embedded.stop();
  }

  say('API ingest on PostgreSQL…');
  try {
    const postgres = await startTestPostgres();
    try {
      const app = await startTestApp({ databaseUrl: postgres.url });
      try {
        results.ingestPostgres = await ingest('PostgreSQL', app, '');
      } finally {
        await app.stop();
      }
    } finally {
      await postgres.stop();
    }
  } catch (error) {
    const why = `not measured: ${error instanceof Error ? error.message : String(error)}`;
    rows.push({
      measure: 'API ingest, PostgreSQL',
      figure: why,
      ceiling: '',
      ratio: '',
      target: '',
    });
    failures.push(`PostgreSQL ingest ${why}`);
  }
}
if (wants('statistics')) {
  say('Workforce statistics pages over 100,000 worker records…');
  const ceiling = await bareGet();
  const statistics = await benchStatistics(load);
  check('statistics national page', statistics.national.measured, '200');
  check("statistics authority's page", statistics.authority.measured, '200');
  check('statistics CSV', statistics.csv.measured, '200');
  rows.push(...toStatisticsRows(statistics, ceiling));
  results.statistics = { ...statistics, ceilingBareExpressGet: ceiling };
}
await bare.stop();

if (wants('workflow')) {
  say('Workflow end to end: route → pack → email 5 homes → file…');
  const workflowRows = await runWorkflowBench();
  for (const row of workflowRows) {
    rows.push({
      measure: row.name,
      figure: `${row.value.toLocaleString('en-GB', { maximumFractionDigits: 1 })} ${row.unit}`,
      ceiling: `${row.ceilingName} ${row.ceiling.toLocaleString('en-GB', { maximumFractionDigits: 1 })}`,
      ratio: row.ratio.toFixed(2),
      target: '',
    });
  }
  results.workflow = workflowRows;
}

if (validation) {
  rows.push({
    measure: 'Ajv: form.validate(example) of a full referral',
    figure: perSecond(validation.formValidatePerSecond),
    ceiling: `raw compiled Ajv validator ${perSecond(validation.rawAjvPerSecond)}`,
    ratio: ratio(validation.formValidatePerSecond, validation.rawAjvPerSecond).toFixed(2),
    target: '',
  });
  results.ajvValidation = {
    ...validation,
    ratio: ratio(validation.formValidatePerSecond, validation.rawAjvPerSecond),
  };
}

if (wants('census')) {
  say('Census: CSV validation of 10,000 and 50,000 rows, XML export of 10,000 workers…');
  const census = await benchCensus();
  const { validation: csv, memory, xml } = census;
  const perSecondOf = (count: number, ms: number) => (count / ms) * 1000;
  const mb = (value: number) => `${value.toFixed(0)} MB`;
  rows.push(
    {
      measure: `Census CSV validation, ${csv.rows.toLocaleString('en-GB')} rows (${csv.errors} seeded errors)`,
      figure: `${csv.ms.toFixed(0)} ms (${perSecond(perSecondOf(csv.rows, csv.ms))} rows)`,
      ceiling: `raw csv-parse of the same file ${csv.rawParseMs.toFixed(0)} ms`,
      ratio: ratio(csv.rawParseMs, csv.ms).toFixed(2),
      target: '< 2,000 ms',
    },
    {
      measure:
        'Census CSV validation, peak heap / RSS: 10,000 rows → 50,000 rows (fresh processes)',
      figure: `heap ${mb(memory.small.peakHeapMb)} → ${mb(memory.large.peakHeapMb)}, RSS ${mb(memory.small.peakRssMb)} → ${mb(memory.large.peakRssMb)}`,
      ceiling: `before reading: heap ${mb(memory.small.baseHeapMb)}, RSS ${mb(memory.small.baseRssMb)}`,
      ratio: `${ratio(memory.large.peakHeapMb, memory.small.peakHeapMb).toFixed(2)} (heap, 5× rows)`,
      target: 'flat',
    },
    {
      measure: `Census XML export (toCswwXml), ${xml.workers.toLocaleString('en-GB')} workers, ${(xml.bytes / 2 ** 20).toFixed(1)} MB`,
      figure: `${xml.ms.toFixed(0)} ms`,
      ceiling: `plain string building of the same XML ${xml.plainMs.toFixed(0)} ms`,
      ratio: ratio(xml.plainMs, xml.ms).toFixed(2),
      target: '',
    },
    {
      measure: `Census XML: XSD validation (xmllint-wasm) of that file`,
      figure: `${xml.xsdMs.toFixed(0)} ms`,
      ceiling: `toCswwXml of the same workers ${xml.ms.toFixed(0)} ms`,
      ratio: ratio(xml.ms, xml.xsdMs).toFixed(2),
      target: '',
    },
  );
  results.census = census;
}

/** Measures API ingest on `app` beside the bare JSON POST ceiling, and checks no data was lost. */
async function ingest(name: string, app: TestApp, target: string) {
  const ceiling = await bareJson();
  check('bare Express POST JSON', ceiling, '201');
  const result: IngestBenchResult = await benchIngest(app, ingestForm!, load);
  const figures = result.measurement.measured;
  check(`${name} ingest`, figures, '201');
  check(`${name} ingest warm-up`, result.measurement.warmup, '201');
  // A timed-out request may still have been stored; an accepted one must have been.
  if (result.stored < result.created || result.stored > result.created + result.timedOut) {
    failures.push(
      `${name}: ${result.created} answered 201 (${result.timedOut} timed out) but ${result.stored} were stored`,
    );
  }
  rows.push({
    measure: `API ingest (census return), ${name}; stored ${result.stored} of ${result.created} accepted`,
    figure: `${perSecond(figures.requestsPerSecond)}, ${latency(figures)}`,
    ceiling: `bare Express POST JSON ${perSecond(ceiling.requestsPerSecond)}`,
    ratio: ratio(figures.requestsPerSecond, ceiling.requestsPerSecond).toFixed(2),
    target,
  });
  return {
    ...figures,
    created: result.created,
    stored: result.stored,
    ceilingBareExpressJsonPost: ceiling,
    ratio: ratio(figures.requestsPerSecond, ceiling.requestsPerSecond),
  };
}

const header: Row = {
  measure: 'Measure',
  figure: 'Figure',
  ceiling: 'Ceiling (same run)',
  ratio: 'Ratio',
  target: 'Target',
};
const columns = Object.keys(header) as (keyof Row)[];
const width = (column: keyof Row) =>
  Math.max(...[header, ...rows].map((row) => row[column].length));
const line = (row: Row) =>
  `| ${columns.map((column) => row[column].padEnd(width(column))).join(' | ')} |`;
const cpu = cpus()[0]?.model ?? 'unknown';
const date = new Date().toISOString();
console.log(
  [
    '',
    `Formwork benchmarks ${date}: Node ${process.version}, ${cpus().length} × ${cpu}, 1-min load average ${loadAverageBefore.toFixed(1)} at start, ${(loadavg()[0] ?? 0).toFixed(1)} at end`,
    `autocannon, ${load.connections} connections over loopback, ${load.warmupSeconds} s warm-up + ${load.durationSeconds} s (ingest: the same in exact request counts; ceilings 1 s + 5 s right before).`,
    'The load generator runs in a worker thread of this process; the app (web, outbox relay and workflow workers) and embedded PGlite share the main thread.',
    '',
    line(header),
    `|${columns.map((column) => '-'.repeat(width(column) + 2)).join('|')}|`,
    ...rows.map(line),
    ...(notes.length > 0 ? ['', 'Notes:', ...notes.map((note) => `- ${note}`)] : []),
    ...(failures.length > 0 ? ['', 'FAILED:', ...failures.map((failure) => `- ${failure}`)] : []),
  ].join('\n'),
);

await writeFile(
  resultsFile,
  JSON.stringify(
    {
      date,
      node: process.version,
      cpu,
      cores: cpus().length,
      loadAverage: { start: loadAverageBefore, end: loadavg()[0] },
      load: { ...load, generator: 'autocannon, workers: 1 (a worker thread of the bench process)' },
      ceilingLoad,
      ...results,
      notes,
      failures,
    },
    null,
    2,
  ) + '\n',
);

// A bench that loses data or gets wrong answers must not pass quietly.
process.exit(failures.length > 0 ? 1 : 0);
