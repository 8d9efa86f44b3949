import { Router, type Request, type Response } from 'express';
import { hasRole } from '../../auth/roles.js';
import { AppError } from '../../errors/app-error.js';
import { escapeHtml } from '../../forms/fields/escape-html.js';
import { firstValue } from '../../forms/form-body.js';
import type { HomeAnswer, HomeRequest } from '../../workflow/home-responses.js';
import type { WorkflowDefinition } from '../../workflow/workflow-definition.js';
import type { ReferralPages, ReferralRow } from '../workflow-pages/referral-pages.js';
import { toHomeAccess } from './home-access.js';
import {
  answerLabels,
  dateOnly,
  dateTime,
  doneMessageOf,
  formatSize,
  maxText,
  paramOf,
  toLabel,
  toOfferText,
} from '../workflow-pages/workflow-page-texts.js';
import { declareAccess, type RouteAccess } from '../route-access.js';
import { toAnswerSections, toDocumentQuestion } from '../workflow-pages/answer-sections.js';
import { toConversationRows } from '../workflow-pages/conversation-rows.js';
import { readOffer } from './read-offer.js';

/** Who may use each route (checked by the route × role test). */
export const homesAccess: readonly RouteAccess[] = [
  { method: 'GET', path: '/homes/requests', allow: ['home-staff'] },
  ...(
    [
      ['GET', '/respond/:token'],
      ['POST', '/respond/:token'],
      ['GET', '/respond/:token/documents/:documentId'],
      ['GET', '/respond/:token/pack.pdf'],
    ] as const
  ).flatMap(([method, path]) =>
    // The emailed links use `/homes/respond/…`; both spellings serve the same pages.
    [path, `/homes${path}`].map((each) => ({
      method,
      path: each,
      allow: ['home-of-request'] as const,
    })),
  ),
];

/**
 * The home's pages: the referrals sent to it (`/homes/requests`), a referral, its pack and the
 * home's answer (`/respond/{token}`, also `/homes/respond/{token}` as the emails link it), for
 * staff of the home it was sent to. An offer is checked on a page of its own before it counts.
 */
export function createHomesRouter(shared: ReferralPages): Router {
  const { forms, workflows, pages, clock, documents } = shared.options;
  const router = Router();

  /** The request a link opens, for staff of the home it was sent to (a role in the database). */
  const homesRequest = async (req: Request): Promise<HomeRequest> => {
    const user = shared.requireUser(req);
    const request = await workflows.responses.byToken(paramOf(req, 'token'));
    if (!request) throw new AppError('ERR_HTTP_NOT_FOUND', 'no request for this token');
    if (!hasRole(user, 'home-staff', request.homeId))
      throw new AppError('ERR_AUTH_FORBIDDEN', 'not staff of the home the link was sent to');
    return request;
  };

  router.get('/homes/requests', async (req, res) => {
    const user = shared.requireUser(req);
    // every home the user is staff of, by their role in the database
    const homeIds = (user.roles ?? [])
      .filter((grant) => grant.role === 'home-staff')
      .map((grant) => grant.organisationId);
    if (homeIds.length === 0)
      throw new AppError('ERR_AUTH_FORBIDDEN', 'the referrals list of homes: home staff only');
    const requests = await workflows.responses.forHomes(homeIds);
    const rows = [];
    for (const request of requests) {
      const link = await workflows.conversation.homeLinkOf(request.id);
      const path = new URL(link).pathname;
      rows.push({
        key: {
          html: path.startsWith('/homes/respond/')
            ? `<a class="govuk-link" href="${escapeHtml(path)}">${escapeHtml(request.reference)}</a>`
            : escapeHtml(request.reference),
        },
        value: {
          text: `${answerLabels[request.state] ?? toLabel(request.state)}${
            request.expiresAt && ['awaiting', 'more-information'].includes(request.state)
              ? `. Answer by ${dateTime.format(request.expiresAt)}`
              : ''
          }`,
        },
      });
    }
    pages.render(req, res, 'homes/requests', {
      title: 'Referrals sent to your home',
      homeName: requests[0]?.homeName,
      rows,
    });
  });

  const renderResponse = async (
    req: Request,
    res: Response,
    request: HomeRequest,
    state: { errors?: { text: string; href: string }[]; values?: Record<string, string> } = {},
  ) => {
    const referral = await shared.loadReferral(request.reference);
    if (!referral) throw new AppError('ERR_HTTP_NOT_FOUND', 'referral vanished');
    const form = forms.get(referral.form_id);
    const definition = await shared.definitionOf(referral);
    const access = toHomeAccess(request, referral, clock.now());
    const documentList = access.open ? await shared.documentsOf(referral.submission_id) : [];
    const base = `${respondBase(req)}/${paramOf(req, 'token')}`;
    const documentLink = (id: string, filename: string) =>
      `<a class="govuk-link" href="${base}/documents/${escapeHtml(id)}">${escapeHtml(filename)}</a>`;
    const names = await shared.documentNames(referral.submission_id);
    const history = access.open
      ? ((await workflows.conversation.historyOf([request.id])).get(request.id) ?? [])
      : [];
    const expired = request.expiresAt !== null && request.expiresAt <= clock.now();
    const canAnswer =
      access.open &&
      !expired &&
      (request.state === 'awaiting' || request.state === 'more-information') &&
      (await shared.isWaitingOn(referral, 'await-responses'));
    const errors = state.errors ?? [];
    const token = paramOf(req, 'token');
    pages.render(req, res, 'homes/referral', {
      title: `Referral ${request.reference}`,
      errors,
      errorList: errors,
      done: doneMessageOf(req),
      reference: request.reference,
      homeName: request.homeName,
      answer: answerLabels[request.state] ?? toLabel(request.state),
      // a question or a decline's reason, not once the answer is overtaken (placed elsewhere)
      reason: ['declined', 'more-information'].includes(request.state) ? request.reason : null,
      offer:
        request.state === 'accepted' || request.state === 'placed'
          ? toOfferText(request)
          : undefined,
      conversation: toConversationRows(history, {
        documentLink: (id, filename) => documentLink(id, filename),
        asker: 'Your home',
      }),
      expired,
      expires: request.expiresAt ? dateTime.format(request.expiresAt) : undefined,
      accessEnded: access.open ? undefined : access.why,
      referralStatus: shared.statusLabel(referral),
      canAnswer,
      action: `${respondBase(req)}/${token}`,
      packLink: access.open && request.packKey ? `${base}/pack.pdf` : undefined,
      // Each file under the question it answers, so same-named files can be told apart.
      documents: documentList.map((doc) => ({
        key: {
          text: (form ? toDocumentQuestion(form, doc.field_path) : undefined) ?? 'Document',
        },
        value: {
          html: `${documentLink(doc.id, doc.filename)} (${escapeHtml(formatSize(doc.size_bytes))})`,
        },
      })),
      declineReasons: declineReasonsOf(definition),
      values: state.values ?? {},
      sections:
        access.open && form ? toAnswerSections(form, referral.data, names, documentLink) : [],
    });
  };

  router.get(['/respond/:token', '/homes/respond/:token'], async (req, res) => {
    const request = await homesRequest(req);
    const referral = await shared.loadReferral(request.reference);
    if (!referral) throw new AppError('ERR_HTTP_NOT_FOUND', 'referral vanished');
    await shared.auditView(referral, { type: 'home', id: request.homeId });
    await renderResponse(req, res, request);
  });

  /** The referral behind a link, while the home may still read its details (else a 410). */
  const openReferral = async (request: HomeRequest): Promise<ReferralRow> => {
    const referral = await shared.loadReferral(request.reference);
    if (!referral) throw new AppError('ERR_HTTP_NOT_FOUND', 'referral vanished');
    if (!toHomeAccess(request, referral, clock.now()).open)
      throw new AppError('ERR_REFERRAL_ACCESS_ENDED', 'the home no longer has a reason to read it');
    return referral;
  };

  router.get(
    ['/respond/:token/documents/:documentId', '/homes/respond/:token/documents/:documentId'],
    async (req, res) => {
      const request = await homesRequest(req);
      const referral = await openReferral(request);
      await shared.sendDocument(
        res,
        referral,
        { type: 'home', id: request.homeId },
        paramOf(req, 'documentId'),
        request.id,
      );
    },
  );

  router.get(['/respond/:token/pack.pdf', '/homes/respond/:token/pack.pdf'], async (req, res) => {
    const request = await homesRequest(req);
    const referral = await openReferral(request);
    if (!request.packKey) throw new AppError('ERR_DOCUMENT_NOT_FOUND', 'no pack yet');
    const pack = await documents.get(request.packKey);
    if (!pack) throw new AppError('ERR_DOCUMENT_NOT_FOUND', 'pack missing from the store');
    await shared.auditView(
      referral,
      { type: 'home', id: request.homeId },
      'referral.pack.download',
    );
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${request.reference}-referral-pack.pdf"`,
    );
    res.send(pack.content);
  });

  router.post(['/respond/:token', '/homes/respond/:token'], async (req, res) => {
    const request = await homesRequest(req);
    const user = shared.requireUser(req);
    const body = req.formBody ?? new Map<string, readonly string[]>();
    const answer = firstValue(body, 'answer') ?? '';
    const declineReason = firstValue(body, 'declineReason') ?? '';
    const declineDetails = (firstValue(body, 'declineDetails') ?? '').trim().slice(0, maxText);
    const moreInformation = (firstValue(body, 'moreInformation') ?? '').trim().slice(0, maxText);
    const offer = readOffer(body, clock.now());
    const values = {
      answer,
      declineReason,
      declineDetails,
      moreInformation,
      ...offer.values,
    };
    const referral = await shared.loadReferral(request.reference);
    const reasons = declineReasonsOf(referral ? await shared.definitionOf(referral) : undefined);
    const errors: { text: string; href: string }[] = [];
    if (!isHomeAnswer(answer)) {
      errors.push({ text: 'Select whether you can offer a place', href: '#answer' });
    } else if (answer === 'declined') {
      if (reasons.length > 0 && !reasons.includes(declineReason))
        errors.push({ text: 'Select why you cannot offer a place', href: '#declineReason' });
      else if (reasons.length === 0 && declineDetails === '')
        errors.push({ text: 'Enter why you cannot offer a place', href: '#declineDetails' });
    } else if (answer === 'more-information' && moreInformation === '') {
      errors.push({ text: 'Enter what information you need', href: '#moreInformation' });
    } else if (answer === 'accepted') {
      errors.push(...offer.errors);
    }
    if (errors.length > 0 || !isHomeAnswer(answer)) {
      res.status(422);
      await renderResponse(req, res, request, { errors, values });
      return;
    }
    // An offer is a commitment: the home checks it on a page of its own first.
    if (answer === 'accepted' && firstValue(body, 'confirm') !== 'yes') {
      pages.render(req, res, 'homes/confirm-offer', {
        title: `Check your offer for referral ${request.reference}`,
        reference: request.reference,
        homeName: request.homeName,
        action: `${respondBase(req)}/${paramOf(req, 'token')}`,
        values,
        rows: [
          { key: { text: 'Your answer' }, value: { text: 'We offer a place' } },
          {
            key: { text: 'Bed available from' },
            value: { text: offer.day ? dateOnly.format(new Date(offer.day)) : '' },
          },
          {
            key: { text: 'Conditions' },
            value: { text: offer.values.conditions === '' ? 'None' : offer.values.conditions },
          },
        ],
      });
      return;
    }
    const reason =
      answer === 'declined'
        ? [declineReason, declineDetails].filter((part) => part !== '').join(': ')
        : answer === 'more-information'
          ? moreInformation
          : undefined;
    const result = await workflows.responses.respond({
      requestId: request.id,
      homeEmail: request.homeEmail,
      respondedBy: user.email,
      answer,
      reason,
      ...(answer === 'accepted'
        ? { bedAvailableOn: offer.day, conditions: offer.values.conditions }
        : {}),
    });
    if (!result.ok) {
      const texts: Record<string, [number, string, string]> = {
        'already-answered': [
          409,
          'You have already answered',
          'You have already answered this referral. Your earlier answer stands and nothing was changed.',
        ],
        expired: [
          410,
          'This link has expired',
          'The time to answer this referral has passed. Nothing was changed. Contact the Secure Welfare Coordination Unit if you can still offer a place.',
        ],
        closed: [
          409,
          'This referral is no longer open',
          'The referral is no longer waiting for answers (it may have been withdrawn or decided). Nothing was changed.',
        ],
        'not-found': [
          404,
          'Page not found',
          'This link is not for your home. Nothing was changed.',
        ],
        'reason-required': [422, 'There is a problem', 'Give a reason. Nothing was changed.'],
      };
      const [status, heading, text] = texts[result.problem] ?? [409, 'There is a problem', ''];
      res.status(status);
      pages.render(req, res, 'workflow-message', {
        title: heading,
        heading,
        paragraphs: [text],
        link: {
          href: `${respondBase(req)}/${paramOf(req, 'token')}`,
          text: 'Back to the referral',
        },
      });
      return;
    }
    res.redirect(303, `${respondBase(req)}/${paramOf(req, 'token')}?done=answered`);
  });

  return declareAccess(router, homesAccess);
}

function isHomeAnswer(value: string): value is HomeAnswer {
  return value === 'accepted' || value === 'declined' || value === 'more-information';
}

function declineReasonsOf(definition: WorkflowDefinition | undefined): string[] {
  for (const step of Object.values(definition?.steps ?? {})) {
    const stepOptions = (step.options ?? {}) as Record<string, unknown>;
    if (step.type === 'await-responses' && Array.isArray(stepOptions.declineReasons))
      return stepOptions.declineReasons.filter((reason) => typeof reason === 'string');
  }
  return [];
}

/** The emailed links use `/homes/respond/…`; both spellings serve the same pages. */
function respondBase(req: Request): string {
  return req.path.startsWith('/homes/') ? '/homes/respond' : '/respond';
}
