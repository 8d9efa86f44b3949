import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadHomesDirectory } from '../../../src/workflow/directory/load-directory.js';
import { distanceKm, kmToMiles } from '../../../src/workflow/directory/distance.js';
import { locatePostcodeDistrict } from '../../../src/workflow/directory/locate-postcode-district.js';
import { isAppError } from '../../../src/errors/app-error.js';

interface FormFile {
  schema: { properties: { risks: { properties: Record<string, unknown> } } };
}

const seedFile = new URL(
  '../../../src/workflow/directory/secure-children-homes.json',
  import.meta.url,
);

describe('loadHomesDirectory', function () {
  describe('with the shipped seed', function () {
    const homes = loadHomesDirectory();

    it('lists the 14 secure children’s homes with unique ids', function () {
      assert.equal(homes.length, 14);
      assert.equal(new Set(homes.map((home) => home.id)).size, 14);
      assert.ok(
        homes.some(
          (home) => home.name === 'Adel Beck' && home.region === 'Yorkshire and the Humber',
        ),
      );
      assert.ok(homes.some((home) => home.name === 'Hillside' && home.region === 'Wales'));
    });

    it('uses only fictitious example.org addresses named after the home', function () {
      for (const home of homes) assert.equal(home.email, `${home.id}@homes.example.org`);
    });

    it('has no home in London or the West Midlands, and all take ages 10 to 17', function () {
      for (const home of homes) {
        assert.ok(!['London', 'West Midlands'].includes(home.region));
        assert.deepEqual(home.ageRange, { min: 10, max: 17 });
      }
    });

    it('names needs with the referral form’s risk keys, varying between homes', function () {
      const form = JSON.parse(
        readFileSync('forms/secure-welfare-referral.json', 'utf8'),
      ) as FormFile;
      const riskKeys = new Set(Object.keys(form.schema.properties.risks.properties));
      for (const home of homes)
        for (const need of home.canMeet) assert.ok(riskKeys.has(need), need);
      assert.ok(new Set(homes.map((home) => home.canMeet.join(','))).size > 3);
      assert.ok(homes.some((home) => !home.canMeet.includes('fireSetting')));
    });

    it('says in the file that the data is fictitious', function () {
      const raw = JSON.parse(readFileSync(seedFile, 'utf8')) as { _note?: string };
      assert.match(raw._note ?? '', /[Ff]ictitious/);
    });
  });

  describe('when the file is wrong', function () {
    let dir: string;
    beforeEach(function () {
      dir = mkdtempSync(join(tmpdir(), 'directory-'));
    });
    afterEach(function () {
      rmSync(dir, { recursive: true, force: true });
    });

    function writeHomes(edit: (homes: Record<string, unknown>[]) => void): string {
      const raw = JSON.parse(readFileSync(seedFile, 'utf8')) as {
        homes: Record<string, unknown>[];
      };
      edit(raw.homes);
      const file = join(dir, 'homes.json');
      writeFileSync(file, JSON.stringify(raw));
      return file;
    }

    function assertInvalid(file: string, mention: RegExp): void {
      assert.throws(
        () => loadHomesDirectory(file),
        (error: unknown) =>
          isAppError(error) &&
          error.code === 'ERR_DIRECTORY_INVALID' &&
          mention.test(error.message),
      );
    }

    it('refuses a real-looking mailbox, naming where it is', function () {
      assertInvalid(
        writeHomes((homes) => (homes[2] = { ...homes[2], email: 'manager@devon.gov.uk' })),
        /\/homes\/2\/email/,
      );
    });

    it('refuses an unknown need code', function () {
      assertInvalid(
        writeHomes((homes) => (homes[0] = { ...homes[0], canMeet: ['flying'] })),
        /\/homes\/0\/canMeet\/0/,
      );
    });

    it('refuses a repeated id', function () {
      assertInvalid(
        writeHomes((homes) => (homes[1] = { ...homes[1], id: homes[0]?.id })),
        /repeats id adel-beck/,
      );
    });

    it('refuses an age range that runs backwards', function () {
      assertInvalid(
        writeHomes((homes) => (homes[3] = { ...homes[3], ageRange: { min: 17, max: 10 } })),
        /\/homes\/3\/ageRange/,
      );
    });

    it('refuses a file that is not JSON', function () {
      const file = join(dir, 'broken.json');
      writeFileSync(file, '{ "homes": [');
      assertInvalid(file, /cannot be read as JSON/);
    });
  });
});

describe('distanceKm', function () {
  it('is zero from a place to itself', function () {
    assert.equal(
      distanceKm({ latitude: 53.8, longitude: -1.55 }, { latitude: 53.8, longitude: -1.55 }),
      0,
    );
  });

  it('gives about 272 km from Leeds to Cardiff city centre', function () {
    const leeds = locatePostcodeDistrict('LS1');
    const cardiff = locatePostcodeDistrict('CF10');
    assert.ok(leeds && cardiff);
    const km = distanceKm(leeds, cardiff);
    assert.ok(km > 255 && km < 290, String(km));
    assert.ok(Math.abs(kmToMiles(km) - km / 1.609344) < 1e-9);
  });

  it('is symmetric', function () {
    const a = { latitude: 50.72, longitude: -3.53 };
    const b = { latitude: 55.17, longitude: -1.69 };
    assert.equal(distanceKm(a, b), distanceKm(b, a));
  });

  it('puts Adel Beck nearest a child from LS1 and Hillside nearest one from SA1', function () {
    const homes = loadHomesDirectory();
    const nearest = (district: string): string => {
      const from = locatePostcodeDistrict(district);
      assert.ok(from);
      return (
        [...homes].sort((x, y) => distanceKm(from, x.location) - distanceKm(from, y.location))[0]
          ?.id ?? ''
      );
    };
    assert.equal(nearest('LS1'), 'adel-beck');
    assert.equal(nearest('SA1'), 'hillside');
    assert.equal(nearest('CF10'), 'vinney-green');
    assert.equal(nearest('EX4'), 'atkinson');
  });
});

describe('locatePostcodeDistrict', function () {
  it('knows the districts in the form’s examples precisely', function () {
    for (const district of ['LS1', 'CF10', 'SW1A'])
      assert.equal(locatePostcodeDistrict(district)?.precision, 'district');
  });

  it('falls back to the area’s town for other districts, ignoring case and spaces', function () {
    assert.deepEqual(locatePostcodeDistrict(' m14 '), {
      place: 'Manchester',
      latitude: 53.48,
      longitude: -2.24,
      precision: 'area',
    });
    assert.equal(locatePostcodeDistrict('B1')?.place, 'Birmingham');
    assert.equal(locatePostcodeDistrict('BA1')?.place, 'Bath');
    assert.equal(locatePostcodeDistrict('LS')?.place, 'Leeds');
    assert.equal(locatePostcodeDistrict('LL30')?.place, 'Llandudno');
  });

  it('returns undefined for anything else', function () {
    for (const bad of ['', 'EH1', 'BT1', 'LS1 4AP', '12', 'ABC1', 'L$1'])
      assert.equal(locatePostcodeDistrict(bad), undefined, bad);
  });
});
