import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core's own build, injected into pages under test. */
export const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Every WCAG 2.x A and AA rule, up to 2.2. */
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe-core (WCAG 2.2 AA tags) on the page as it stands and returns its violations as
 * readable lines: rule id, help text and the offending nodes. Empty means none.
 * The page must come from a context made with `bypassCSP: true`, for the injected script only.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const tags = JSON.stringify(wcagTags);
  return page.evaluate<string[]>(
    `axe.run(document, { runOnly: { type: 'tag', values: ${tags} } }).then((results) =>
      results.violations.map((violation) =>
        violation.id + ': ' + violation.help + ' [' +
        violation.nodes.map((node) => node.target.join(' ')).join(', ') + ']'))`,
  );
}
