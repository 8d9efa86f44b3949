import { postReferral } from '../support/post-referral.js';
import assert from 'node:assert/strict';
import { loadForms } from '../../src/forms/load-forms.js';
import type { FormModel } from '../../src/forms/form-model.js';
import type { Database } from '../../src/store/database.js';
import { answerPage, followTaskList, pageIdOf } from '../support/form-journey.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorSummary, type Page, type WebClient } from '../support/web-client.js';
import { waitFor } from '../support/wait-for.js';

const referrerEmail = 'reviewing.referrer@example.gov.uk';
const dayMs = 86_400_000;

describe('The three-monthly review (HTTP)', function () {
  this.timeout(180_000);
  let app: TestApp;
  let db: Database;
  let form: FormModel;
  let referrer: WebClient;
  let coordinator: WebClient;
  let reference: string;
  let example: Record<string, unknown>;
  let homeIds: string[];

  const instance = async () => {
    const row = (
      await db.query<{ id: string; state: string; current_step: string; current_seq: number }>(
        `SELECT i.id, i.state, i.current_step, i.current_seq FROM workflow_instances i
         JOIN submissions s ON s.id = i.submission_id WHERE s.reference = $1`,
        [reference],
      )
    ).rows[0];
    assert.ok(row);
    return row;
  };
  const reviewTimer = async (name = 'review-reminder') => {
    const { id, current_seq: seq } = await instance();
    const row = (
      await db.query<{ fire_at: Date | string; state: string; rounds: number }>(
        `SELECT fire_at, state, rounds FROM workflow_timers
         WHERE instance_id = $1 AND seq = $2 AND name = $3`,
        [id, seq, name],
      )
    ).rows[0];
    assert.ok(row, `the waiting step has a ${name} timer`);
    return { ...row, fireAt: new Date(row.fire_at) };
  };
  const packMails = async () =>
    (await app.mails()).filter((mail) => mail.subject?.includes(`${reference}: please respond`));

  before(async () => {
    app = await startTestApp();
    db = app.running.db;
    const loaded = (await loadForms('forms')).get('secure-welfare-referral');
    assert.ok(loaded);
    form = loaded;
    example = form.examples()[0] ?? {};
    homeIds = (
      await db.query<{ id: string }>(`SELECT id FROM homes ORDER BY name LIMIT 2`)
    ).rows.map((row) => row.id);
    await app.addUser(referrerEmail, 'social-worker', '383');
    coordinator = await app.signedIn('coordinator@example.gov.uk', '/coordinator');
    referrer = await app.signedIn(referrerEmail, '/my-forms');
    const response = await postReferral(app.url, await app.apiToken(undefined, '383'), example);
    reference = ((await response.json()) as { reference: string }).reference;
    const review = await waitFor('the coordinator review', async () => {
      const page = await coordinator.get(`/coordinator/referrals/${reference}`);
      return page.$('input[name="taskId"]').length > 0 ? page : undefined;
    });
    await coordinator.post(`/coordinator/referrals/${reference}/review/confirm`, [
      ['taskId', review.$('input[name="taskId"]').attr('value') ?? ''],
      ...homeIds.map((id): [string, string] => ['homes', id]),
      ['reason', 'The homes know the child from an earlier placement'],
    ]);
    const packs = await waitFor('the pack emails', async () => {
      const sent = await packMails();
      return sent.length >= homeIds.length ? sent : undefined;
    });
    // Every home declines: the search stays open, waiting for the local authority.
    for (const mail of packs) {
      const path = /\/homes\/respond\/[A-Za-z0-9_-]+/.exec(mail.text ?? '')?.[0];
      const to = [mail.to ?? []].flat()[0]?.value[0]?.address ?? '';
      assert.ok(path);
      const home = await app.signedIn(to, '/homes/requests');
      await home.get(path);
      await home.post(path, { answer: 'declined', declineReason: 'No vacancy' });
    }
    await waitFor('the search to wait for the local authority', async () => {
      const now = await instance();
      return now.current_step === 'await-decision' && now.state === 'waiting' ? true : undefined;
    });
  });
  after(async () => {
    await app.stop();
  });

  it('refuses to start a review for someone without the referrer’s powers', async () => {
    const stranger = await app.signedIn('someone.else@example.gov.uk', '/my-forms');
    await stranger.get('/forms/secure-welfare-referral');
    const refused = await stranger.post(`/referrals/${reference}/review`, {});
    assert.equal(refused.status, 404);
    // a social worker of another authority is a stranger too
    await app.addUser('other.authority@example.gov.uk', 'social-worker', '373');
    const other = await app.signedIn('other.authority@example.gov.uk', '/my-forms');
    await other.get('/forms/secure-welfare-referral');
    assert.equal((await other.post(`/referrals/${reference}/review`, {})).status, 404);
    const drafts = await db.query(`SELECT 1 FROM drafts WHERE review_of IS NOT NULL`);
    assert.equal(drafts.rowCount, 0, 'no review draft was made');
  });

  it('refuses to send a review once its author has moved to another authority, keeping the answers', async () => {
    const email = 'moving.colleague@example.gov.uk';
    await app.addUser(email, 'social-worker', '383');
    const colleague = await app.signedIn(email, '/my-forms');
    const status = await colleague.get(`/referrals/${reference}`);
    const taskList = await colleague.submit(status, {});
    assert.equal(pageIdOf(taskList), 'task-list');
    const base = new URL(taskList.url).pathname.replace(/\/task-list$/, '');
    const declaration = await colleague.get(`${base}/declaration`);
    const answered = await answerPage(colleague, form, declaration, example);
    assert.notEqual(pageIdOf(answered), 'declaration', errorSummary(answered).join('; '));

    await app.removeRole(email, 'social-worker', '383');
    await app.addUser(email, 'social-worker', '373');
    await colleague.get(`${base}/check-answers`);
    const refused = await colleague.post(`${base}/check-answers`, {});
    assert.equal(refused.status, 403);
    assert.match(refused.$('main').text(), /You can no longer send this review/);
    assert.equal((await db.query(`SELECT 1 FROM referral_reviews`)).rowCount, 0);
    const kept = await db.query(`SELECT 1 FROM drafts WHERE id = $1 AND submission_id IS NULL`, [
      base.split('/').at(-1),
    ]);
    assert.equal(kept.rowCount, 1, 'the draft is kept');
  });

  it('prefills the form, records the changed answers against the referral and restarts the review timer', async () => {
    // The first reminder has gone: the review must start the timer again, measured from itself.
    const { id } = await instance();
    await db.query(
      `UPDATE workflow_timers SET fire_at = $2 WHERE instance_id = $1 AND name = 'review-reminder'`,
      [id, new Date(Date.now() - 60_000).toISOString()],
    );
    // and the deadline is a day off, as it would be 90 days on
    await db.query(
      `UPDATE workflow_timers SET fire_at = $2 WHERE instance_id = $1 AND name = 'review-deadline'`,
      [id, new Date(Date.now() + dayMs).toISOString()],
    );
    await waitFor('the review reminder to fire', async () =>
      (await reviewTimer()).state === 'fired' ? true : undefined,
    );
    const packsBefore = (await packMails()).length;
    const submissionsBefore = (await db.query(`SELECT 1 FROM submissions`)).rowCount;

    const status = await referrer.get(`/referrals/${reference}`);
    assert.equal(status.$('#start-review').text().trim(), 'Start the three-monthly review');
    const started = Date.now();
    const taskList = await referrer.submit(status, {});
    assert.equal(pageIdOf(taskList), 'task-list');
    const base = new URL(taskList.url).pathname.replace(/\/task-list$/, '');

    const first = await referrer.get(`${base}/referrer`);
    assert.equal(first.status, 200);
    const referrerAnswers = example.referrer as Record<string, unknown>;
    assert.equal(first.$('input[name="referrer.officerName"]').val(), referrerAnswers.officerName);
    assert.equal(first.$('input[name="referrer.referralType"]:checked').val(), 'review');
    assert.equal(first.$('input[name="referrer.previousReference"]').val(), reference);

    const changed = {
      ...example,
      referrer: { ...referrerAnswers, officerName: 'Robin Reviewer', referralType: 'review' },
    };
    // One answer changed; a reference typed over is not where the review goes.
    let page: Page = await referrer.submit(first, {
      'referrer.officerName': 'Robin Reviewer',
      'referrer.previousReference': 'SWR-2026-99999',
    });
    assert.deepEqual(errorSummary(page), []);
    // The documents and the declaration (one page) are asked afresh; the others stand as sent.
    const asked: string[] = [];
    for (let steps = 0; !page.url.endsWith('/check-answers'); steps += 1) {
      assert.ok(steps < 20, `the review journey does not end at ${page.url}`);
      if (pageIdOf(page) === 'task-list') {
        const open = page
          .$('.govuk-task-list__item--with-link')
          .toArray()
          .some(
            (task) => page.$(task).find('.govuk-task-list__status').text().trim() !== 'Completed',
          );
        page = open
          ? await followTaskList(referrer, page)
          : await referrer.get(`${base}/check-answers`);
        continue;
      }
      asked.push(pageIdOf(page));
      const next = await answerPage(referrer, form, page, changed);
      assert.notEqual(pageIdOf(next), pageIdOf(page), errorSummary(next).join('; '));
      page = next;
    }
    assert.deepEqual(asked, ['declaration']);
    assert.match(page.$('main').text(), /Robin Reviewer/);
    const confirmation = await referrer.submit(page, {}, 'send');
    assert.equal(confirmation.status, 200);
    assert.match(confirmation.$('.govuk-panel--confirmation').text(), new RegExp(reference));

    const reviews = await db.query<{ data: { referrer: Record<string, unknown> } }>(
      `SELECT r.data FROM referral_reviews r JOIN submissions s ON s.id = r.submission_id
       WHERE s.reference = $1`,
      [reference],
    );
    const [recorded, ...more] = reviews.rows;
    assert.ok(recorded);
    assert.equal(more.length, 0);
    assert.equal(recorded.data.referrer.officerName, 'Robin Reviewer');
    assert.equal(recorded.data.referrer.previousReference, reference);
    const documents = await db.query(
      `SELECT 1 FROM documents d JOIN referral_reviews r ON r.id = d.review_id`,
    );
    assert.ok(documents.rowCount > 0, 'the review’s documents are kept with the referral');

    const deadline = await reviewTimer('review-deadline');
    assert.equal(deadline.state, 'pending');
    const toDeadline = deadline.fireAt.getTime() - started;
    assert.ok(
      toDeadline >= 91 * dayMs - 60_000 && toDeadline <= 91 * dayMs + 60_000,
      `without a further review the search ceases 91 days after this one (${String(toDeadline)} ms)`,
    );
    const timer = await reviewTimer();
    assert.equal(timer.state, 'pending', 'the reminder is due again');
    assert.equal(timer.rounds, 1);
    const fromReview = timer.fireAt.getTime() - started;
    assert.ok(
      fromReview >= 83 * dayMs - 60_000 && fromReview <= 83 * dayMs + 60_000,
      `the next reminder is 83 days after the review (${String(fromReview)} ms)`,
    );

    // No second referral: no new submission, no second workflow, no pack sent again.
    assert.equal((await db.query(`SELECT 1 FROM submissions`)).rowCount, submissionsBefore);
    assert.equal((await db.query(`SELECT 1 FROM workflow_instances`)).rowCount, 1);
    assert.equal((await packMails()).length, packsBefore);
    assert.equal((await instance()).current_step, 'await-decision');

    const timeline = (await referrer.get(`/referrals/${reference}`)).$('#timeline').text();
    assert.match(timeline, /Three-monthly review sent by the local authority/);
    const coordinatorView = await coordinator.get(`/coordinator/referrals/${reference}`);
    assert.match(
      coordinatorView.$('main').text(),
      /Three-monthly review sent by the local authority/,
    );
    // the coordinator sees what the review changed, beside what was first sent
    const changes = coordinatorView.$('#review-changes').next('.govuk-summary-list');
    const changedRows = changes
      .find('.govuk-summary-list__row')
      .map((_i, row) => coordinatorView.$(row).text().replace(/\s+/g, ' ').trim())
      .get();
    const officer = changedRows.find((row) => row.includes('Robin Reviewer'));
    assert.ok(officer, changedRows.join(' | '));
    assert.match(officer, new RegExp(`Before: ${String(referrerAnswers.officerName)}`));
    assert.ok(
      !changedRows.some((row) => /Date of birth/i.test(row)),
      'an answer the review kept is not listed as changed',
    );

    // Sending the same draft again records nothing more.
    const again = await referrer.post(`${base}/check-answers`, {});
    assert.equal(again.status, 200);
    assert.equal(
      (await db.query(`SELECT 1 FROM referral_reviews`)).rowCount,
      1,
      'one review per draft',
    );
  });

  it('files each review with the referral when the search ends', async () => {
    await referrer.get(`/referrals/${reference}`);
    const decided = await referrer.post(`/referrals/${reference}/decision`, {
      choice: 'alternative',
      alternativeDetails: 'A deprivation of liberty order was granted',
    });
    assert.equal(decided.status, 200);
    const filed = await waitFor('the filing step', async () => {
      const { rows } = await db.query<{ result: { filed?: Record<string, string> } }>(
        `SELECT r.result FROM workflow_step_runs r JOIN workflow_instances i ON i.id = r.instance_id
         JOIN submissions s ON s.id = i.submission_id
         WHERE s.reference = $1 AND r.step_id = 'file' AND r.state = 'completed'`,
        [reference],
      );
      return rows[0]?.result.filed;
    });
    const reviewId = (await db.query<{ id: string }>(`SELECT id FROM referral_reviews`)).rows[0]
      ?.id;
    assert.ok(reviewId);
    assert.ok(`review-${reviewId}.json` in filed, Object.keys(filed).join(', '));
    // a closed search has no review to start
    const page = await referrer.get(`/referrals/${reference}`);
    assert.equal(page.$('#start-review').length, 0);
    assert.equal((await referrer.post(`/referrals/${reference}/review`, {})).status, 409);
  });
});
