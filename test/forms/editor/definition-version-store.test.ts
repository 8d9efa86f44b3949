import assert from 'node:assert/strict';
import { DefinitionVersionStore } from '../../../src/forms/editor/definition-version-store.js';
import type { Database } from '../../../src/store/database.js';
import { databaseFactories } from '../../support/databases.js';

for (const factory of databaseFactories)
  describe(`DefinitionVersionStore (${factory.name})`, function () {
    this.timeout(60_000);
    let db: Database;
    let store: DefinitionVersionStore;
    beforeEach(async () => {
      db = await factory.open();
      store = new DefinitionVersionStore(db, 'form');
    });
    afterEach(async () => {
      await db.close();
    });

    const states = async () =>
      (await store.list('f')).map((version) => `${String(version.number)}:${version.state}`);

    it('keeps one draft, numbers what is published, and publishes an old version again', async () => {
      await store.saveDraft(db, 'f', { id: 'f', zeta: 1, a: 2 }, 'u1');
      await store.saveDraft(db, 'f', { id: 'f', zeta: 3, a: 4 }, 'u1');
      assert.deepEqual(await states(), ['null:draft']);
      // the text is kept as written: jsonb would put "a" before "zeta"
      assert.deepEqual(Object.keys((await store.draft('f'))?.definition ?? {}), [
        'id',
        'zeta',
        'a',
      ]);
      assert.equal(await store.publish(db, 'f', '1+aaa', { id: 'f', v: 1 }, 'u1'), 1);
      assert.equal(await store.publish(db, 'f', '1+bbb', { id: 'f', v: 2 }, 'u2'), 2);
      await store.deleteDraft(db, 'f');
      assert.deepEqual(await states(), ['2:published', '1:archived']);
      assert.equal(await store.publish(db, 'f', '1+aaa', { id: 'f', v: 1 }, 'u2'), 1);
      assert.deepEqual(await states(), ['2:archived', '1:published']);
      assert.equal((await store.published('f'))?.publishedBy, 'u2');
    });
  });
