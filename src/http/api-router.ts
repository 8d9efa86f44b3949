import { Router, type Request } from 'express';
import { mayTokenReadSubmission } from '../auth/submission-access.js';
import { AppError } from '../errors/app-error.js';
import type { FormRegistry } from '../forms/load-forms.js';
import type { Actor } from '../submissions/actor.js';
import { isReference } from '../submissions/reference.js';
import type { SubmissionStore } from '../submissions/submission-store.js';
import type { WorkflowStatusReader } from '../submissions/workflow-status.js';
import { findUnknownProperties } from '../validation/find-unknown-properties.js';
import { declareAccess, type RouteAccess } from './route-access.js';

/** What the JSON API needs. */
export interface ApiRouterOptions {
  forms: FormRegistry;
  submissions: SubmissionStore;
  workflowStatus: WorkflowStatusReader;
  /** Called after a submission commits. */
  onSubmitted: () => void;
}

/** Who may use each route (checked by the route × role test). */
export const apiAccess: readonly RouteAccess[] = [
  { method: 'POST', path: '/api/v1/forms/:formId/submissions', allow: ['api-token'] },
  { method: 'GET', path: '/api/v1/submissions/:reference', allow: ['api-token-of-submitter'] },
];

/**
 * The JSON API (`/api/v1`), for integrators posting submissions from case-management systems.
 * Authenticated by bearer token (mounted behind the token middleware); a token sees only the
 * forms it was created for (`--form`), or every form when created without one, and reads only
 * the submissions of its own organisation (`--org`).
 */
export function createApiRouter(options: ApiRouterOptions): Router {
  const router = Router();

  const actorOf = (req: Request): Actor & { formIds: string[] | null } => {
    const token = req.apiToken;
    if (!token) throw new AppError('ERR_AUTH_TOKEN_INVALID', 'no api token on request');
    return {
      type: 'api-token',
      id: token.id,
      organisationId: token.organisationId,
      formIds: token.formIds,
    };
  };
  const mayUseForm = (actor: { formIds: string[] | null }, formId: string) =>
    actor.formIds === null || actor.formIds.includes(formId);

  router.post('/api/v1/forms/:formId/submissions', async (req, res) => {
    const actor = actorOf(req);
    const formId = req.params.formId;
    const form = options.forms.get(formId);
    // A form the token may not use is reported exactly like a form that does not exist.
    if (!form || !mayUseForm(actor, formId)) {
      throw new AppError('ERR_FORM_NOT_FOUND', 'no such form for this token', {
        userMessage: 'There is no form with that id.',
      });
    }
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      res.status(422).json({ errors: [{ path: '', message: 'The body must be a JSON object' }] });
      return;
    }
    // The verdict is the schema's: a property it refuses (additionalProperties: false, …) is
    // named by Ajv's error; one it allows is stored, and the answer says which were not asked.
    const result = form.validate(body as Record<string, unknown>);
    if (!result.valid) {
      res.status(422).json({ errors: form.toApiErrors(result.errors) });
      return;
    }
    const notAsked = findUnknownProperties(form.definition.schema, body).map((path) => ({
      path,
      message: `${path} is not a question on this form; the schema allows it, so it was stored`,
    }));
    const key = req.get('Idempotency-Key');
    if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw new AppError('ERR_HTTP_BODY_MALFORMED', 'bad idempotency key', {
        userMessage: 'The Idempotency-Key header must be 1 to 200 visible ASCII characters.',
      });
    }
    const stored = await options.submissions.submit({
      formId,
      formVersion: form.version,
      referencePrefix: form.definition.referencePrefix,
      organisationId: form.definition.organisation,
      data: result.data,
      retainUntil: form.retainUntil(result.data, new Date()),
      actor,
      source: 'api',
      ...(key ? { idempotencyKey: key } : {}),
    });
    if (stored.created) options.onSubmitted();
    res
      .status(stored.created ? 201 : 200)
      .location(`/api/v1/submissions/${stored.reference}`)
      .json({ reference: stored.reference, ...(notAsked.length > 0 ? { notAsked } : {}) });
  });

  router.get('/api/v1/submissions/:reference', async (req, res) => {
    const actor = actorOf(req);
    const reference = req.params.reference;
    const record = isReference(reference)
      ? await options.submissions.read(
          reference,
          actor,
          (found) => mayUseForm(actor, found.formId) && mayTokenReadSubmission(actor, found),
        )
      : undefined;
    if (!record) {
      throw new AppError('ERR_SUBMISSION_NOT_FOUND', 'no such submission for this token', {
        userMessage: 'There is no submission with that reference.',
      });
    }
    res.json({
      reference: record.reference,
      formId: record.formId,
      formVersion: record.formVersion,
      status: record.status,
      submittedAt: record.submittedAt.toISOString(),
      data: record.data,
      workflow: await options.workflowStatus.read(record.id),
    });
  });

  return declareAccess(router, apiAccess);
}
