import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** axe-core's own build, injected into pages under test. */
export const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Every WCAG 2.x A and AA rule, up to 2.2. */
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * The one violation accepted, as narrowly as it can be said: `aria-expanded` that
 * govuk-frontend's own JavaScript puts on a radio or checkbox that reveals a question. The
 * GOV.UK Design System keeps it on purpose (screen readers announce it; documented as a known
 * issue, alphagov/govuk-frontend#979 and #1280). Any other node failing `aria-allowed-attr`, and
 * any other rule, still fails.
 */
const acceptedNode = (violationId: string, html: string) =>
  violationId === 'aria-allowed-attr' &&
  /^<input class="govuk-(radios|checkboxes)__input"[^>]*\saria-expanded="(true|false)"/.test(html);

/**
 * Runs axe-core (WCAG 2.2 AA tags) on the page as it stands and returns its violations as
 * readable lines: rule id, help text and the offending nodes. Empty means none. `alsoRules`
 * adds rules outside those tags (`region`).
 * The page must come from a context made with `bypassCSP: true`, for the injected script only.
 */
export async function axeViolations(
  page: Page,
  options: { alsoRules?: readonly string[] } = {},
): Promise<string[]> {
  // Evaluated rather than added as a script tag, so pages with JavaScript off are checked too.
  await page.evaluate(readFileSync(axePath, 'utf8'));
  const tags = JSON.stringify(wcagTags);
  // best-practice rules asked for by name (`region`: all content in landmarks) run as well
  const rules = JSON.stringify(
    Object.fromEntries((options.alsoRules ?? []).map((rule) => [rule, { enabled: true }])),
  );
  const violations = await page.evaluate<
    { id: string; help: string; nodes: { target: string[]; html: string }[] }[]
  >(
    `axe.run(document, { runOnly: { type: 'tag', values: ${tags} }, rules: ${rules} }).then((results) =>
      results.violations.map((violation) => ({
        id: violation.id,
        help: violation.help,
        nodes: violation.nodes.map((node) => ({ target: node.target, html: node.html })),
      })))`,
  );
  return violations.flatMap((violation) => {
    const nodes = violation.nodes.filter((node) => !acceptedNode(violation.id, node.html));
    if (nodes.length === 0) return [];
    return [
      `${violation.id}: ${violation.help} [${nodes.map((node) => node.target.join(' ')).join(', ')}]`,
    ];
  });
}
