import type { Page } from 'playwright-core';
import type { Database } from '../../../src/store/database.js';
import { giveFormRoles } from '../../support/give-form-roles.js';
import { clickAndLoad } from './click-and-load.js';

/**
 * Signs in on the sign-in page the browser is showing, as a person would: types the email,
 * reads the code from the newest email in the outbox and types it. Given the app's database
 * (a TestApp has it), a person with no role first gets the roles that fill in the
 * shipped forms, as `app.signedIn` does.
 */
export async function signInInBrowser(
  page: Page,
  app: {
    mails(): Promise<readonly { text?: string | undefined }[]>;
    running?: { db: Database };
  },
  email: string,
): Promise<void> {
  if (app.running) await giveFormRoles(app.running.db, email);
  const before = (await app.mails()).length;
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await clickAndLoad(page, page.getByRole('button', { name: 'Continue', exact: true }));
  const sent = (await app.mails()).slice(before);
  const code = /\b(\d{6})\b/.exec(sent.at(-1)?.text ?? '')?.[1];
  if (!code) throw new Error('no sign-in code was emailed');
  await page.getByLabel('Code', { exact: true }).fill(code);
  await clickAndLoad(page, page.getByRole('button', { name: 'Sign in', exact: true }));
}
