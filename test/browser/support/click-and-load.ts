import type { Locator, Page } from 'playwright-core';

/** Clicks a control that submits or follows a link, and waits for the next page to load. */
export async function clickAndLoad(page: Page, control: Locator): Promise<void> {
  await Promise.all([page.waitForEvent('load'), control.click()]);
}
