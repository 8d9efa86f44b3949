// Run as a child of the census bench: validates one CSV file from disk and prints its peak memory
// as JSON, so each file size is measured in a fresh process.
import { createReadStream } from 'node:fs';
import { censusOptions } from '../census/census-fixture.js';
import { validateCensusFile } from '../../src/census/validate-census-file.js';

const file = process.argv[2];
if (!file) throw new Error('usage: census-memory.ts <file.csv>');
const options = censusOptions();
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage();
let peakHeap = before.heapUsed;
let peakRss = before.rss;
const sample = () => {
  const now = process.memoryUsage();
  peakHeap = Math.max(peakHeap, now.heapUsed);
  peakRss = Math.max(peakRss, now.rss);
};
const timer = setInterval(sample, 2);
const started = performance.now();
const report = await validateCensusFile(createReadStream(file), { ...options });
const ms = performance.now() - started;
clearInterval(timer);
sample();
process.stdout.write(
  JSON.stringify({
    rows: report.rows,
    ms,
    baseHeapMb: before.heapUsed / 2 ** 20,
    peakHeapMb: peakHeap / 2 ** 20,
    baseRssMb: before.rss / 2 ** 20,
    peakRssMb: peakRss / 2 ** 20,
  }) + '\n',
);
