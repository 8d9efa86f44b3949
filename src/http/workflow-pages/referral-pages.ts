import type { Request, Response } from 'express';
import { recordAudit } from '../../auth/audit.js';
import { AppError } from '../../errors/app-error.js';
import { escapeHtml } from '../../forms/fields/escape-html.js';
import { statusLabelOf, toCurrentStatus } from '../../steps/set-status.js';
import type { WorkflowDefinition } from '../../workflow/workflow-definition.js';
import { isCoordinator } from '../is-coordinator.js';
import type { SessionUser } from '../request-context.js';
import type { WorkflowRouterOptions } from './workflow-page-options.js';
import { dateTime, toLabel } from './workflow-page-texts.js';

/** A submission with its workflow instance, as every workflow page loads it. */
export interface ReferralRow {
  submission_id: string;
  reference: string;
  form_id: string;
  organisation_id: string;
  data: Record<string, unknown>;
  user_id: string | null;
  submitter_organisation_id: string | null;
  submitted_at: Date | string;
  instance_id: string | null;
  state: string | null;
  status: string | null;
  current_step: string | null;
  workflow_id: string | null;
  workflow_version: string | null;
  context: Record<string, unknown> | null;
}

/** A document sent with a referral. */
export interface ReferralDocument {
  id: string;
  /** The question it answered (a JSON pointer). */
  field_path: string;
  filename: string;
  media_type: string;
  size_bytes: number;
}

/** One home sent a referral, with its answer. */
export interface HomeRequestRow {
  id: string;
  home_id: string;
  name: string;
  state: string;
  reason: string | null;
  responded_at: Date | string | null;
  /** An offer's details. */
  bed_available_on: Date | string | null;
  conditions: string | null;
  /** The local authority's latest answer to the home's question, if any. */
  latest_answer: string | null;
}

/** A step's state in the timeline's words. */
const stepStateLabels: Record<string, string> = {
  queued: 'Due to run',
  running: 'Running',
  waiting: 'Waiting',
  completed: 'Done',
  failed: 'Did not finish',
  cancelled: 'Stopped',
};

const referencePattern = /^[A-Z]{2,6}-\d{4}-\d{5}$/;

/**
 * What the audiences' routers share: who the user is, loading a referral and its workflow
 * definition, auditing a view, and the timeline and homes every audience's page shows.
 */
export class ReferralPages {
  constructor(readonly options: WorkflowRouterOptions) {}

  /** The signed-in user, or an error that sends the browser to sign in. */
  requireUser(req: Request): SessionUser {
    const user = req.session?.user;
    if (!user) throw new AppError('ERR_AUTH_REQUIRED', 'sign-in needed');
    return user;
  }

  /** The signed-in coordinator, or a 403. */
  requireCoordinator(req: Request): SessionUser {
    const user = this.requireUser(req);
    if (!isCoordinator(user)) throw new AppError('ERR_AUTH_FORBIDDEN', 'not a coordinator');
    return user;
  }

  /** The referral with `reference`, or undefined (also for a malformed reference). */
  async loadReferral(reference: string): Promise<ReferralRow | undefined> {
    if (!referencePattern.test(reference)) return undefined;
    const { rows } = await this.options.db.query<ReferralRow>(
      `SELECT s.id AS submission_id, s.reference, s.form_id, s.organisation_id,
         s.submitter_organisation_id, s.data, s.user_id,
         s.submitted_at, i.id AS instance_id, i.state, i.status, i.current_step, i.workflow_id,
         i.workflow_version, i.context
       FROM submissions s LEFT JOIN workflow_instances i ON i.submission_id = s.id
       WHERE s.reference = $1`,
      [reference],
    );
    return rows[0];
  }

  /** The workflow definition version the referral's instance runs. */
  async definitionOf(referral: ReferralRow): Promise<WorkflowDefinition | undefined> {
    return referral.workflow_id && referral.workflow_version
      ? this.options.workflows.catalog.version(referral.workflow_id, referral.workflow_version)
      : undefined;
  }

  /** Records that `actor` read (or downloaded) the referral. */
  async auditView(
    referral: ReferralRow,
    actor: { type: 'user' | 'home'; id: string },
    action = 'referral.view',
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await recordAudit(this.options.db, {
      actorType: actor.type,
      actorId: actor.id,
      action,
      subjectType: 'submission',
      subjectId: referral.submission_id,
      organisationId: referral.organisation_id,
      details: { reference: referral.reference, ...details },
      at: this.options.clock.now(),
    });
  }

  /**
   * The referral's timeline as summary-list rows (they stack on a small screen): received, then
   * each step run by its title, with its state (or what it waits for) and time.
   */
  async timelineOf(
    referral: ReferralRow,
  ): Promise<{ key: { text: string }; value: { html: string } }[]> {
    const steps = await this.options.workflows.timeline(referral.submission_id);
    // What happened and when are two lines, so a waiting step's deadline and the time it
    // started never run together into one sentence.
    const value = (what: string, when: string) => ({
      html: `<p class="govuk-body govuk-!-margin-bottom-1">${escapeHtml(what)}</p><p class="govuk-body-s govuk-!-margin-bottom-0">${escapeHtml(when)}</p>`,
    });
    return [
      {
        key: { text: 'Referral received' },
        value: value('Done', dateTime.format(new Date(referral.submitted_at))),
      },
      ...steps.map((step) => ({
        key: { text: step.title },
        value: value(
          step.waiting ?? stepStateLabels[step.state] ?? toLabel(step.state),
          `${step.state === 'completed' ? 'Finished' : 'Started'} ${dateTime.format(step.at)}`,
        ),
      })),
    ];
  }

  /** The homes sent the referral, by name. */
  async homeRequestsOf(instanceId: string): Promise<HomeRequestRow[]> {
    const { rows } = await this.options.db.query<HomeRequestRow>(
      `SELECT r.id, r.home_id, h.name, r.state, r.reason, r.responded_at, r.bed_available_on,
         r.conditions,
         (SELECT a.answer FROM referral_question_answers a WHERE a.request_id = r.id
          ORDER BY a.answered_at DESC, a.id DESC LIMIT 1) AS latest_answer
       FROM workflow_home_requests r
       JOIN homes h ON h.id = r.home_id WHERE r.instance_id = $1 ORDER BY h.name`,
      [instanceId],
    );
    return rows;
  }

  /** The referral's state in the one status vocabulary. */
  statusLabel(referral: ReferralRow): string {
    return statusLabelOf(toCurrentStatus(referral.status, referral.context));
  }

  /** True when the instance waits in a step of `stepType`. */
  async isWaitingOn(referral: ReferralRow, stepType: string): Promise<boolean> {
    if (referral.state !== 'waiting' || !referral.current_step) return false;
    const definition = await this.definitionOf(referral);
    return definition?.steps[referral.current_step]?.type === stepType;
  }

  /**
   * The documents sent with the submission, in the order they were added (not those sent later
   * with an answer to one home's question: that home alone reads them).
   */
  async documentsOf(submissionId: string): Promise<ReferralDocument[]> {
    const { rows } = await this.options.db.query<ReferralDocument>(
      `SELECT id, field_path, filename, media_type, size_bytes FROM documents WHERE submission_id = $1
         AND answer_id IS NULL ORDER BY created_at, id`,
      [submissionId],
    );
    return rows;
  }

  /**
   * Sends one of the referral's documents as a download, audited as `referral.document.download`.
   * A document of another submission looks exactly like no document; so does, for a home
   * (`homeRequestId`), one sent with an answer to another home's question.
   */
  async sendDocument(
    res: Response,
    referral: ReferralRow,
    actor: { type: 'user' | 'home'; id: string },
    documentId: string,
    homeRequestId?: string,
  ): Promise<void> {
    const { rows } = await this.options.db.query<{
      filename: string;
      media_type: string;
      storage_key: string;
    }>(
      `SELECT filename, media_type, storage_key FROM documents WHERE id = $1 AND submission_id = $2
         AND ($3::uuid IS NULL OR answer_id IS NULL OR answer_id IN
           (SELECT id FROM referral_question_answers WHERE request_id = $3::uuid))`,
      [documentId, referral.submission_id, homeRequestId ?? null],
    );
    const row = rows[0];
    if (!row) throw new AppError('ERR_DOCUMENT_NOT_FOUND', 'no such document on this referral');
    const stored = await this.options.documents.get(row.storage_key);
    if (!stored) throw new AppError('ERR_DOCUMENT_NOT_FOUND', 'document missing from the store');
    await this.auditView(referral, actor, 'referral.document.download', { documentId });
    res.setHeader('Content-Type', row.media_type);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${row.filename.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(row.filename)}`,
    );
    res.send(stored.content);
  }

  /** The file names of the submission's documents, by document id. */
  async documentNames(submissionId: string): Promise<Map<string, string>> {
    const { rows } = await this.options.db.query<{ id: string; filename: string }>(
      `SELECT id, filename FROM documents WHERE submission_id = $1`,
      [submissionId],
    );
    return new Map(rows.map((row) => [row.id, row.filename]));
  }
}
