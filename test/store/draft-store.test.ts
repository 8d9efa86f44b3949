import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { systemClock } from '../../src/ports/clock.js';
import { DraftStore } from '../../src/submissions/draft-store.js';
import { forEachDatabase } from '../support/databases.js';

forEachDatabase('DraftStore', (db) => {
  const auditOf = async (draftId: string) =>
    (
      await db().query<{ actor_type: string; actor_id: string | null; details: unknown }>(
        `SELECT actor_type, actor_id, details FROM audit_events
          WHERE action = 'draft.update' AND subject_type = 'draft' AND subject_id = $1`,
        [draftId],
      )
    ).rows.map((row) => ({
      ...row,
      details: typeof row.details === 'string' ? (JSON.parse(row.details) as unknown) : row.details,
    }));

  describe('when a signed-in person saves a draft', () => {
    it('stores the answers and audits the change as that person, without the answers', async () => {
      const userId = randomUUID();
      await db().query(`INSERT INTO users (id, email) VALUES ($1, $2)`, [
        userId,
        `drafter.${userId}@example.org`,
      ]);
      const drafts = new DraftStore(db(), systemClock);
      const draft = await drafts.create({
        formId: 'f',
        formVersion: '1',
        organisationId: 'default',
        owner: { userId },
      });
      await drafts.save({ id: draft.id, data: { name: 'Sam' }, completedPages: ['one', 'two'] });
      const saved = await drafts.find(draft.id, 'f', { userId });
      assert.deepEqual(saved?.data, { name: 'Sam' });
      assert.deepEqual(saved.completedPages, ['one', 'two']);
      assert.deepEqual(await auditOf(draft.id), [
        { actor_type: 'user', actor_id: userId, details: { pages: 2 } },
      ]);
    });
  });

  describe('when a person who has not signed in saves a draft', () => {
    it('audits the change as their browser session', async () => {
      const sessionIdHash = 'ab'.repeat(32);
      const drafts = new DraftStore(db(), systemClock);
      const draft = await drafts.create({
        formId: 'f',
        formVersion: '1',
        organisationId: 'default',
        owner: { sessionIdHash },
      });
      await drafts.save({ id: draft.id, data: {}, completedPages: [] });
      assert.deepEqual(await auditOf(draft.id), [
        { actor_type: 'anonymous', actor_id: `session:${'ab'.repeat(8)}`, details: { pages: 0 } },
      ]);
    });
  });

  describe('when the draft was already sent', () => {
    it('changes nothing and audits nothing', async () => {
      const sessionIdHash = 'cd'.repeat(32);
      const drafts = new DraftStore(db(), systemClock);
      const draft = await drafts.create({
        formId: 'f',
        formVersion: '1',
        organisationId: 'default',
        owner: { sessionIdHash },
      });
      await db().query(`UPDATE drafts SET submission_id = $2 WHERE id = $1`, [
        draft.id,
        randomUUID(),
      ]);
      await drafts.save({ id: draft.id, data: { name: 'Sam' }, completedPages: ['one'] });
      const saved = await drafts.find(draft.id, 'f', { sessionIdHash });
      assert.deepEqual(saved?.data, {});
      assert.deepEqual(await auditOf(draft.id), []);
    });
  });
});
