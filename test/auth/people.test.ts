import assert from 'node:assert/strict';
import { isAppError } from '../../src/errors/app-error.js';
import { addUser, findOrganisation, loadRoles } from '../../src/auth/people.js';
import { isReferrerOf } from '../../src/auth/referrer-access.js';
import { hasRole } from '../../src/auth/roles.js';
import { mayTokenReadSubmission } from '../../src/auth/submission-access.js';
import type { Database } from '../../src/store/database.js';
import { migrate } from '../../src/store/migrate.js';
import { PgliteDatabase } from '../../src/store/pglite-database.js';
import { loadHomesDirectory } from '../../src/workflow/directory/load-directory.js';
import { seedPeople } from '../../src/workflow/directory/seed-people.js';

describe('people, roles and organisations', function () {
  this.timeout(60_000);
  let db: Database;
  const homes = loadHomesDirectory();

  before(async () => {
    db = await PgliteDatabase.open('memory://');
    await migrate(db);
    await seedPeople(db, { coordinatorEmails: ['coordinator@example.gov.uk'], homes });
  });
  after(async () => {
    await db.close();
  });

  const rejectsWith = async (promise: Promise<unknown>, pattern: RegExp) => {
    await assert.rejects(
      promise,
      (error: unknown) =>
        isAppError(error) && error.code === 'ERR_AUTH_USER_INVALID' && pattern.test(error.message),
    );
  };

  describe('when the seed runs at start', () => {
    it('makes the coordinators and every home contact users with their role', async () => {
      const { rows } = await db.query<{ email: string; role: string; organisation_id: string }>(
        `SELECT u.email, r.role, r.organisation_id FROM users u JOIN user_roles r ON r.user_id = u.id
         ORDER BY r.role, u.email`,
      );
      assert.deepEqual(rows[0], {
        email: 'coordinator@example.gov.uk',
        role: 'coordinator',
        organisation_id: 'swcu',
      });
      const staff = rows.filter((row) => row.role === 'home-staff');
      assert.equal(staff.length, homes.length);
      assert.ok(staff.every((row) => homes.some((home) => home.id === row.organisation_id)));
    });

    it('is idempotent and keeps what was changed since', async () => {
      await db.query(`UPDATE organisations SET name = 'Renamed' WHERE id = 'la-383'`);
      await seedPeople(db, { coordinatorEmails: ['coordinator@example.gov.uk'], homes });
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM user_roles');
      assert.equal(rows[0]?.n, homes.length + 1);
      assert.equal((await findOrganisation(db, '383'))?.name, 'Renamed');
    });
  });

  describe('addUser', () => {
    it('grants a local-authority role in the authority named by its 3-digit code', async () => {
      const user = await addUser(db, {
        email: ' Sam.Worker@Leeds.Example.gov.uk ',
        role: 'social-worker',
        organisation: '383',
        grantedBy: 'cli',
      });
      assert.equal(user.email, 'sam.worker@leeds.example.gov.uk');
      assert.equal(user.organisationId, 'la-383');
      assert.deepEqual(await loadRoles(db, user.id), [
        { role: 'social-worker', organisationId: 'la-383' },
      ]);
    });

    it('puts an unscoped role in its default organisation', async () => {
      const user = await addUser(db, {
        email: 'admin@swcu.example.gov.uk',
        role: 'form-administrator',
        grantedBy: 'cli',
      });
      assert.equal(user.organisationId, 'swcu');
    });

    it('refuses a scoped role without --org, in the wrong kind, or an unknown role', async () => {
      await rejectsWith(
        addUser(db, { email: 'a@example.gov.uk', role: 'team-manager', grantedBy: 'cli' }),
        /needs --org/,
      );
      await rejectsWith(
        addUser(db, {
          email: 'a@example.gov.uk',
          role: 'home-staff',
          organisation: '383',
          grantedBy: 'cli',
        }),
        /secure-home, not a local-authority/,
      );
      await rejectsWith(
        addUser(db, { email: 'a@example.gov.uk', role: 'superuser', grantedBy: 'cli' }),
        /A role is one of/,
      );
      await rejectsWith(
        addUser(db, { email: 'not-an-email', role: 'analyst', grantedBy: 'cli' }),
        /email address/,
      );
      const { rows } = await db.query(`SELECT 1 FROM users WHERE email = 'a@example.gov.uk'`);
      assert.equal(rows.length, 0, 'a refused add changes nothing');
    });
  });

  describe('hasRole', () => {
    const user = { roles: [{ role: 'team-manager' as const, organisationId: 'la-383' }] };
    it('checks the role and, when given, its organisation', () => {
      assert.equal(hasRole(user, 'team-manager'), true);
      assert.equal(hasRole(user, 'team-manager', 'la-383'), true);
      assert.equal(hasRole(user, 'team-manager', 'la-373'), false);
      assert.equal(hasRole(user, 'coordinator'), false);
      assert.equal(hasRole(undefined, 'coordinator'), false);
      assert.equal(hasRole({}, 'coordinator'), false);
    });
  });

  describe('isReferrerOf', () => {
    const referral = { userId: 'u-submitter', submitterOrganisationId: 'la-383' };
    it('gives referrer powers to the submitter and to social workers and managers of the authority', () => {
      assert.equal(isReferrerOf({ id: 'u-submitter' }, referral), true);
      for (const role of ['social-worker', 'team-manager'] as const) {
        assert.equal(
          isReferrerOf({ id: 'u-2', roles: [{ role, organisationId: 'la-383' }] }, referral),
          true,
        );
      }
    });
    it('gives nothing to another authority, another role, or a typed address', () => {
      assert.equal(
        isReferrerOf(
          { id: 'u-3', roles: [{ role: 'social-worker', organisationId: 'la-373' }] },
          referral,
        ),
        false,
      );
      assert.equal(
        isReferrerOf(
          { id: 'u-4', roles: [{ role: 'hr-officer', organisationId: 'la-383' }] },
          referral,
        ),
        false,
      );
      // The referrer's typed email is not an input at all: only the user and their roles are.
      assert.equal(
        isReferrerOf({ id: 'u-5' }, { userId: null, submitterOrganisationId: null }),
        false,
      );
    });
  });

  describe('mayTokenReadSubmission', () => {
    it('lets a token read only its own organisation’s submissions', () => {
      assert.equal(
        mayTokenReadSubmission({ organisationId: 'la-383' }, { submitterOrganisationId: 'la-383' }),
        true,
      );
      assert.equal(
        mayTokenReadSubmission({ organisationId: 'la-373' }, { submitterOrganisationId: 'la-383' }),
        false,
      );
    });
  });
});
