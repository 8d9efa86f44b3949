import { postReferral } from '../support/post-referral.js';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { ParsedMail } from 'mailparser';
import type { Database } from '../../src/store/database.js';
import { toDay } from '../../src/workflow/homes-store.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorSummary, type WebClient } from '../support/web-client.js';
import { waitFor } from '../support/wait-for.js';

const referrerEmail = 'referrer.conversation@example.gov.uk';
// What the example referral says about the child: no email may hold any of it.
const childDetails = ['Alex', 'EX-104233', '2012-04-17', 'LS1 ', 'CAMHS safety plan'];

function recipient(mail: ParsedMail): string {
  const to = mail.to === undefined ? [] : [mail.to].flat();
  return to.flatMap((address) => address.value.map((entry) => entry.address ?? ''))[0] ?? '';
}

/** A small real PDF, as a person would attach. */
const pdf = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

describe('Questions, answers and offers between the homes and the referrer (HTTP)', function () {
  this.timeout(180_000);
  let app: TestApp;
  let db: Database;
  let coordinator: WebClient;
  let referrer: WebClient;
  let reference: string;
  // A asks a question then offers (declined by the referrer); B declines; C offers and is
  // chosen; D never answers.
  let homes: { id: string; name: string; email: string }[];
  const tokens = new Map<string, string>();
  const clients = new Map<string, WebClient>();
  const [a, b, c, d] = [0, 1, 2, 3];
  const home = (index: number) => {
    const found = homes[index];
    assert.ok(found);
    return found;
  };
  const pathOf = (index: number) => `/homes/respond/${tokens.get(home(index).id) ?? ''}`;
  const asHome = async (index: number) => {
    const known = clients.get(home(index).id);
    if (known) return known;
    const client = await app.signedIn(home(index).email, '/homes/requests');
    clients.set(home(index).id, client);
    return client;
  };
  const requestState = async (index: number) =>
    (
      await db.query<{ state: string }>(
        `SELECT r.state FROM workflow_home_requests r JOIN workflow_instances i ON i.id = r.instance_id
         JOIN submissions s ON s.id = i.submission_id WHERE s.reference = $1 AND r.home_id = $2`,
        [reference, home(index).id],
      )
    ).rows[0]?.state;
  const instance = async () =>
    (
      await db.query<{ status: string; state: string; current_step: string }>(
        `SELECT i.status, i.state, i.current_step FROM workflow_instances i
         JOIN submissions s ON s.id = i.submission_id WHERE s.reference = $1`,
        [reference],
      )
    ).rows[0];
  const mailsTo = async (index: number, subject: RegExp) =>
    (await app.mails()).filter(
      (mail) => recipient(mail) === home(index).email && subject.test(mail.subject ?? ''),
    );

  before(async () => {
    app = await startTestApp();
    db = app.running.db;
    homes = (
      await db.query<{ id: string; name: string; email: string }>(
        `SELECT id, name, email FROM homes ORDER BY name LIMIT 4`,
      )
    ).rows;
    await db.query(
      `INSERT INTO home_vacancies (home_id, day, vacancies, declared_at) VALUES ($1, $2, 2, now())
       ON CONFLICT (home_id, day) DO UPDATE SET vacancies = 2`,
      [home(c).id, toDay(new Date())],
    );
    await app.addUser(referrerEmail, 'social-worker', '383');
    coordinator = await app.signedIn('coordinator@example.gov.uk', '/coordinator');
    referrer = await app.signedIn(referrerEmail, '/my-forms');
    const form = JSON.parse(await readFile('forms/secure-welfare-referral.json', 'utf8')) as {
      schema: { examples: Record<string, unknown>[] };
    };
    const response = await postReferral(
      app.url,
      await app.apiToken(undefined, '383'),
      form.schema.examples[0] ?? {},
    );
    reference = ((await response.json()) as { reference: string }).reference;
    const page = await waitFor('the review', async () => {
      const review = await coordinator.get(`/coordinator/referrals/${reference}`);
      return review.$('input[name="taskId"]').length > 0 ? review : undefined;
    });
    // approving is confirmed on its own page; homes without a declared bed need a reason
    await coordinator.post(`/coordinator/referrals/${reference}/review/confirm`, [
      ['taskId', page.$('input[name="taskId"]').attr('value') ?? ''],
      ...homes.map((row): [string, string] => ['homes', row.id]),
      ['reason', 'The homes know the child from an earlier placement'],
    ]);
    const packs = await waitFor('the pack emails', async () => {
      const sent = (await app.mails()).filter((mail) =>
        mail.subject?.includes(`${reference}: please respond`),
      );
      return sent.length >= homes.length ? sent : undefined;
    });
    for (const mail of packs) {
      const token = /\/homes\/respond\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
      const to = homes.find((row) => row.email === recipient(mail));
      if (token && to) tokens.set(to.id, token);
    }
    assert.equal(tokens.size, homes.length);
  });
  after(async () => {
    await app.stop();
  });

  it('lists the referrals sent to a home, each linking to its page', async () => {
    const client = await asHome(a);
    const list = await client.get('/homes/requests');
    assert.equal(list.status, 200);
    const link = list.$(`#requests a`).filter((_i, el) => list.$(el).text() === reference);
    assert.equal(link.attr('href'), pathOf(a));
    assert.match(list.$('#requests').text(), /Waiting for an answer/);
    assert.doesNotMatch(list.html, /Alex/, 'the list holds no child’s details');
    // home staff fill in no forms: their navigation leads to their list, not to "Your forms"
    const links = list.$('.govuk-service-navigation a, .govuk-header a');
    const texts = links.map((_i, el) => list.$(el).text().trim()).get();
    assert.ok(texts.includes('Referrals sent to your home'), texts.join(', '));
    assert.ok(!texts.includes('Your forms'), texts.join(', '));
    // someone who is staff of no home has no list to see
    const stranger = await app.signedIn('nobody.here@example.gov.uk', '/my-forms');
    const none = await stranger.get('/homes/requests');
    assert.equal(none.status, 403);
    assert.equal(none.$('#requests').length, 0);
    const strangerLinks = none.$('.govuk-service-navigation a, .govuk-header a');
    assert.ok(strangerLinks.toArray().some((el) => none.$(el).text().trim() === 'Your forms'));
  });

  it('names the files sent with the referral instead of counting them, and shows no version', async () => {
    const page = await (await asHome(a)).get(pathOf(a));
    assert.doesNotMatch(page.html, /file(s)? uploaded/);
    assert.doesNotMatch(page.html, /\d+\.\d+\.\d+\+[0-9a-f]{12}/, 'no internal version string');
  });

  it('shows the referrer a home’s question in full and takes an answer with a document', async () => {
    const question = 'Please send the latest CAMHS safety plan';
    const client = await asHome(a);
    await client.get(pathOf(a));
    await client.post(pathOf(a), { answer: 'more-information', moreInformation: question });
    // the referrer is told there is a question, by an email holding only the reference
    const told = await waitFor('the email telling the referrer of the question', async () =>
      (await app.mails()).find(
        (mail) =>
          recipient(mail) === 'jordan.sample@exampleshire.example.gov.uk' &&
          /asked a question/.test(mail.text ?? ''),
      ),
    );
    assert.match(told.subject ?? '', new RegExp(reference));
    assert.match(told.text ?? '', new RegExp(`/referrals/${reference}`));
    assert.doesNotMatch(told.text ?? '', /CAMHS|Alex/, 'neither the question nor the child');
    const status = await referrer.get(`/referrals/${reference}`);
    assert.equal(
      status
        .$(`#question-${home(a).id}`)
        .find('p')
        .first()
        .text(),
      question,
    );
    const answerPath = `/referrals/${reference}/homes/${home(a).id}/answer`;
    const form = await referrer.get(answerPath);
    assert.equal(form.$('#question').text().trim(), question);

    const bad = new FormData();
    bad.append('answer', 'Attached.');
    bad.append('documents', new Blob([Buffer.from('not a pdf at all')]), 'plan.pdf');
    const refused = await referrer.postMultipart(answerPath, bad);
    assert.equal(refused.status, 422);
    assert.match(errorSummary(refused)[0] ?? '', /^plan\.pdf: The selected file must be a /);
    const empty = new FormData();
    empty.append('answer', '');
    assert.deepEqual(errorSummary(await referrer.postMultipart(answerPath, empty)), [
      'Enter your answer to the question',
    ]);
    const stored = await db.query(`SELECT 1 FROM referral_question_answers`);
    assert.equal(stored.rowCount, 0, 'a refused answer stores nothing');

    const before = (await mailsTo(a, /news from the local authority/)).length;
    const good = new FormData();
    good.append('answer', 'The plan is attached. It was reviewed last week.');
    good.append('documents', new Blob([pdf], { type: 'application/pdf' }), 'safety-plan.pdf');
    await referrer.get(answerPath);
    const sent = await referrer.postMultipart(answerPath, good);
    assert.equal(sent.status, 200);
    assert.match(sent.html, /Your answer was sent to the home/);

    const news = await waitFor('the email to the home', async () => {
      const mails = await mailsTo(a, /news from the local authority/);
      return mails.length > before ? mails.at(-1) : undefined;
    });
    assert.match(news.text ?? '', new RegExp(`${pathOf(a)}\\b`), 'links the home’s own page');
    for (const secret of [...childDetails, 'reviewed last week', 'safety-plan'])
      assert.ok(!`${news.text ?? ''}${String(news.html)}`.includes(secret), secret);

    const review = await coordinator.get(`/coordinator/referrals/${reference}`);
    assert.match(review.html, /reviewed last week/, 'the coordinator sees the answer');
  });

  it('shows the home the answer and its document, audits the download, and no other home reads it', async () => {
    const client = await asHome(a);
    const page = await client.get(pathOf(a));
    const conversation = page.$('#conversation').text();
    assert.match(conversation, /Please send the latest CAMHS safety plan/);
    assert.match(conversation, /reviewed last week/);
    const link = page.$('#conversation a').attr('href') ?? '';
    assert.match(link, new RegExp(`^${pathOf(a)}/documents/doc_`));
    const file = await client.download(link);
    assert.equal(file.status, 200);
    assert.deepEqual(file.bytes, pdf);
    const audits = await db.query(
      `SELECT 1 FROM audit_events WHERE action = 'referral.document.download' AND actor_id = $1`,
      [home(a).id],
    );
    assert.equal(audits.rowCount, 1);
    const documentId = link.split('/').at(-1) ?? '';
    const other = await asHome(b);
    const refused = await other.get(`${pathOf(b)}/documents/${documentId}`);
    assert.equal(refused.status, 404, 'another home’s answer looks like no document');
    const otherPage = await other.get(pathOf(b));
    assert.doesNotMatch(otherPage.html, /reviewed last week/);
  });

  it('checks an offer before it counts and keeps the home’s earlier question', async () => {
    const client = await asHome(a);
    await client.get(pathOf(a));
    const past = await client.post(pathOf(a), {
      answer: 'accepted',
      'bedAvailable-day': '1',
      'bedAvailable-month': '1',
      'bedAvailable-year': '2020',
    });
    assert.equal(past.status, 422);
    assert.deepEqual(errorSummary(past), [
      'Date a bed is available must be today or in the future',
    ]);
    const unreal = await client.post(pathOf(a), {
      answer: 'accepted',
      'bedAvailable-day': '31',
      'bedAvailable-month': '2',
      'bedAvailable-year': '2099',
    });
    assert.deepEqual(errorSummary(unreal), ['Date a bed is available must be a real date']);
    const offer = {
      answer: 'accepted',
      'bedAvailable-day': '3',
      'bedAvailable-month': '2',
      'bedAvailable-year': '2099',
      conditions: 'A planning meeting before admission',
    };
    const check = await client.post(pathOf(a), offer);
    assert.match(check.$('h1').text(), /Check your offer/);
    assert.equal(await requestState(a), 'more-information', 'nothing counts before confirming');
    const done = await client.post(pathOf(a), { ...offer, confirm: 'yes' });
    assert.match(done.html, /Your answer was recorded/);
    assert.match(done.$('#your-answer').text(), /Bed available from 3 February 2099/);
    assert.match(done.$('#conversation').text(), /Please send the latest CAMHS safety plan/);
    assert.equal(await requestState(a), 'accepted');
  });

  it('shows the referrer each offer with its details, and declining one tells that home', async () => {
    await waitFor('the offer to show', async () =>
      (await instance())?.status === 'offered' ? true : undefined,
    );
    const offered = await referrer.get(`/referrals/${reference}`);
    assert.match(
      offered.$(`#offer-${home(a).id}`).text(),
      /Bed available from 3 February 2099\. Conditions: A planning meeting before admission/,
    );
    const declinePath = `/referrals/${reference}/homes/${home(a).id}/decline-offer`;
    const confirm = await referrer.get(declinePath);
    assert.match(confirm.$('h1').text(), /Are you sure you want to decline the offer/);
    const declined = await referrer.post(declinePath, {});
    assert.match(declined.html, /You declined the offer/);
    assert.equal(await requestState(a), 'offer-declined');
    assert.equal((await instance())?.status, 'searching', 'no offer left: searching again');
    assert.equal(declined.$('#referral-status').text().trim(), 'Searching for a home');
    const again = await referrer.post(declinePath, {});
    assert.equal(again.status, 409, 'declining twice changes nothing');
    const told = await waitFor('the home to be told', async () =>
      (await mailsTo(a, /news from the local authority/)).find((mail) =>
        (mail.text ?? '').includes('not to take up your offer'),
      ),
    );
    assert.ok(told);
    const page = await (await asHome(a)).get(pathOf(a));
    assert.match(page.$('#your-answer').text(), /Offer not taken up/);

    const homeB = await asHome(b);
    await homeB.get(pathOf(b));
    await homeB.post(pathOf(b), { answer: 'declined', declineReason: 'Group mix' });
    const homeC = await asHome(c);
    await homeC.get(pathOf(c));
    await homeC.post(pathOf(c), {
      answer: 'accepted',
      'bedAvailable-day': '10',
      'bedAvailable-month': '1',
      'bedAvailable-year': '2099',
      conditions: '',
      confirm: 'yes',
    });
    await waitFor('the second offer to show', async () =>
      (await instance())?.status === 'offered' ? true : undefined,
    );
    const status = await referrer.get(`/referrals/${reference}`);
    assert.match(status.$(`#offer-${home(c).id}`).text(), /No conditions/);
    assert.equal(status.$(`#offer-${home(a).id}`).length, 0, 'a declined offer is not offered');
  });

  it('places the child at the chosen home at once, reduces its vacancies and tells every home', async () => {
    assert.equal(await requestState(d), 'awaiting', 'home D has not answered');
    const status = await referrer.get(`/referrals/${reference}`);
    const choices = status
      .$('input[name="choice"]')
      .map((_i, input) => status.$(input).attr('value'))
      .get();
    assert.deepEqual(choices, [home(c).id, 'alternative']);
    await referrer.post(`/referrals/${reference}/decision`, { choice: home(c).id });
    // Home D's deadline is days away: nothing waits for it.
    await waitFor('the placement', async () =>
      (await instance())?.status === 'placed' ? true : undefined,
    );
    const vacancies = await db.query<{ vacancies: number }>(
      `SELECT vacancies FROM home_vacancies WHERE home_id = $1 AND day = $2`,
      [home(c).id, toDay(new Date())],
    );
    assert.equal(vacancies.rows[0]?.vacancies, 1, 'the chosen home has one bed fewer');
    assert.equal(await requestState(d), 'not-needed', 'D is no longer waited for');
    const chosen = await waitFor('the chosen home’s email', async () =>
      (await mailsTo(c, /your offer has been taken up/)).at(0),
    );
    assert.match(chosen.text ?? '', /\/homes\/requests/);
    for (const index of [a, b, d]) {
      await waitFor('the outcome email', async () =>
        (await mailsTo(index, /has been placed with another home/)).at(0),
      );
      const client = await asHome(index);
      const page = await client.get(pathOf(index));
      assert.match(page.$('#access-ended').text(), /placed with another home/);
      assert.doesNotMatch(page.html, /Alex/);
      assert.doesNotMatch(page.$('#your-answer').text(), /Waiting for an answer/);
      assert.equal((await client.get(`${pathOf(index)}/pack.pdf`)).status, 410);
    }
    const list = await (await asHome(d)).get('/homes/requests');
    assert.match(list.$('#requests').text(), /No longer needed/);
    const placed = await referrer.get(`/referrals/${reference}`);
    assert.equal(placed.$('#referral-status').text().trim(), 'Placed');
    // the console still counts the offers made: A's (declined by the referrer) and C's (taken up)
    const console = await coordinator.get('/coordinator');
    const row = console
      .$('#referrals tbody tr')
      .filter((_i, tr) => console.$(tr).find('th a').text().trim() === reference);
    assert.equal(row.find('td[data-label="Homes"]').text().trim(), '4 approached, 2 offers');
    for (const mail of await app.mails()) {
      if (/sign-in code|Your code/i.test(mail.subject ?? '')) continue;
      for (const secret of childDetails)
        assert.ok(!`${mail.text ?? ''}${String(mail.html)}`.includes(secret), mail.subject);
    }
  });

  it('shows the referrer what they sent, with their documents to download', async () => {
    const sent = await referrer.get(`/referrals/${reference}/sent`);
    assert.equal(sent.status, 200);
    assert.match(sent.$('#sent-answers').text(), /reviewed last week/);
    assert.match(sent.html, /Alex/, 'the answers they gave');
    assert.doesNotMatch(sent.html, /file(s)? uploaded/);
    const link = sent.$('#sent-answers a').attr('href') ?? '';
    const file = await referrer.download(link);
    assert.equal(file.status, 200);
    const stranger = await app.signedIn('not.the.referrer@example.gov.uk');
    assert.equal((await stranger.get(`/referrals/${reference}/sent`)).status, 404);
    assert.equal((await stranger.get(link)).status, 404);
  });

  it('names a saved referral by the child’s local id on Your forms and deletes it after confirmation', async () => {
    const user = (
      await db.query<{ id: string }>(`SELECT id FROM users WHERE lower(email) = $1`, [
        referrerEmail,
      ])
    ).rows[0];
    assert.ok(user);
    const draftId = '7d0f3f0e-52a4-4d1e-9a53-0c6f1d7f2a11';
    await db.query(
      `INSERT INTO drafts (id, form_id, form_version, organisation_id, user_id, data, created_at,
         updated_at, retain_until)
       SELECT $1, 'secure-welfare-referral', form_version, organisation_id, $2, $3, now(), now(),
         current_date + 30 FROM submissions WHERE reference = $4`,
      [draftId, user.id, JSON.stringify({ child: { laChildId: 'EX-900001' } }), reference],
    );
    const mine = await referrer.get('/my-forms');
    const row = mine.$('table').first().find('tbody tr').first();
    assert.match(row.find('th, td').first().text(), /: EX-900001$/);
    const confirm = await referrer.get(`/my-forms/drafts/${draftId}/delete`);
    assert.match(confirm.$('h1').text(), /Are you sure you want to delete/);
    const stranger = await app.signedIn('draft.stranger@example.gov.uk', '/my-forms');
    assert.equal((await stranger.get(`/my-forms/drafts/${draftId}/delete`)).status, 404);
    await stranger.get('/sign-out'); // a page with a form, for its CSRF token
    assert.equal(
      (await stranger.post(`/my-forms/drafts/${draftId}/delete`, { confirm: 'yes' })).status,
      404,
    );
    const done = await referrer.post(`/my-forms/drafts/${draftId}/delete`, { confirm: 'yes' });
    assert.match(done.html, /The saved form was deleted/);
    assert.doesNotMatch(done.html, /EX-900001/);
    assert.equal((await db.query(`SELECT 1 FROM drafts WHERE id = $1`, [draftId])).rowCount, 0);
    const audited = await db.query(
      `SELECT 1 FROM audit_events WHERE action = 'draft.delete' AND subject_id = $1`,
      [draftId],
    );
    assert.equal(audited.rowCount, 1);
  });

  it('shows a home the status only once a referral it was sent is withdrawn', async () => {
    const form = JSON.parse(await readFile('forms/secure-welfare-referral.json', 'utf8')) as {
      schema: { examples: Record<string, unknown>[] };
    };
    const response = await postReferral(
      app.url,
      await app.apiToken(undefined, '383'),
      form.schema.examples[0] ?? {},
    );
    const second = ((await response.json()) as { reference: string }).reference;
    const review = await waitFor('the review', async () => {
      const page = await coordinator.get(`/coordinator/referrals/${second}`);
      return page.$('input[name="taskId"]').length > 0 ? page : undefined;
    });
    await coordinator.post(`/coordinator/referrals/${second}/review/confirm`, [
      ['taskId', review.$('input[name="taskId"]').attr('value') ?? ''],
      ['homes', home(b).id],
      ['reason', 'The home knows the child from an earlier placement'],
    ]);
    const pack = await waitFor('the pack email', async () =>
      (await mailsTo(b, new RegExp(`${second}: please respond`))).at(0),
    );
    const path = /\/homes\/respond\/[A-Za-z0-9_-]+/.exec(pack.text ?? '')?.[0] ?? '';
    const client = await asHome(b);
    assert.match((await client.get(path)).html, /Alex/, 'open while the referral is');
    await referrer.get(`/referrals/${second}/withdraw`);
    const withdrawn = await referrer.post(`/referrals/${second}/withdraw`, { confirm: 'yes' });
    assert.match(withdrawn.html, /The referral was withdrawn/);
    // back to the withdraw page afterwards: nothing left to confirm
    const again = await referrer.get(`/referrals/${second}/withdraw`);
    assert.equal(again.status, 200);
    assert.match(again.$('h1').text(), new RegExp(`Referral ${second} is closed`));
    assert.equal(again.$('input[name="confirm"]').length, 0);
    const page = await client.get(path);
    assert.match(page.$('#access-ended').text(), /withdrew/);
    assert.doesNotMatch(page.html, /Alex/);
    assert.equal((await client.get(`${path}/pack.pdf`)).status, 410);
    const told = await waitFor('the withdrawal email', async () =>
      (await mailsTo(b, new RegExp(`${second} has been withdrawn`))).at(0),
    );
    assert.match(told.text ?? '', new RegExp(`referral ${second} has been withdrawn`));
    assert.doesNotMatch(`${told.subject ?? ''} ${told.text ?? ''}`, /placed elsewhere/);
    assert.doesNotMatch(told.text ?? '', /Alex/);
  });
});
