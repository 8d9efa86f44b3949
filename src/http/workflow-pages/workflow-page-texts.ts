import type { Request } from 'express';

/** Dates and times as the workflow pages show them (UK time). */
export const dateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

/** A calendar day (stored as a UTC date). */
export const dateOnly = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** How a home's answer reads, to every audience. */
export const answerLabels: Record<string, string> = {
  awaiting: 'Waiting for an answer',
  accepted: 'Offered a place',
  declined: 'Declined',
  'more-information': 'Asked for more information',
  'timed-out': 'Did not answer in time',
  withdrawn: 'Referral withdrawn',
  placed: 'Chosen: the child is placed here',
  'offer-declined': 'Offer not taken up',
  'not-needed': 'No longer needed: the child was placed elsewhere',
};

/** An offer's details in words ("Bed available from 9 March 2026. Conditions: …"). */
export function toOfferText(offer: {
  bedAvailableOn: string | null;
  conditions: string | null;
}): string {
  return [
    offer.bedAvailableOn
      ? `Bed available from ${dateOnly.format(new Date(offer.bedAvailableOn))}.`
      : '',
    offer.conditions ? `Conditions: ${offer.conditions}` : 'No conditions.',
  ]
    .filter((part) => part !== '')
    .join(' ');
}

/** A `date` column's value as `YYYY-MM-DD` (or null). */
export function toIsoDay(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value.toISOString() : value).slice(0, 10);
}

// Fixed texts for `?done=`: a query string can only choose one, never inject its own.
const doneMessages: Record<string, string> = {
  approved: 'The homes were approved. Referral packs are being sent.',
  resolved: 'The flag was marked as resolved.',
  rerouted: 'Routing was run again with today’s vacancies. Check the proposed homes.',
  approached: 'The referral pack is being sent to the further homes.',
  'not-approached':
    'No pack was sent: the referral no longer waits for homes’ answers and cannot search again, or a home was already approached.',
  chased: 'A reminder was emailed to the home.',
  'not-chased':
    'No reminder was sent: the home has answered, its link has expired or the referral no longer waits for answers.',
  resent: 'The pack email was sent to the home again, with the same link.',
  'not-resent':
    'The pack email was not sent again: the home has answered, its link has expired or the referral is closed.',
  decided: 'The decision was recorded.',
  updated: 'Your update was recorded. The search stays open.',
  withdrawn: 'The referral was withdrawn. Any home it was sent to will be told.',
  answered: 'Your answer was recorded. Thank you.',
  'answered-question':
    'Your answer was sent to the home. The home has been emailed a link to read it.',
  'offer-declined': 'You declined the offer. The home has been told.',
  declared: 'Your vacancies for today were recorded. Thank you.',
  'vacancy-link-emailed': 'The vacancy link was emailed to the home.',
};

/** The success message a `?done=` redirect asks for, if it names one. */
export function doneMessageOf(req: Request): string | undefined {
  return typeof req.query.done === 'string' ? doneMessages[req.query.done] : undefined;
}

/** The longest free text a workflow page keeps. */
export const maxText = 2000;

/** A readable fallback for an id that has no title (`more-information` → `More information`). */
export function toLabel(id: string): string {
  const words = id.replaceAll(/[-_]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A route parameter as a string ('' when absent). */
export function paramOf(req: Request, name: string): string {
  const value: unknown = req.params[name];
  return typeof value === 'string' ? value : '';
}

/** A file size in words a reader takes in at a glance (`240 KB`). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${String(bytes)} bytes`;
  if (bytes < 1024 * 1024) return `${String(Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Each home sent the referral as a summary-list row: its answer in words and, in full, its
 * question or reason, for the people who act on it (the coordinator and the referrer).
 */
export function toHomeAnswerRows(
  requests: readonly {
    name: string;
    state: string;
    reason: string | null;
    bed_available_on?: Date | string | null;
    conditions?: string | null;
    latest_answer?: string | null;
  }[],
): { key: { text: string }; value: { text: string } }[] {
  return requests.map((request) => {
    const offered = ['accepted', 'placed', 'offer-declined'].includes(request.state);
    const reason = ['declined', 'more-information'].includes(request.state) ? request.reason : null;
    const answer = [answerLabels[request.state] ?? toLabel(request.state), reason]
      .filter((part) => part)
      .join(': ');
    const offer = offered
      ? toOfferText({
          bedAvailableOn: toIsoDay(request.bed_available_on ?? null),
          conditions: request.conditions ?? null,
        })
      : '';
    const answered =
      request.state === 'more-information' && request.latest_answer
        ? `Local authority’s answer: ${request.latest_answer}`
        : '';
    return {
      key: { text: request.name },
      value: { text: [answer, offer, answered].filter((part) => part !== '').join('. ') },
    };
  });
}
