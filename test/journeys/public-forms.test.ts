import assert from 'node:assert/strict';
import { loadForms, type FormRegistry } from '../../src/forms/load-forms.js';
import type { FormModel } from '../../src/forms/form-model.js';
import { answerPage, completeForm } from '../support/form-journey.js';
import { makeJourneyFormsDir } from '../support/journey-forms.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { WebClient } from '../support/web-client.js';

const formId = 'public-enquiry';

describe('A public form', function () {
  this.timeout(60_000);
  let app: TestApp;
  let form: FormModel;
  let forms: FormRegistry;

  before(async () => {
    const formsDir = await makeJourneyFormsDir();
    forms = await loadForms(formsDir);
    form = forms.get(formId)!;
    app = await startTestApp({ formsDir });
  });
  after(() => app.stop());

  /** An anonymous visitor who has opened the start page. */
  const visitor = async (): Promise<WebClient> => {
    const client = app.client();
    await client.get(`/forms/${formId}`);
    return client;
  };
  const countRows = async (table: 'submissions' | 'drafts') => {
    const { rows } = await app.running.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM ${table} WHERE form_id = $1`,
      [formId],
    );
    return rows[0]?.count ?? 0;
  };

  describe('when an anonymous person sends it', () => {
    let reference: string;
    let draftPath: string;
    let owner: WebClient;

    before(async () => {
      owner = await visitor();
      const { confirmation, checkAnswers } = await completeForm(owner, form, form.examples()[0]!);
      assert.equal(confirmation.status, 200);
      reference = /ENQ-\d{4}-\d{5}/.exec(confirmation.$('.govuk-panel--confirmation').text())![0];
      draftPath = new URL(checkAnswers.url).pathname.replace(/\/check-answers$/, '');
    });

    it('shows the reference in the confirmation panel, with no link that needs signing in', async () => {
      const confirmation = await owner.get(`${draftPath}/confirmation`);
      assert.match(confirmation.$('.govuk-panel--confirmation').text(), new RegExp(reference));
      assert.equal(confirmation.$(`main a[href*="${reference}"]`).length, 0);
      assert.equal(confirmation.$('main a[href="/my-forms"]').length, 0);
    });

    it('records the submission as made by an anonymous actor, naming no session cookie', async () => {
      const { rows } = await app.running.db.query<{
        id: string;
        actor_type: string;
        user_id: string | null;
        api_token_id: string | null;
      }>(`SELECT id, actor_type, user_id, api_token_id FROM submissions WHERE reference = $1`, [
        reference,
      ]);
      const submission = rows[0]!;
      assert.equal(submission.actor_type, 'anonymous');
      assert.equal(submission.user_id, null);
      assert.equal(submission.api_token_id, null);
      const audit = await app.running.db.query<{ actor_type: string; actor_id: string }>(
        `SELECT actor_type, actor_id FROM audit_events
         WHERE action = 'submission.create' AND subject_id = $1`,
        [submission.id],
      );
      assert.equal(audit.rows[0]?.actor_type, 'anonymous');
      assert.match(audit.rows[0].actor_id, /^session:[0-9a-f]{16}$/);
      const draftId = draftPath.split('/')[3]!;
      const draftAudit = await app.running.db.query<{ actor_type: string; actor_id: string }>(
        `SELECT DISTINCT actor_type, actor_id FROM audit_events
         WHERE action = 'draft.update' AND subject_id = $1`,
        [draftId],
      );
      assert.deepEqual(draftAudit.rows, [audit.rows[0]], 'the draft and its sending, one actor');
    });

    it('never shows another anonymous person the draft, its answers or its confirmation', async () => {
      const stranger = await visitor();
      const before = await countRows('submissions');
      for (const suffix of ['/about-you', '/check-answers', '/confirmation', '/saved']) {
        const page = await stranger.get(`${draftPath}${suffix}`);
        assert.equal(page.status, 404, suffix);
        assert.doesNotMatch(page.html, new RegExp(`${reference}|Alex Example`));
      }
      const posted = await stranger.post(`${draftPath}/check-answers`, {});
      assert.equal(posted.status, 404);
      assert.equal(await countRows('submissions'), before);
    });

    it('does not make the reference a way to read the submission', async () => {
      const stranger = await visitor();
      const referral = await stranger.get(`/referrals/${reference}`);
      assert.equal(new URL(referral.url).pathname, '/sign-in', 'sent to sign in, shown nothing');
      assert.doesNotMatch(referral.html, /Alex Example|alex\.example/);
      const api = await fetch(`${app.url}/api/v1/submissions/${reference}`);
      assert.equal(api.status, 401);
      const signedIn = await app.signedIn('someone.else@example.gov.uk');
      const theirs = await signedIn.get(`/referrals/${reference}`);
      assert.equal(theirs.status, 404);
      assert.doesNotMatch(theirs.html, /Alex Example/);
    });

    it('keeps the sent answers as they were: a later post to a page changes nothing', async () => {
      const before = await countRows('submissions');
      const page = await owner.post(`${draftPath}/about-you`, {
        yourName: 'Changed Example',
        email: 'changed@example.org',
        contactBy: 'email',
        _action: 'continue',
      });
      assert.match(page.url, /\/confirmation$/);
      const { rows } = await app.running.db.query<{ data: { yourName: string } }>(
        `SELECT data FROM submissions WHERE reference = $1`,
        [reference],
      );
      assert.equal(rows[0]?.data.yourName, 'Alex Example');
      assert.equal(await countRows('submissions'), before);
    });
  });

  it('keeps the draft with the browser session: the same person in a new session starts again', async () => {
    const first = await visitor();
    let page = await first.post(`/forms/${formId}/start`, {});
    page = await answerPage(first, form, page, form.examples()[0]!);
    const questionPath = new URL(page.url).pathname;
    const later = await visitor();
    const lost = await later.get(questionPath);
    assert.equal(lost.status, 404);
  });

  it('offers no "save and come back later" to an anonymous person', async () => {
    const client = await visitor();
    const page = await client.post(`/forms/${formId}/start`, {});
    assert.equal(page.status, 200);
    assert.equal(page.$('button[value="save"]').length, 0);
  });
});
