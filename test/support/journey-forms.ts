import { copyFile, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A form every journey test runs: the two shipped ones, signed in, and a public fixture. */
export interface JourneyForm {
  id: string;
  access: 'public' | 'signed-in';
  /** Whether a submission of it starts a workflow. */
  hasWorkflow: boolean;
}

/** The forms the journey tests run, HTTP and Chromium alike. */
export const journeyForms: readonly JourneyForm[] = [
  { id: 'secure-welfare-referral', access: 'signed-in', hasWorkflow: true },
  { id: 'social-care-workforce-census', access: 'signed-in', hasWorkflow: false },
  { id: 'public-enquiry', access: 'public', hasWorkflow: false },
];

/** The public fixture form (`test/fixtures/forms/public-enquiry.json`). */
export const publicFixture = 'test/fixtures/forms/public-enquiry.json';

/**
 * A temporary forms folder holding the shipped forms and the public fixture, so one app serves
 * every form of {@link journeyForms}. Returns its path.
 */
export async function makeJourneyFormsDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'formwork-journey-forms-'));
  const shipped = (await readdir('forms')).filter((name) => name.endsWith('.json'));
  await Promise.all(shipped.map((name) => copyFile(join('forms', name), join(dir, name))));
  await copyFile(publicFixture, join(dir, 'public-enquiry.json'));
  return dir;
}
