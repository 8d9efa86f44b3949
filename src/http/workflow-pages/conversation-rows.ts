import { escapeHtml } from '../../forms/fields/escape-html.js';
import type { ConversationEntry } from '../../workflow/referral-conversation.js';
import { answerLabels, dateTime, toLabel, toOfferText } from './workflow-page-texts.js';

/**
 * What passed between a home and the local authority, oldest first, as summary-list rows: who
 * and when as the key, what was said (and the documents, linked) as the value.
 */
export function toConversationRows(
  entries: readonly ConversationEntry[],
  options: {
    documentLink: (id: string, filename: string) => string;
    /** How the home is named to this reader ("Your home", "Adel Beck"). */
    asker: string;
  },
): { key: { text: string }; value: { html: string } }[] {
  return entries.map((entry) => {
    const when = dateTime.format(entry.at);
    if (entry.kind === 'referrer') {
      const documents = entry.documents.map((doc) => options.documentLink(doc.id, doc.filename));
      return {
        key: { text: `Local authority, ${when}` },
        value: {
          html: [
            `<p class="govuk-body">${escapeHtml(entry.answer)}</p>`,
            documents.length > 0
              ? `<ul class="govuk-list">${documents.map((link) => `<li>${link}</li>`).join('')}</ul>`
              : '',
          ].join(''),
        },
      };
    }
    const label =
      entry.answer === 'offer-declined'
        ? 'The local authority did not take up the offer'
        : (answerLabels[entry.answer] ?? toLabel(entry.answer));
    const detail =
      entry.answer === 'accepted' ? toOfferText(entry) : entry.reason ? entry.reason : '';
    return {
      key: {
        text: `${entry.answer === 'offer-declined' ? 'Local authority' : options.asker}, ${when}`,
      },
      value: {
        html: `<p class="govuk-body">${escapeHtml(label)}${detail ? `: ${escapeHtml(detail)}` : ''}</p>`,
      },
    };
  });
}
