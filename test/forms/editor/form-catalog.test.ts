import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormCatalog } from '../../../src/forms/form-catalog.js';
import { loadForms } from '../../../src/forms/load-forms.js';
import type { Database } from '../../../src/store/database.js';
import { databaseFactories } from '../../support/databases.js';

const fixture = 'test/fixtures/editor-forms/pet-licence.json';

for (const factory of databaseFactories)
  describe(`FormCatalog (${factory.name})`, function () {
    this.timeout(60_000);
    let db: Database;
    let dir: string;

    beforeEach(async () => {
      db = await factory.open();
      dir = await mkdtemp(join(tmpdir(), 'formwork-catalog-'));
      await cp(fixture, join(dir, 'pet-licence.json'));
    });
    afterEach(async () => {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    });

    const versions = async () =>
      (
        await db.query<{ number: number; state: string }>(
          `SELECT number, state FROM form_versions WHERE form_id = 'pet-licence' ORDER BY number`,
        )
      ).rows.map((row) => `${String(row.number)}:${row.state}`);

    describe('when the forms folder is loaded at start-up', () => {
      it('stores a file once as the published version, however often it starts', async () => {
        await FormCatalog.open(db, await loadForms(dir));
        const again = await FormCatalog.open(db, await loadForms(dir));
        assert.deepEqual(await versions(), ['1:published']);
        assert.equal(again.get('pet-licence')?.definition.title, 'Apply for a pet licence');
      });

      it('publishes a changed file as a new version and archives the old one', async () => {
        const first = await FormCatalog.open(db, await loadForms(dir));
        const oldVersion = first.get('pet-licence')?.version ?? '';
        const text = (await readFile(fixture, 'utf8')).replace(
          'Apply for a pet licence',
          'Licence a pet',
        );
        await writeFile(join(dir, 'pet-licence.json'), text);
        const second = await FormCatalog.open(db, await loadForms(dir));
        assert.deepEqual(await versions(), ['1:archived', '2:published']);
        assert.equal(second.get('pet-licence')?.definition.title, 'Licence a pet');
        // a draft begun on the first version still finds its questions, in their order
        const pinned = await second.atVersion('pet-licence', oldVersion);
        assert.equal(pinned?.definition.title, 'Apply for a pet licence');
        assert.deepEqual(Object.keys(pinned.definition.schema.properties as object), [
          'fullName',
          'email',
          'hasPet',
          'petName',
        ]);
      });

      it('keeps a version published in the editor while the file is unchanged', async () => {
        await FormCatalog.open(db, await loadForms(dir));
        const definition = JSON.parse(await readFile(fixture, 'utf8')) as Record<string, unknown>;
        await db.query(`UPDATE form_versions SET state = 'archived' WHERE form_id = 'pet-licence'`);
        await db.query(
          `INSERT INTO form_versions (form_id, version, definition, state, number, source)
         VALUES ('pet-licence', '1+editor', $1, 'published', 2, 'editor')`,
          [JSON.stringify({ ...definition, title: 'Edited in the browser' })],
        );
        const catalog = await FormCatalog.open(db, await loadForms(dir));
        assert.deepEqual(await versions(), ['1:archived', '2:published']);
        assert.equal(catalog.get('pet-licence')?.definition.title, 'Edited in the browser');
      });
    });
  });
