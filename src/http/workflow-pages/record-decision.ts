import type { Request, Response } from 'express';
import { firstValue } from '../../forms/form-body.js';
import type { SessionUser } from '../request-context.js';
import type { ReferralPages } from './referral-pages.js';
import { maxText } from './workflow-page-texts.js';

/**
 * Records the local authority's choice among the offers, or an alternative placement, from
 * either the coordinator's or the referrer's page (`back`), then redirects there.
 */
export async function recordDecision(
  shared: ReferralPages,
  req: Request,
  res: Response,
  decision: { instanceId: string; user: SessionUser; back: string },
): Promise<void> {
  const { pages, workflows } = shared.options;
  const { instanceId, user, back } = decision;
  const body = req.formBody ?? new Map<string, readonly string[]>();
  const choice = firstValue(body, 'choice') ?? '';
  const details = (firstValue(body, 'alternativeDetails') ?? '').trim().slice(0, maxText);
  const offers = await workflows.decisions.offers(instanceId);
  const problem =
    choice === ''
      ? 'Select the home you choose, or record an alternative placement'
      : choice === 'alternative' && details === ''
        ? 'Enter the details of the alternative placement'
        : choice !== 'alternative' && !offers.some((offer) => offer.homeId === choice)
          ? 'Select a home that offered a place'
          : undefined;
  if (problem) {
    res.status(422);
    pages.render(req, res, 'workflow-message', {
      title: 'There is a problem',
      heading: 'There is a problem',
      errors: [{ text: problem, href: '#choice' }],
      errorList: [{ text: problem, href: `${back}#choice` }],
      paragraphs: ['Nothing was changed.'],
      link: { href: back, text: 'Go back and choose' },
    });
    return;
  }
  const decided = await workflows.decisions.decide(
    instanceId,
    choice === 'alternative'
      ? { choice: 'alternative', details }
      : { choice: 'placed', homeId: choice },
    { id: user.id },
  );
  if (!decided) {
    res.status(409);
    pages.render(req, res, 'workflow-message', {
      title: 'No decision is waiting',
      heading: 'No decision is waiting',
      paragraphs: [
        'A decision was already recorded for this referral, or it is no longer open. Nothing was changed.',
      ],
      link: { href: back, text: 'Back to the referral' },
    });
    return;
  }
  res.redirect(303, `${back}?done=decided`);
}
