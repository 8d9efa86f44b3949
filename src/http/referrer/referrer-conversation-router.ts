import { Router, type Request, type Response } from 'express';
import { AppError } from '../../errors/app-error.js';
import { defaultMaxFileBytes, toFileProblem } from '../../forms/fields/document-field.js';
import { escapeHtml } from '../../forms/fields/escape-html.js';
import {
  defaultAcceptedTypes,
  describeMediaTypes,
  toAcceptAttribute,
} from '../../forms/fields/media-types.js';
import { firstValue } from '../../forms/form-body.js';
import type { AnswerFile } from '../../workflow/referral-conversation.js';
import { sniffMediaType } from '../middleware/sniff-media-type.js';
import type { SessionUser } from '../request-context.js';
import { toAnswerSections } from '../workflow-pages/answer-sections.js';
import { toConversationRows } from '../workflow-pages/conversation-rows.js';
import type { ReferralPages, ReferralRow } from '../workflow-pages/referral-pages.js';
import { formatSize, maxText, paramOf } from '../workflow-pages/workflow-page-texts.js';

/** The path a referrer posts an answer (and its files) to; the multipart reader reads files only there. */
export const referrerAnswerPath =
  /^\/referrals\/[A-Z]{2,6}-\d{4}-\d{5}\/homes\/[a-z0-9-]+\/answer$/;

/** The largest file an answer takes. */
export const answerMaxFileBytes = defaultMaxFileBytes;

/**
 * The referrer's side of the conversation with the homes: answering a home's question with text
 * and documents (`/referrals/{reference}/homes/{homeId}/answer`), turning an offer down, what
 * they sent (`/referrals/{reference}/sent`) and its documents.
 */
export function createReferrerConversationRouter(
  shared: ReferralPages,
  referrersReferral: (req: Request) => Promise<{ user: SessionUser; referral: ReferralRow }>,
): Router {
  const { workflows, pages } = shared.options;
  const router = Router();

  /** The home's request on this referral, or a 404 that looks like no home. */
  const homeRequestOf = async (referral: ReferralRow, homeId: string) => {
    const request = referral.instance_id
      ? (await shared.homeRequestsOf(referral.instance_id)).find((row) => row.home_id === homeId)
      : undefined;
    if (!request || !referral.instance_id)
      throw new AppError('ERR_HTTP_NOT_FOUND', 'no such home on this referral');
    return { request, instanceId: referral.instance_id };
  };

  const documentLinkFor = (reference: string) => (id: string, filename: string) =>
    `<a class="govuk-link" href="/referrals/${reference}/documents/${escapeHtml(id)}">${escapeHtml(filename)}</a>`;

  const renderAnswerForm = async (
    req: Request,
    res: Response,
    referral: ReferralRow,
    homeId: string,
    state: { errors?: { text: string; href: string }[]; answer?: string } = {},
  ) => {
    const { request } = await homeRequestOf(referral, homeId);
    const history = (await workflows.conversation.historyOf([request.id])).get(request.id) ?? [];
    const errors = state.errors ?? [];
    pages.render(req, res, 'referrer/answer', {
      title: `Answer ${request.name}’s question`,
      errors,
      errorList: errors,
      reference: referral.reference,
      homeName: request.name,
      question: request.state === 'more-information' ? request.reason : null,
      conversation: toConversationRows(history, {
        documentLink: documentLinkFor(referral.reference),
        asker: request.name,
      }),
      action: `/referrals/${referral.reference}/homes/${homeId}/answer`,
      answer: state.answer ?? '',
      accept: toAcceptAttribute(defaultAcceptedTypes),
      allowed: `${describeMediaTypes(defaultAcceptedTypes)}, each smaller than ${formatSize(answerMaxFileBytes)}`,
      backLink: `/referrals/${referral.reference}`,
    });
  };

  router.get('/referrals/:reference/homes/:homeId/answer', async (req, res) => {
    const { user, referral } = await referrersReferral(req);
    await shared.auditView(referral, { type: 'user', id: user.id });
    await renderAnswerForm(req, res, referral, paramOf(req, 'homeId'));
  });

  router.post('/referrals/:reference/homes/:homeId/answer', async (req, res) => {
    const { user, referral } = await referrersReferral(req);
    const homeId = paramOf(req, 'homeId');
    const { request, instanceId } = await homeRequestOf(referral, homeId);
    const body = req.formBody ?? new Map<string, readonly string[]>();
    const answer = (firstValue(body, 'answer') ?? '').trim().slice(0, maxText);
    const errors: { text: string; href: string }[] = [];
    if (answer === '') errors.push({ text: 'Enter your answer to the question', href: '#answer' });
    const rules = {
      multiple: true,
      accept: defaultAcceptedTypes,
      maxFileBytes: answerMaxFileBytes,
    };
    const files: AnswerFile[] = [];
    for (const file of (req.uploads ?? []).filter((upload) => upload.field === 'documents')) {
      const mediaType =
        file.tooLarge || file.sizeBytes === 0 ? undefined : await sniffMediaType(file.path);
      const problem = toFileProblem(rules, { ...file, mediaType });
      if (problem !== undefined || mediaType === undefined) {
        errors.push({ text: `${file.filename}: ${problem ?? ''}`, href: '#documents' });
        continue;
      }
      files.push({ filename: file.filename, mediaType, path: file.path });
    }
    if (errors.length > 0) {
      res.status(422);
      await renderAnswerForm(req, res, referral, homeId, { errors, answer });
      return;
    }
    const result = await workflows.conversation.answerQuestion({
      instanceId,
      requestId: request.id,
      answer,
      files,
      actor: { id: user.id },
    });
    if (!result.ok) {
      res.status(409);
      pages.render(req, res, 'workflow-message', {
        title: 'There is no question to answer',
        heading: 'There is no question to answer',
        paragraphs: [
          `${request.name} is not waiting for more information (it may have answered since). Nothing was sent.`,
        ],
        link: { href: `/referrals/${referral.reference}`, text: 'Back to the referral' },
      });
      return;
    }
    res.redirect(303, `/referrals/${referral.reference}?done=answered-question`);
  });

  router.get('/referrals/:reference/homes/:homeId/decline-offer', async (req, res) => {
    const { referral } = await referrersReferral(req);
    const { request } = await homeRequestOf(referral, paramOf(req, 'homeId'));
    pages.render(req, res, 'referrer/decline-offer', {
      title: `Decline the offer from ${request.name}`,
      reference: referral.reference,
      homeName: request.name,
      action: `/referrals/${referral.reference}/homes/${request.home_id}/decline-offer`,
      backLink: `/referrals/${referral.reference}`,
    });
  });

  router.post('/referrals/:reference/homes/:homeId/decline-offer', async (req, res) => {
    const { user, referral } = await referrersReferral(req);
    const { request, instanceId } = await homeRequestOf(referral, paramOf(req, 'homeId'));
    const result = await workflows.conversation.declineOffer({
      instanceId,
      homeId: request.home_id,
      actor: { id: user.id },
    });
    if (!result.ok) {
      res.status(409);
      pages.render(req, res, 'workflow-message', {
        title: 'This offer cannot be declined',
        heading: 'This offer cannot be declined',
        paragraphs: [
          'The home has no open offer for this referral, or a decision was already recorded. Nothing was changed.',
        ],
        link: { href: `/referrals/${referral.reference}`, text: 'Back to the referral' },
      });
      return;
    }
    res.redirect(303, `/referrals/${referral.reference}?done=offer-declined`);
  });

  router.get('/referrals/:reference/sent', async (req, res) => {
    const { user, referral } = await referrersReferral(req);
    await shared.auditView(referral, { type: 'user', id: user.id }, 'referral.view.sent');
    const form = shared.options.forms.get(referral.form_id);
    const link = documentLinkFor(referral.reference);
    const names = await shared.documentNames(referral.submission_id);
    const requests = referral.instance_id ? await shared.homeRequestsOf(referral.instance_id) : [];
    const history = await workflows.conversation.historyOf(requests.map((row) => row.id));
    const answers = requests.flatMap((request) =>
      (history.get(request.id) ?? [])
        .filter((entry) => entry.kind === 'referrer')
        .map((entry) => ({
          key: { text: `To ${request.name}` },
          value: {
            html: [
              `<p class="govuk-body">Question: ${escapeHtml(entry.question)}</p>`,
              `<p class="govuk-body">Your answer: ${escapeHtml(entry.answer)}</p>`,
              entry.documents.length > 0
                ? `<ul class="govuk-list">${entry.documents.map((doc) => `<li>${link(doc.id, doc.filename)}</li>`).join('')}</ul>`
                : '',
            ].join(''),
          },
        })),
    );
    pages.render(req, res, 'referrer/sent', {
      title: `What you sent: referral ${referral.reference}`,
      reference: referral.reference,
      sections: form ? toAnswerSections(form, referral.data, names, link, 'own') : [],
      answers,
      backLink: `/referrals/${referral.reference}`,
    });
  });

  router.get('/referrals/:reference/documents/:documentId', async (req, res) => {
    const { user, referral } = await referrersReferral(req);
    await shared.sendDocument(
      res,
      referral,
      { type: 'user', id: user.id },
      paramOf(req, 'documentId'),
    );
  });

  return router;
}
