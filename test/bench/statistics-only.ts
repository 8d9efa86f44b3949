import { startBareExpress } from './bare-express.js';
import { measureHttp } from './measure-http.js';
import { benchStatistics, toStatisticsRows } from './statistics-bench.js';

// `npm run bench:statistics`: the statistics part of `npm run bench` alone.
const load = { connections: 32, warmupSeconds: 2, durationSeconds: 10 };
const bare = await startBareExpress();
let failed = false;
try {
  const ceiling = await measureHttp({
    connections: 32,
    warmupSeconds: 1,
    durationSeconds: 5,
    url: `${bare.url}/`,
  });
  const result = await benchStatistics(load);
  for (const figures of [result.national, result.authority, result.csv]) {
    const wrong = Object.keys(figures.measured.statusCounts).filter((code) => code !== '200');
    if (wrong.length > 0 || figures.measured.errors > 0) failed = true;
  }
  for (const row of toStatisticsRows(result, ceiling.measured))
    console.log(`| ${[row.measure, row.figure, row.ceiling, row.ratio].join(' | ')} |`);
} finally {
  await bare.stop();
}
if (failed) console.log('FAILED: a statistics request did not answer 200');
process.exit(failed ? 1 : 0);
