import type { FormModel } from '../../src/forms/form-model.js';
import type { TestApp } from '../support/test-app.js';
import { measureHttp, type HttpMeasurement, type MeasureHttpOptions } from './measure-http.js';

/** API ingest figures, and the check that every accepted submission was stored. */
export interface IngestBenchResult {
  measurement: HttpMeasurement;
  /** 201 answers during warm-up and the measured run. */
  created: number;
  /** Requests that timed out: the server may still have stored them. */
  timedOut: number;
  /** Submissions stored meanwhile, from the reference sequence. */
  stored: number;
}

const sequenceOf = (reference: string): number => Number(reference.split('-').at(-1));

/**
 * `POST /api/v1/forms/{id}/submissions` with the form's first example: validate, store, and
 * queue the workflow start through the outbox, under load.
 */
export async function benchIngest(
  app: TestApp,
  form: FormModel,
  load: Omit<MeasureHttpOptions, 'url'>,
): Promise<IngestBenchResult> {
  const example = form.examples()[0];
  if (!example) throw new Error(`${form.definition.id} has no example`);
  const url = new URL(
    `/api/v1/forms/${form.definition.id}/submissions`,
    app.url.replace('localhost', '127.0.0.1'),
  ).toString();
  const request = {
    method: 'POST' as const,
    headers: {
      authorization: `Bearer ${await app.apiToken([form.definition.id])}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(example),
  };
  const submitOne = async (): Promise<number> => {
    const response = await fetch(url, request);
    const { reference } = (await response.json()) as { reference?: string };
    if (response.status !== 201 || reference === undefined) {
      throw new Error(`a single submission answered ${response.status}`);
    }
    return sequenceOf(reference);
  };

  const first = await submitOne();
  const measurement = await measureHttp({ ...load, url, ...request, exactCounts: true });
  const last = await submitOne();
  // The yearly sequence is taken in the storing transaction, so it counts stored submissions.
  const stored = last - first - 1;
  const created =
    (measurement.warmup.statusCounts['201'] ?? 0) + (measurement.measured.statusCounts['201'] ?? 0);
  const timedOut = measurement.warmup.timeouts + measurement.measured.timeouts;
  return { measurement, created, timedOut, stored };
}
