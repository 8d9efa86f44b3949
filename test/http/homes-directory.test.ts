import assert from 'node:assert/strict';
import { loadHomesDirectory } from '../../src/workflow/directory/load-directory.js';
import { toHomeRecords } from '../../src/workflow/directory/to-home-records.js';
import { HomesStore } from '../../src/workflow/homes-store.js';
import { seedPeople } from '../../src/workflow/directory/seed-people.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { errorSummary, type Page, type WebClient } from '../support/web-client.js';

const fieldsOf = (page: Page): Record<string, string | string[]> => {
  const fields: Record<string, string | string[]> = {};
  page.$('main form input, main form textarea, main form select').each((_i, element) => {
    const field = page.$(element);
    const name = field.attr('name');
    if (!name || name === '_csrf') return;
    const type = field.attr('type');
    if (type === 'checkbox') {
      if (field.attr('checked') === undefined) return;
      fields[name] = [...[fields[name] ?? []].flat(), field.attr('value') ?? ''];
    } else if (element.tagName === 'textarea') fields[name] = field.text().trim();
    else if (element.tagName === 'select')
      fields[name] = field.find('option[selected]').attr('value') ?? '';
    else fields[name] = field.attr('value') ?? '';
  });
  return fields;
};

describe('the homes directory in the browser', function () {
  this.timeout(120_000);
  let app: TestApp;
  let coordinator: WebClient;

  before(async () => {
    app = await startTestApp();
    coordinator = await app.signedIn('coordinator@example.gov.uk', '/coordinator');
  });
  after(() => app.stop());

  const home = async (id: string) =>
    (
      await app.running.db.query<{ beds: number; name: string; edited_by: string | null }>(
        'SELECT beds, name, edited_by FROM homes WHERE id = $1',
        [id],
      )
    ).rows[0];
  const staffOf = async (id: string) =>
    (
      await app.running.db.query<{ email: string }>(
        `SELECT u.email FROM user_roles r JOIN users u ON u.id = r.user_id
         WHERE r.role = 'home-staff' AND r.organisation_id = $1 ORDER BY u.email`,
        [id],
      )
    ).rows.map((row) => row.email);
  const post = (path: string, fields: Record<string, string | string[]>) =>
    coordinator.post(
      path,
      Object.entries(fields).flatMap(([name, value]) =>
        [value].flat().map((each) => [name, each] as [string, string]),
      ),
    );

  it('lists every home, each with a link to change it, linked from the console', async () => {
    const console = await coordinator.get('/coordinator');
    assert.equal(console.$('main a[href="/coordinator/directory"]').length, 1);
    assert.equal(console.$('header a[href="/coordinator/directory"]').text().trim(), 'Homes');
    const page = await coordinator.get('/coordinator/directory');
    assert.equal(page.status, 200);
    assert.equal(page.$('#homes-directory .govuk-summary-list__row').length, 14);
    assert.match(page.$('#homes-directory').text(), /Adel Beck[\s\S]*Ages 10 to 17/);
    assert.equal(page.$('a[href="/coordinator/directory/adel-beck"]').length, 1);
  });

  it('changes a home, audits what changed, and grants and removes its staff', async () => {
    const form = await coordinator.get('/coordinator/directory/adel-beck');
    assert.equal(form.status, 200);
    const fields = fieldsOf(form);
    assert.equal(fields.name, 'Adel Beck');
    assert.equal(fields.staff, 'adel-beck@homes.example.org');
    const saved = await post('/coordinator/directory/adel-beck', {
      ...fields,
      beds: '20',
      staff: 'adel-beck@homes.example.org\nnew.manager@homes.example.org',
    });
    assert.equal(saved.status, 200);
    assert.match(saved.$('.govuk-notification-banner').text(), /The home was saved/);
    assert.equal((await home('adel-beck'))?.beds, 20);
    assert.deepEqual(await staffOf('adel-beck'), [
      'adel-beck@homes.example.org',
      'new.manager@homes.example.org',
    ]);
    const { rows } = await app.running.db.query<{ details: { changed: string[] } }>(
      `SELECT details FROM audit_events WHERE action = 'home.update' AND subject_id = 'adel-beck'`,
    );
    assert.deepEqual(rows[0]?.details.changed, ['beds']);

    await coordinator.get('/coordinator/directory/adel-beck');
    await post('/coordinator/directory/adel-beck', {
      ...fields,
      beds: '20',
      staff: 'new.manager@homes.example.org',
    });
    assert.deepEqual(await staffOf('adel-beck'), ['new.manager@homes.example.org']);
    const revoked = await app.running.db.query(
      `SELECT 1 FROM audit_events WHERE action = 'user.role.revoke' AND organisation_id = 'adel-beck'`,
    );
    assert.equal(revoked.rows.length, 1);
  });

  it('keeps an edited home and its staff when the directory file is seeded again at start', async () => {
    await new HomesStore(app.running.db).seed(toHomeRecords(loadHomesDirectory()));
    await seedPeople(app.running.db, { coordinatorEmails: [], homes: loadHomesDirectory() });
    assert.deepEqual(
      await staffOf('adel-beck'),
      ['new.manager@homes.example.org'],
      'removed staff stay removed',
    );
    assert.equal((await home('adel-beck'))?.beds, 20, 'the edit wins over the seed file');
    assert.equal(
      (await home('aldine-house'))?.edited_by,
      null,
      'an unedited home follows the seed',
    );
  });

  it('refuses bad answers with GOV.UK errors and changes nothing', async () => {
    const form = await coordinator.get('/coordinator/directory/aldine-house');
    const fields = fieldsOf(form);
    const refused = await post('/coordinator/directory/aldine-house', {
      ...fields,
      name: '',
      ageMin: '15',
      ageMax: '12',
      sexes: [],
      beds: 'lots',
      email: 'not-an-address',
      staff: 'someone@',
    });
    assert.equal(refused.status, 422);
    assert.deepEqual(errorSummary(refused), [
      "Enter the home's name",
      'Oldest age must be the same as or more than the youngest',
      'Select which children the home takes',
      'Capacity must be a whole number of beds from 0 to 200',
      'Enter the email address for referral packs in the correct format, like name@example.org',
      'Enter each staff email address on its own line, in the correct format, like name@example.org',
    ]);
    assert.equal(refused.$('#beds').attr('value'), 'lots', 'what was typed is shown back');
    assert.equal((await home('aldine-house'))?.edited_by, null);
    const region = await post('/coordinator/directory/aldine-house', {
      ...fields,
      region: 'Atlantis',
    });
    assert.equal(region.status, 422);
    assert.deepEqual(errorSummary(region), ['Select the region']);
  });

  it('adds a home as an organisation whose staff answer its referrals', async () => {
    const form = await coordinator.get('/coordinator/directory/new');
    assert.equal(form.status, 200);
    const added = await post('/coordinator/directory/new', {
      ...fieldsOf(form),
      name: 'Example Lodge',
      operator: 'Exampleshire',
      region: 'West Midlands',
      sexes: ['female', 'male'],
      needsMet: ['selfHarm', 'absconding'],
      beds: '6',
      email: 'example-lodge@homes.example.org',
      staff: 'lodge.manager@homes.example.org',
    });
    assert.equal(added.status, 200);
    const { rows } = await app.running.db.query<{ kind: string; needs_met: string[] }>(
      `SELECT o.kind, h.needs_met FROM homes h JOIN organisations o ON o.id = h.id WHERE h.id = 'example-lodge'`,
    );
    const [lodge] = rows;
    assert.ok(lodge);
    assert.equal(lodge.kind, 'secure-home');
    assert.deepEqual(lodge.needs_met, ['absconding', 'selfHarm']);
    assert.deepEqual(await staffOf('example-lodge'), ['lodge.manager@homes.example.org']);
    const again = await post('/coordinator/directory/new', {
      ...fieldsOf(form),
      name: 'Example Lodge',
      operator: 'Exampleshire',
      region: 'Wales',
      sexes: 'male',
      beds: '1',
      email: 'x@homes.example.org',
    });
    assert.equal(again.status, 422);
    assert.deepEqual(errorSummary(again), ['A home with this name is already in the directory']);
  });

  it('is for coordinators only', async () => {
    const staff = await app.signedIn('aldine-house@homes.example.org');
    assert.equal((await staff.get('/coordinator/directory')).status, 403);
    assert.equal((await staff.get('/coordinator/directory/aldine-house')).status, 403);
    await staff.get('/sign-out');
    const refused = await staff.post('/coordinator/directory/aldine-house', { name: 'Taken over' });
    assert.equal(refused.status, 403);
    assert.equal((await home('aldine-house'))?.name, 'Aldine House');
    assert.equal(
      (await app.client().get('/coordinator/directory')).url.includes('/sign-in?return='),
      true,
    );
    assert.equal((await coordinator.get('/coordinator/directory/no-such-home')).status, 404);
  });
});
