import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { recordAudit } from '../auth/audit.js';
import { homeUpdateNews } from '../render/email-renderer.js';
import { hashLinkToken, toHomeLinkToken } from '../steps/send-email.js';
import type { Database, Queryable } from '../store/database.js';
import type { WorkflowEngine } from './workflow-engine.js';

/** One entry of what passed between a home and the local authority, oldest first. */
export type ConversationEntry =
  | {
      kind: 'home';
      answer: string;
      reason: string | null;
      bedAvailableOn: string | null;
      conditions: string | null;
      at: Date;
    }
  | {
      kind: 'referrer';
      id: string;
      question: string;
      answer: string;
      at: Date;
      documents: { id: string; filename: string; mediaType: string; sizeBytes: number }[];
    };

/** A checked file to send with an answer (the multipart reader's temporary file). */
export interface AnswerFile {
  filename: string;
  mediaType: string;
  path: string;
}

/** Why an answer or a declined offer changed nothing. */
export type ConversationProblem = 'not-found' | 'not-asked' | 'not-offered';

interface RequestFacts {
  id: string;
  instance_id: string;
  home_id: string;
  home_name: string;
  state: string;
  reason: string | null;
  submission_id: string;
  reference: string;
  organisation_id: string;
  retain_until: Date | string;
}

const toDay = (value: Date | string | null): string | null =>
  value === null ? null : (value instanceof Date ? value.toISOString() : value).slice(0, 10);

/**
 * The exchanges between a home and the local authority after the pack went out: every answer
 * the home gave (its question is kept when an offer follows), the referrer's answers to its
 * questions with their documents, and offers the local authority turns down. Each home is told
 * by an email holding no personal data, linking to its referral page.
 */
export class ReferralConversation {
  constructor(
    private readonly db: Database,
    private readonly engine: WorkflowEngine,
  ) {}

  /** The conversation with each of `requestIds`, oldest first, by request id. */
  async historyOf(requestIds: readonly string[]): Promise<Map<string, ConversationEntry[]>> {
    const history = new Map<string, ConversationEntry[]>(requestIds.map((id) => [id, []]));
    if (requestIds.length === 0) return history;
    const ids = [...requestIds];
    const responses = await this.db.query<{
      request_id: string;
      answer: string;
      reason: string | null;
      bed_available_on: Date | string | null;
      conditions: string | null;
      responded_at: Date | string;
    }>(
      `SELECT request_id, answer, reason, bed_available_on, conditions, responded_at
       FROM workflow_home_responses WHERE request_id = ANY($1::uuid[]) ORDER BY responded_at, id`,
      [ids],
    );
    const answers = await this.db.query<{
      id: string;
      request_id: string;
      question: string;
      answer: string;
      answered_at: Date | string;
    }>(
      `SELECT id, request_id, question, answer, answered_at FROM referral_question_answers
       WHERE request_id = ANY($1::uuid[]) ORDER BY answered_at, id`,
      [ids],
    );
    const documents = await this.db.query<{
      id: string;
      answer_id: string;
      filename: string;
      media_type: string;
      size_bytes: number;
    }>(
      `SELECT id, answer_id, filename, media_type, size_bytes FROM documents
       WHERE answer_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [answers.rows.map((row) => row.id)],
    );
    for (const row of responses.rows) {
      history.get(row.request_id)?.push({
        kind: 'home',
        answer: row.answer,
        reason: row.reason,
        bedAvailableOn: toDay(row.bed_available_on),
        conditions: row.conditions,
        at: new Date(row.responded_at),
      });
    }
    for (const row of answers.rows) {
      history.get(row.request_id)?.push({
        kind: 'referrer',
        id: row.id,
        question: row.question,
        answer: row.answer,
        at: new Date(row.answered_at),
        documents: documents.rows
          .filter((doc) => doc.answer_id === row.id)
          .map((doc) => ({
            id: doc.id,
            filename: doc.filename,
            mediaType: doc.media_type,
            sizeBytes: doc.size_bytes,
          })),
      });
    }
    for (const entries of history.values()) entries.sort((a, b) => a.at.getTime() - b.at.getTime());
    return history;
  }

  /**
   * The referrer answers the question home request `requestId` (of referral `instanceId`)
   * asked, with `files` (already checked). The home is emailed a link; nothing is changed
   * unless the home's latest answer is a question.
   */
  async answerQuestion(input: {
    instanceId: string;
    requestId: string;
    answer: string;
    files: readonly AnswerFile[];
    actor: { id: string };
  }): Promise<{ ok: true; answerId: string } | { ok: false; problem: ConversationProblem }> {
    const { services } = this.engine;
    const now = services.clock.now();
    const facts = await this.factsOf(this.db, input.instanceId, input.requestId);
    if (!facts) return { ok: false, problem: 'not-found' };
    if (facts.state !== 'more-information' || !facts.reason)
      return { ok: false, problem: 'not-asked' };
    const answerId = randomUUID();
    // The bytes go to the store first: a row never names a file that is not there.
    const stored: (AnswerFile & { id: string; content: Buffer })[] = [];
    for (const file of input.files) {
      const id = `doc_${randomBytes(15).toString('hex')}`;
      const content = await readFile(file.path);
      await services.documents.put(id, content, {
        filename: file.filename,
        mediaType: file.mediaType,
        reference: facts.reference,
        documentType: 'referrer-answer',
      });
      stored.push({ ...file, id, content });
    }
    const done = await this.db.transaction(async (tx) => {
      const current = await this.factsOf(tx, input.instanceId, input.requestId, true);
      if (current?.state !== 'more-information' || current.reason !== facts.reason) return false;
      await tx.query(
        `INSERT INTO referral_question_answers (id, request_id, question, answer, answered_at,
           answered_by, organisation_id, retain_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          answerId,
          facts.id,
          facts.reason,
          input.answer,
          now.toISOString(),
          input.actor.id,
          facts.organisation_id,
          facts.retain_until,
        ],
      );
      for (const file of stored) {
        await tx.query(
          `INSERT INTO documents (id, organisation_id, submission_id, answer_id, field_path, filename,
             media_type, size_bytes, sha256, storage_key, retain_until)
           VALUES ($1, $2, $3, $4, '/answers', $5, $6, $7, $8, $1, $9)`,
          [
            file.id,
            facts.organisation_id,
            facts.submission_id,
            answerId,
            file.filename,
            file.mediaType,
            file.content.length,
            createHash('sha256').update(file.content).digest('hex'),
            facts.retain_until,
          ],
        );
      }
      await recordAudit(tx, {
        actorType: 'user',
        actorId: input.actor.id,
        action: 'referral.question.answer',
        subjectType: 'submission',
        subjectId: facts.submission_id,
        organisationId: facts.organisation_id,
        details: { homeId: facts.home_id, answerId, documents: stored.length },
        at: now,
      });
      return true;
    });
    if (!done) {
      for (const file of stored) await services.documents.delete(file.id);
      return { ok: false, problem: 'not-asked' };
    }
    await this.tellHome(facts, `answer/${answerId}`, 'answered');
    return { ok: true, answerId };
  }

  /** The local authority turns down home `homeId`'s offer; the home is told. */
  async declineOffer(input: {
    instanceId: string;
    homeId: string;
    actor: { id: string };
  }): Promise<{ ok: true } | { ok: false; problem: ConversationProblem }> {
    const now = this.engine.services.clock.now();
    const result = await this.db.transaction(async (tx) => {
      const row = (
        await tx.query<{ id: string }>(
          `SELECT id FROM workflow_home_requests WHERE instance_id = $1 AND home_id = $2`,
          [input.instanceId, input.homeId],
        )
      ).rows[0];
      const facts = row ? await this.factsOf(tx, input.instanceId, row.id, true) : undefined;
      if (!facts) return { ok: false as const, problem: 'not-found' as const };
      // Not once the child is placed there (or anywhere): the decision stands.
      const decided = await tx.query(
        `SELECT 1 FROM workflow_instances WHERE id = $1 AND (context ? 'decision' OR state <> 'waiting')`,
        [input.instanceId],
      );
      const updated = await tx.query(
        `UPDATE workflow_home_requests SET state = 'offer-declined' WHERE id = $1 AND state = 'accepted'`,
        [facts.id],
      );
      if (decided.rowCount !== 0 || updated.rowCount === 0)
        return { ok: false as const, problem: 'not-offered' as const };
      await tx.query(
        `INSERT INTO workflow_home_responses (id, request_id, answer, responded_at, responded_by,
           organisation_id, retain_until)
         VALUES ($1, $2, 'offer-declined', $3, $4, $5, $6)`,
        [
          randomUUID(),
          facts.id,
          now.toISOString(),
          `user:${input.actor.id}`,
          facts.organisation_id,
          facts.retain_until,
        ],
      );
      // With no offer left, the referral is searching again, in every audience's words.
      const reopened = await tx.query(
        `UPDATE workflow_instances SET status = 'searching', updated_at = $2
         WHERE id = $1 AND status = 'offered' AND NOT EXISTS (SELECT 1 FROM workflow_home_requests
           WHERE instance_id = $1 AND state = 'accepted')`,
        [input.instanceId, now.toISOString()],
      );
      if (reopened.rowCount !== 0) {
        await tx.query(`UPDATE submissions SET status = 'searching' WHERE id = $1`, [
          facts.submission_id,
        ]);
        await recordAudit(tx, {
          actorType: 'system',
          action: 'referral.status',
          subjectType: 'submission',
          subjectId: facts.submission_id,
          organisationId: facts.organisation_id,
          details: { status: 'searching' },
          at: now,
        });
      }
      await recordAudit(tx, {
        actorType: 'user',
        actorId: input.actor.id,
        action: 'referral.offer.decline',
        subjectType: 'submission',
        subjectId: facts.submission_id,
        organisationId: facts.organisation_id,
        details: { homeId: facts.home_id },
        at: now,
      });
      return { ok: true as const, facts };
    });
    if (!result.ok) return result;
    await this.tellHome(result.facts, `offer-declined/${result.facts.id}`, 'offer-declined');
    return { ok: true };
  }

  /**
   * The home's own referral page (`/homes/respond/{token}`), derived from the pack email that
   * gave it its link, or its list of referrals when there is none.
   */
  async homeLinkOf(requestId: string): Promise<string> {
    const { publicUrl, linkSecret } = this.engine.services;
    const { rows } = await this.db.query<{ effect_key: string; token_hash: string | null }>(
      `SELECT e.effect_key, r.token_hash FROM workflow_home_requests r
       JOIN workflow_side_effects e ON e.instance_id = r.instance_id AND e.kind = 'email'
         AND e.recipient = 'home:' || r.home_id AND e.effect_key NOT LIKE '%/resend/%'
       WHERE r.id = $1 ORDER BY e.effect_key`,
      [requestId],
    );
    for (const row of rows) {
      const token = toHomeLinkToken(linkSecret, row.effect_key);
      if (row.token_hash === hashLinkToken(token)) return `${publicUrl}/homes/respond/${token}`;
    }
    return `${publicUrl}/homes/requests`;
  }

  private async factsOf(
    tx: Queryable,
    instanceId: string,
    requestId: string,
    lock = false,
  ): Promise<RequestFacts | undefined> {
    const { rows } = await tx.query<RequestFacts>(
      `SELECT r.id, r.instance_id, r.home_id, h.name AS home_name, r.state, r.reason,
         i.submission_id, s.reference, r.organisation_id, r.retain_until
       FROM workflow_home_requests r JOIN homes h ON h.id = r.home_id
       JOIN workflow_instances i ON i.id = r.instance_id JOIN submissions s ON s.id = i.submission_id
       WHERE r.id = $1 AND r.instance_id = $2${lock ? ' FOR UPDATE OF r' : ''}`,
      [requestId, instanceId],
    );
    return rows[0];
  }

  /** One email, sent once (recorded before and after), to the home: news and its link. */
  private async tellHome(
    facts: RequestFacts,
    key: string,
    news: keyof typeof homeUpdateNews,
  ): Promise<void> {
    const { services } = this.engine;
    const home = (
      await this.db.query<{ email: string; name: string }>(
        `SELECT email, name FROM homes WHERE id = $1`,
        [facts.home_id],
      )
    ).rows[0];
    if (!home) return;
    const link = await this.homeLinkOf(facts.id);
    const retainUntil = toDay(facts.retain_until) ?? '';
    await services.effects.emailOnce({
      owner: {
        instanceId: facts.instance_id,
        submissionId: facts.submission_id,
        organisationId: facts.organisation_id,
        retainUntil,
      },
      key: `${facts.instance_id}/${key}/home-${facts.home_id}`,
      recipient: `home:${facts.home_id}`,
      prepare: () =>
        Promise.resolve({
          to: home.email,
          ...services.renderEmail('home-update', {
            reference: facts.reference,
            homeName: home.name,
            link,
            news: homeUpdateNews[news],
          }),
        }),
      retryUncertain: true,
      audit: { template: 'home-update', homeId: facts.home_id, news },
    });
  }
}
