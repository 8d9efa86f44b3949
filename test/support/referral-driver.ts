import assert from 'node:assert/strict';
import { Queue } from 'bullmq';
import { WebdavDocumentStore } from '../../src/adapters/dms/webdav-document-store.js';
import { SmtpMailer } from '../../src/adapters/mail/smtp-mailer.js';
import { toRedisOptions } from '../../src/adapters/redis/redis-connection.js';
import { loadForms } from '../../src/forms/load-forms.js';
import { queuePrefix } from '../../src/main.js';
import { renderReferralPack } from '../../src/pack/render-referral-pack.js';
import { systemClock } from '../../src/ports/clock.js';
import { renderEmail } from '../../src/render/email-renderer.js';
import type { Database } from '../../src/store/database.js';
import {
  createWorkflowRuntime,
  type WorkflowRuntime,
} from '../../src/workflow/create-workflow-runtime.js';
import { loadHomesDirectory } from '../../src/workflow/directory/load-directory.js';
import {
  createDirectoryDistance,
  toHomeRecords,
} from '../../src/workflow/directory/to-home-records.js';
import { toDay } from '../../src/workflow/homes-store.js';
import type { RenderEmail } from '../../src/workflow/step-type.js';
import type { SmtpSink } from './smtp-sink.js';

/** The homes that declare vacancies today, so each referral goes to exactly these. */
export const openHomes = ['adel-beck', 'aldine-house', 'atkinson'] as const;

/** A referral the real directory routes to {@link openHomes}; fictitious person. */
export function crashReferral(index: number): Record<string, unknown> {
  return {
    referrer: {
      officerName: 'Sam Example',
      email: `referrer-${String(index)}@example.gov.uk`,
      localAuthority: 'Example Council',
    },
    child: {
      firstName: 'Alex',
      lastName: 'Example',
      dateOfBirth: '2012-01-15',
      sex: 'female',
      postcodeDistrict: 'NE1',
    },
    risks: {
      selfHarm: { level: 'high', description: 'Fictitious', lastIncidentDate: '2026-01-01' },
      absconding: { level: 'none' },
    },
    placement: { preferredRegion: 'any' },
  };
}

/** What the parts are reachable at. */
export interface DriverDeps {
  db: Database;
  redisUrl: string;
  smtpUrl: string;
  dmsUrl: string;
  dataKey: Buffer;
}

/** One referral the driver tracks: placed when `place` is set, else an alternative placement. */
interface Tracked {
  reference: string;
  place: boolean;
}

/**
 * Plays coordinator, homes and local authority from the test process through a web-only
 * (worker: false) runtime on the shared database: approves reviews as proposed, answers every
 * home request (the first home offers when the referral is to be placed), and decides.
 */
export class ReferralDriver {
  readonly tracked = new Map<string, Tracked>();
  private constructor(
    readonly runtime: WorkflowRuntime,
    private readonly queue: Queue,
    private readonly db: Database,
  ) {}

  static async open(deps: DriverDeps): Promise<ReferralDriver> {
    const queue = new Queue('workflow', {
      connection: toRedisOptions(deps.redisUrl),
      prefix: queuePrefix,
    });
    // Redis is restarted on purpose; the queue reconnects by itself.
    queue.on('error', () => undefined);
    const directory = loadHomesDirectory();
    const runtime = await createWorkflowRuntime({
      db: deps.db,
      forms: await loadForms('forms'),
      workflowsDir: 'workflows',
      queue,
      connection: toRedisOptions(deps.redisUrl),
      prefix: queuePrefix,
      nudge: () => undefined,
      mailer: new SmtpMailer({
        url: deps.smtpUrl,
        from: 'formwork@example.gov.uk',
        insecure: true,
      }),
      documents: new WebdavDocumentStore({ url: deps.dmsUrl, key: deps.dataKey }),
      clock: systemClock,
      renderEmail: renderEmail as RenderEmail,
      renderPack: renderReferralPack,
      distanceKm: createDirectoryDistance(directory),
      homes: toHomeRecords(directory),
      publicUrl: 'http://localhost:3000',
      coordinatorEmails: ['coordinator@example.gov.uk'],
      linkSecret: 'test-link-secret-0123456789abcdef0123',
      worker: false,
    });
    await runtime.start();
    const today = toDay(new Date());
    for (const id of openHomes) await runtime.homes.declare(id, today, 1000, new Date(), null);
    return new ReferralDriver(runtime, queue, deps.db);
  }

  track(submissionId: string, reference: string, index: number): void {
    this.tracked.set(submissionId, { reference, place: index % 5 === 0 });
  }

  /** One round of human work: every open review, unanswered request and pending decision. */
  async tick(): Promise<void> {
    const { runtime, db } = this;
    for (const task of await runtime.reviews.listOpen()) {
      await runtime.reviews.approve(task.id, task.selected, { id: 'coordinator-1' });
    }
    const requests = await db.query<{
      id: string;
      home_id: string;
      email: string;
      submission_id: string;
      first: string;
    }>(
      `SELECT r.id, r.home_id, h.email, i.submission_id,
         (SELECT min(home_id) FROM workflow_home_requests WHERE instance_id = r.instance_id) AS first
       FROM workflow_home_requests r JOIN homes h ON h.id = r.home_id
       JOIN workflow_instances i ON i.id = r.instance_id
       WHERE r.state = 'awaiting' AND i.state = 'waiting' AND i.current_step = 'await-responses'`,
    );
    for (const row of requests.rows) {
      const place = this.tracked.get(row.submission_id)?.place === true;
      await runtime.responses.respond(
        place && row.home_id === row.first
          ? { requestId: row.id, homeEmail: row.email, answer: 'accepted' }
          : { requestId: row.id, homeEmail: row.email, answer: 'declined', reason: 'No vacancy' },
      );
    }
    const deciding = await db.query<{ id: string; submission_id: string }>(
      `SELECT id, submission_id FROM workflow_instances
       WHERE state = 'waiting' AND current_step = 'await-decision'`,
    );
    for (const row of deciding.rows) {
      const offers = await runtime.decisions.offers(row.id);
      const offer = offers[0];
      await runtime.decisions.decide(
        row.id,
        offer && this.tracked.get(row.submission_id)?.place === true
          ? { choice: 'placed', homeId: offer.homeId }
          : { choice: 'alternative', details: 'Placed in a fictitious children’s home' },
        { id: 'social-worker-1' },
      );
    }
  }

  /** How many tracked referrals have completed. */
  async completed(): Promise<number> {
    const { rows } = await this.db.query<{ count: string | number }>(
      `SELECT count(*) AS count FROM workflow_instances WHERE state = 'completed'`,
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Ticks until every tracked referral completed. */
  async driveToEnd(timeoutMs: number, log?: (line: string) => void): Promise<void> {
    const started = Date.now();
    const deadline = started + timeoutMs;
    let lastLog = started;
    for (;;) {
      await this.tick().catch(() => undefined);
      const done = await this.completed();
      if (done === this.tracked.size) return;
      if (log && Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        log(`${String(Math.round((lastLog - started) / 1000))}s: ${String(done)} completed`);
      }
      if (Date.now() > deadline) {
        const stuck = await this.db.query<{ current_step: string; state: string; n: string }>(
          `SELECT current_step, state, count(*) AS n FROM workflow_instances
           WHERE state <> 'completed' GROUP BY 1, 2`,
        );
        throw new Error(
          `${String(done)}/${String(this.tracked.size)} completed; stuck: ${JSON.stringify(stuck.rows)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  /**
   * The guarantees: every referral in its expected state, one pack email per approved home
   * (at most one when the send was flagged uncertain), one referrer email per notify step, and
   * every document filed exactly once.
   */
  async assertGuarantees(
    sink: SmtpSink,
    dmsUrl: string,
    dataKey: Buffer,
  ): Promise<{ uncertain: number }> {
    const { db } = this;
    const documents = new WebdavDocumentStore({ url: dmsUrl, key: dataKey });
    const messages = sink.messages();
    const countOf = (to: string, subjectPart: string) =>
      messages.filter(
        (message) =>
          message.to.toLowerCase() === to.toLowerCase() && message.subject.includes(subjectPart),
      ).length;
    let uncertain = 0;
    for (const [submissionId, { reference, place }] of this.tracked) {
      const instance = (
        await db.query<{
          id: string;
          state: string;
          status: string;
          context: Record<string, unknown>;
        }>(`SELECT id, state, status, context FROM workflow_instances WHERE submission_id = $1`, [
          submissionId,
        ])
      ).rows[0];
      assert.ok(instance, `${reference} has a workflow`);
      assert.equal(instance.state, 'completed', reference);
      assert.equal(instance.status, place ? 'placed' : 'alternative placement', reference);
      const effects = await db.query<{
        recipient: string;
        kind: string;
        state: string;
        effect_key: string;
      }>(
        `SELECT recipient, kind, state, effect_key FROM workflow_side_effects WHERE instance_id = $1`,
        [instance.id],
      );
      const flagged = new Set(
        (
          await db.query<{ effect_key: string }>(
            `SELECT e.effect_key FROM workflow_flags f
             JOIN workflow_side_effects e ON e.id = f.side_effect_id WHERE f.instance_id = $1`,
            [instance.id],
          )
        ).rows.map((row) => row.effect_key),
      );
      const emailSeq = (
        await db.query<{ seq: number }>(
          `SELECT seq FROM workflow_step_runs WHERE instance_id = $1 AND step_id = 'email-homes'`,
          [instance.id],
        )
      ).rows[0]?.seq;
      const approved = instance.context.approvedHomeIds as string[] | undefined;
      assert.ok(approved && approved.length > 0, `${reference}: homes were approved`);
      for (const home of approved) {
        const email = `${home}@homes.example.org`;
        const packs = countOf(email, `Secure welfare referral ${reference}: please respond`);
        const key = `${instance.id}/${String(emailSeq)}/home-${home}`;
        const effect = effects.rows.find((row) => row.effect_key === key);
        assert.ok(effect, `${reference} ${home}: the pack email is on record`);
        if (effect.state === 'uncertain') {
          uncertain += 1;
          assert.ok(flagged.has(key), `${reference} ${home}: uncertain send is flagged`);
          assert.ok(packs <= 1, `${reference} ${home}: at most one pack email (${String(packs)})`);
        } else {
          // A send a kill left uncertain is sent again with the same Message-ID: a duplicate,
          // if the first did arrive, is recognisably the same message.
          const ids = new Set(
            messages
              .filter(
                (message) =>
                  message.to.toLowerCase() === email &&
                  message.subject.includes(`Secure welfare referral ${reference}: please respond`),
              )
              .map((message) => message.messageId),
          );
          assert.ok(packs >= 1, `${reference} ${home}: the pack email arrived`);
          assert.equal(ids.size, 1, `${reference} ${home}: every copy has the one Message-ID`);
        }
        // the outcome email holds no personal data, so a send a kill interrupted is sent again
        // with the same Message-ID: copies, if any, are one message
        const outcomeIds = new Set(
          messages
            .filter(
              (message) =>
                message.to.toLowerCase() === email &&
                message.subject.includes(`Secure welfare referral ${reference} has been placed`),
            )
            .map((message) => message.messageId),
        );
        assert.ok(outcomeIds.size <= 1, `${reference} ${home}: at most one outcome email`);
      }
      for (const row of effects.rows) {
        assert.ok(
          ['done', 'uncertain'].includes(row.state),
          `${reference} ${row.effect_key} ${row.state}`,
        );
        if (row.state === 'uncertain')
          assert.ok(flagged.has(row.effect_key), `${row.effect_key} flagged`);
      }
      const filings = effects.rows.filter((row) => row.kind === 'filing');
      // each document the submission links (uploaded for it) is filed too
      const attached = Number(
        (
          await db.query<{ n: string | number }>(
            `SELECT count(*) AS n FROM documents WHERE submission_id = $1`,
            [submissionId],
          )
        ).rows[0]?.n ?? 0,
      );
      assert.equal(
        filings.length,
        3 + attached,
        `${reference}: submission, pack, responses and ${String(attached)} documents filed`,
      );
      const audits = await db.query<{ key: string; n: string | number }>(
        `SELECT details->>'documentKey' AS key, count(*) AS n FROM audit_events
         WHERE action = 'document.file' AND subject_id = $1 GROUP BY 1`,
        [submissionId],
      );
      assert.equal(
        audits.rows.length,
        3 + attached,
        `${reference}: ${String(3 + attached)} documents on record`,
      );
      for (const row of audits.rows) {
        assert.equal(Number(row.n), 1, `${reference} ${row.key}: filed once`);
        assert.ok(await documents.get(row.key), `${reference} ${row.key} is in the DMS`);
      }
    }
    return { uncertain };
  }

  async close(): Promise<void> {
    await this.runtime.stop();
    await this.queue.close();
  }
}
