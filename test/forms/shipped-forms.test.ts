import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { checkForms } from '../../src/forms/load-forms.js';
import type { Clock } from '../../src/ports/clock.js';
import { createAjv } from '../../src/validation/create-ajv.js';

// Examples and age conditions depend on today, so today is fixed
const clock: Clock = { now: () => new Date('2026-11-21T12:00:00Z') };
const formsDir = fileURLToPath(new URL('../../forms/', import.meta.url));

interface ShippedForm {
  id: string;
  referencePrefix: string;
  organisation: string;
  retention: { years: number; from: string };
  privacyNotice: { title: string; body: string };
  schema: { examples: Record<string, unknown>[] } & Record<string, unknown>;
}

function readForm(file: string): ShippedForm {
  return JSON.parse(readFileSync(formsDir + file, 'utf8')) as ShippedForm;
}

function compile(form: ShippedForm): ValidateFunction {
  return createAjv(clock).compile(form.schema);
}

function errorsOf(validate: ValidateFunction, data: unknown): ErrorObject[] {
  validate(data);
  return validate.errors ?? [];
}

/** Asserts an error with `keyword` at `instancePath` (and, for required, the missing property). */
function assertError(
  errors: readonly ErrorObject[],
  instancePath: string,
  keyword: string,
  missingProperty?: string,
): void {
  const found = errors.some(
    (error) =>
      error.instancePath === instancePath &&
      error.keyword === keyword &&
      (missingProperty === undefined ||
        (error.params as { missingProperty?: string }).missingProperty === missingProperty),
  );
  const seen = errors.map((error) => `${error.instancePath} ${error.keyword}`).join(', ');
  assert.ok(
    found,
    `expected ${keyword} at "${instancePath}"${missingProperty ? ` (${missingProperty})` : ''}; got: ${seen}`,
  );
}

type Section = Record<string, unknown>;

/** A referral's answers, as far as the tests reach into them. */
interface Referral {
  referrer: Section;
  legalBasis: Section;
  child: Section;
  contacts: Section[];
  risks: Section;
  health: Section;
  educationAndOffending: Section;
  placement: Section;
  attachments: Section;
  declaration: Section;
}

describe('the shipped forms', () => {
  it('pass the form loader checks (meta-schema, pages, ui, retention and examples)', async () => {
    assert.deepEqual(await checkForms(formsDir, { clock }), []);
  });

  describe('secure-welfare-referral', () => {
    const form = readForm('secure-welfare-referral.json');
    const validate = compile(form);
    const example = (index: number): Referral => {
      const value = form.schema.examples[index];
      assert.ok(value, `example ${String(index)} exists`);
      return structuredClone(value) as unknown as Referral;
    };

    it('is owned by the unit, keeps referrals to the 75th birthday and has the SWR prefix', () => {
      assert.equal(form.id, 'secure-welfare-referral');
      assert.equal(form.referencePrefix, 'SWR');
      assert.equal(form.organisation, 'swcu');
      assert.deepEqual(form.retention, { years: 75, from: '/child/dateOfBirth' });
    });

    it('has a privacy notice naming the controller, the lawful bases and the right to object to automated decisions', () => {
      const body = form.privacyNotice.body;
      for (const phrase of [
        'Department for Education',
        'data processor',
        'Article 6(1)(e)',
        'Article 9(2)(g)',
        'solely automated',
        '75th birthday',
      ]) {
        assert.ok(body.includes(phrase), `privacy notice mentions ${phrase}`);
      }
    });

    describe('examples', () => {
      it('has at least three complete referrals', () => {
        assert.ok(form.schema.examples.length >= 3);
      });
      for (const index of [0, 1, 2]) {
        it(`example ${String(index)} is valid`, () => {
          assert.deepEqual(errorsOf(validate, example(index)), []);
        });
      }
    });

    describe('when the child is under 13', () => {
      it('needs the Secretary of State approval and its date in the legal basis', () => {
        const data = example(0);
        data.child.dateOfBirth = '2015-01-01';
        const errors = errorsOf(validate, data);
        assertError(errors, '/legalBasis', 'required', 'secretaryOfStateApproval');
        assertError(errors, '/legalBasis', 'required', 'secretaryOfStateApprovalDate');
      });

      it('refuses a referral without approval', () => {
        const data = example(1);
        data.legalBasis.secretaryOfStateApproval = false;
        assertError(errorsOf(validate, data), '/legalBasis/secretaryOfStateApproval', 'const');
      });

      it('stops asking on the 13th birthday', () => {
        const thirteenToday = example(0);
        thirteenToday.child.dateOfBirth = '2013-11-21';
        assert.deepEqual(errorsOf(validate, thirteenToday), []);
        const thirteenTomorrow = example(0);
        thirteenTomorrow.child.dateOfBirth = '2013-11-22';
        assertError(
          errorsOf(validate, thirteenTomorrow),
          '/legalBasis',
          'required',
          'secretaryOfStateApproval',
        );
      });
    });

    describe('legal basis', () => {
      it('does not accept the Welsh accommodated status under section 25', () => {
        const data = example(0);
        data.legalBasis.legalStatusEngland = 's76';
        assertError(errorsOf(validate, data), '/legalBasis/legalStatusEngland', 'oneOf');
      });

      it('does not accept the English accommodated status under section 119', () => {
        const data = example(1);
        data.legalBasis.legalStatusWales = 's20';
        assertError(errorsOf(validate, data), '/legalBasis/legalStatusWales', 'oneOf');
      });

      it('asks for the legal status under the law chosen', () => {
        const wales = example(0);
        wales.legalBasis.legislation = 's119';
        assertError(errorsOf(validate, wales), '/legalBasis', 'required', 'legalStatusWales');
        const england = example(1);
        england.legalBasis.legislation = 's25';
        assertError(errorsOf(validate, england), '/legalBasis', 'required', 'legalStatusEngland');
      });

      it('needs the hearing date when a hearing is listed', () => {
        const data = example(1);
        delete data.legalBasis.hearingDate;
        assertError(errorsOf(validate, data), '/legalBasis', 'required', 'hearingDate');
      });

      it('needs the order dates and the order itself when an order is granted', () => {
        const data = example(0);
        delete data.legalBasis.orderStartDate;
        delete data.legalBasis.orderEndDate;
        delete data.attachments.courtOrder;
        const errors = errorsOf(validate, data);
        assertError(errors, '/legalBasis', 'required', 'orderStartDate');
        assertError(errors, '/legalBasis', 'required', 'orderEndDate');
        assertError(errors, '/attachments', 'required', 'courtOrder');
      });

      it('needs the court when an application is made', () => {
        const data = example(1);
        data.legalBasis.orderStatus = 'appliedFor';
        delete data.legalBasis.hearingDate;
        delete data.legalBasis.court;
        assertError(errorsOf(validate, data), '/legalBasis', 'required', 'court');
      });

      it('needs a 24-hour start time for a 72-hour placement', () => {
        const data = example(2);
        data.legalBasis.seventyTwoHourStartTime = '24:00';
        assertError(errorsOf(validate, data), '/legalBasis/seventyTwoHourStartTime', 'pattern');
      });

      it('needs at least one ground', () => {
        const data = example(0);
        data.legalBasis.grounds = [];
        assertError(errorsOf(validate, data), '/legalBasis/grounds', 'minItems');
      });
    });

    describe('the child', () => {
      it('needs the interpreter language when an interpreter is needed', () => {
        const data = example(0);
        data.child.interpreterNeeded = true;
        assertError(errorsOf(validate, data), '/child', 'required', 'interpreterLanguage');
      });

      it('needs the plan date when there is a child protection plan', () => {
        const data = example(1);
        delete data.child.childProtectionPlanDate;
        assertError(errorsOf(validate, data), '/child', 'required', 'childProtectionPlanDate');
      });

      it('takes only the postcode district, not a full postcode', () => {
        const data = example(0);
        data.child.postcodeDistrict = 'LS1 4AP';
        assertError(errorsOf(validate, data), '/child/postcodeDistrict', 'pattern');
      });

      it('takes an ethnicity code from the census list only', () => {
        const data = example(0);
        data.child.ethnicity = 'White British';
        assertError(errorsOf(validate, data), '/child/ethnicity', 'oneOf');
      });

      it('needs a real date of birth in the past', () => {
        const future = example(0);
        future.child.dateOfBirth = '2026-12-01';
        assertError(errorsOf(validate, future), '/child/dateOfBirth', 'past');
        const unreal = example(0);
        unreal.child.dateOfBirth = '2012-02-30';
        assertError(errorsOf(validate, unreal), '/child/dateOfBirth', 'format');
      });
    });

    describe('contacts', () => {
      it('needs at least one contact', () => {
        const data = example(0);
        data.contacts = [];
        assertError(errorsOf(validate, data), '/contacts', 'minItems');
      });

      it('asks whether a person with parental responsibility was told, and a professional’s organisation', () => {
        const data = example(0);
        delete data.contacts[0]?.organisation;
        delete data.contacts[3]?.informed;
        const errors = errorsOf(validate, data);
        assertError(errors, '/contacts/0', 'required', 'organisation');
        assertError(errors, '/contacts/3', 'required', 'informed');
      });

      it('checks telephone numbers and email addresses', () => {
        const data = example(0);
        const contact = data.contacts[1];
        assert.ok(contact);
        contact.phone = '12345';
        contact.email = 'not-an-email';
        const errors = errorsOf(validate, data);
        assertError(errors, '/contacts/1/phone', 'pattern');
        assertError(errors, '/contacts/1/email', 'format');
      });
    });

    describe('risks', () => {
      it('needs a description and the last incident when a risk is not none', () => {
        const data = example(0);
        data.risks.trafficking = { level: 'medium' };
        const errors = errorsOf(validate, data);
        assertError(errors, '/risks/trafficking', 'required', 'description');
        assertError(errors, '/risks/trafficking', 'required', 'lastIncidentDate');
      });

      it('needs a level for each of the eleven risks', () => {
        const data = example(0);
        delete data.risks.fireSetting;
        assertError(errorsOf(validate, data), '/risks', 'required', 'fireSetting');
        const bad = example(0);
        bad.risks.weapons = { level: 'severe' };
        assertError(errorsOf(validate, bad), '/risks/weapons/level', 'oneOf');
      });
    });

    describe('health, education and offending', () => {
      it('asks about pregnancy for a girl, and its details when she is pregnant', () => {
        const girl = example(1);
        delete girl.health.pregnant;
        assertError(errorsOf(validate, girl), '/health', 'required', 'pregnant');
        const pregnant = example(2);
        delete pregnant.health.pregnancyDetails;
        assertError(errorsOf(validate, pregnant), '/health', 'required', 'pregnancyDetails');
      });

      it('needs medication details when the child takes medication', () => {
        const data = example(0);
        delete data.health.medicationDetails;
        assertError(errorsOf(validate, data), '/health', 'required', 'medicationDetails');
      });

      it('needs the charges when a youth offending team is involved', () => {
        const data = example(0);
        data.educationAndOffending.youthOffendingInvolvement = true;
        assertError(errorsOf(validate, data), '/educationAndOffending', 'required', 'charges');
      });
    });

    describe('referrer, attachments and declaration', () => {
      it('needs the earlier reference for a 3-monthly review', () => {
        const data = example(0);
        data.referrer.previousReference = 'SWR-26-42';
        assertError(errorsOf(validate, data), '/referrer/previousReference', 'pattern');
        delete data.referrer.previousReference;
        assertError(errorsOf(validate, data), '/referrer', 'required', 'previousReference');
      });

      it('needs uploaded documents, not other text', () => {
        const data = example(0);
        data.attachments.carePlan = 'care-plan.pdf';
        assertError(errorsOf(validate, data), '/attachments/carePlan', 'format');
      });

      it('needs the accuracy and data protection confirmations', () => {
        const data = example(0);
        data.declaration.accuracy = false;
        delete data.declaration.dataProtection;
        const errors = errorsOf(validate, data);
        assertError(errors, '/declaration/accuracy', 'const');
        assertError(errors, '/declaration', 'required', 'dataProtection');
      });
    });
  });

  describe('social-care-workforce-census', () => {
    const form = readForm('social-care-workforce-census.json');
    const validate = compile(form);
    const example = (index: number): Record<string, unknown> => {
      const value = form.schema.examples[index];
      assert.ok(value, `example ${String(index)} exists`);
      return structuredClone(value);
    };
    const agency = () => example(0);
    const permanent = () => example(1);
    const leaver = () => example(2);

    it('has the CSWW prefix and keeps records 7 years from submission', () => {
      assert.equal(form.id, 'social-care-workforce-census');
      assert.equal(form.referencePrefix, 'CSWW');
      assert.equal(form.organisation, 'default');
      assert.deepEqual(form.retention, { years: 7, from: 'submitted' });
    });

    describe('examples', () => {
      it('has an agency worker, a permanent worker in post and a leaver', () => {
        assert.equal(agency().AgencyWorker, 1);
        assert.equal(permanent().AgencyWorker, 0);
        assert.equal(permanent().RoleEndDate, undefined);
        assert.equal(typeof leaver().RoleEndDate, 'string');
      });
      for (const index of [0, 1, 2]) {
        it(`example ${String(index)} is valid`, () => {
          assert.deepEqual(errorsOf(validate, example(index)), []);
        });
      }
    });

    describe('always', () => {
      it('needs the agency flag and the Social Work England number', () => {
        const data = agency();
        delete data.SWENo;
        delete data.AgencyWorker;
        const errors = errorsOf(validate, data);
        assertError(errors, '', 'required', 'SWENo');
        assertError(errors, '', 'required', 'AgencyWorker');
      });

      for (const swe of ['S123456', 'SW', 'sw123456', 'SW12A4', '12SW345']) {
        it(`rejects the Social Work England number ${swe}`, () => {
          const data = agency();
          data.SWENo = swe;
          assertError(errorsOf(validate, data), '/SWENo', 'pattern');
        });
      }

      it('keeps FTE between 0 and 1 with up to 6 decimal places', () => {
        const high = permanent();
        high.FTE = 1.5;
        assertError(errorsOf(validate, high), '/FTE', 'maximum');
        const precise = permanent();
        precise.FTE = 0.1234567;
        assertError(errorsOf(validate, precise), '/FTE', 'multipleOf');
      });

      it('takes only listed codes', () => {
        const data = permanent();
        data.GenderCurrent = 3;
        data.Ethnicity = 'XXXX';
        data.OrgRole = 7;
        const errors = errorsOf(validate, data);
        assertError(errors, '/GenderCurrent', 'oneOf');
        assertError(errors, '/Ethnicity', 'oneOf');
        assertError(errors, '/OrgRole', 'oneOf');
      });
    });

    describe('a worker employed by the local authority', () => {
      it('needs personal details, qualification, role, start origin, FTE30 and days lost', () => {
        const data = { AgencyWorker: 0, SWENo: 'SW100002', FTE: 1 };
        const errors = errorsOf(validate, data);
        for (const item of [
          'PersonBirthDate',
          'GenderCurrent',
          'Ethnicity',
          'QualInst',
          'QualLevel',
          'OrgRole',
          'RoleStartDate',
          'StartOrigin',
          'FTE30',
          'WorkingDaysLost',
        ]) {
          assertError(errors, '', 'required', item);
        }
      });

      it('an agency worker does not', () => {
        assert.deepEqual(errorsOf(validate, { AgencyWorker: 1, SWENo: 'SW100003', FTE: 1 }), []);
      });
    });

    describe('a leaver', () => {
      it('needs the reason for leaving and the destination', () => {
        const data = leaver();
        delete data.ReasonLeave;
        delete data.LeaverDestination;
        const errors = errorsOf(validate, data);
        assertError(errors, '', 'required', 'ReasonLeave');
        assertError(errors, '', 'required', 'LeaverDestination');
      });

      it('has an FTE of 0', () => {
        const data = leaver();
        data.FTE = 0.5;
        assertError(errorsOf(validate, data), '/FTE', 'const');
      });

      it('a worker still in post gives neither a reason for leaving nor a destination', () => {
        const data = permanent();
        data.ReasonLeave = 1;
        data.LeaverDestination = 2;
        const errors = errorsOf(validate, data);
        assertError(errors, '', 'dependentRequired', 'RoleEndDate');
        assert.ok(
          errors.some(
            (error) => (error.params as { property?: string }).property === 'LeaverDestination',
          ),
        );
      });
    });

    describe('absence and agency contracts', () => {
      it('needs the reason for absence only when absent on 30 September', () => {
        const absent = permanent();
        delete absent.ReasonAbsence;
        assertError(errorsOf(validate, absent), '', 'required', 'ReasonAbsence');
        const present = permanent();
        present.Absat30Sept = 0;
        delete present.ReasonAbsence;
        assert.deepEqual(errorsOf(validate, present), []);
      });

      it('takes a reason for absence from the list', () => {
        const data = permanent();
        data.ReasonAbsence = 'HOL';
        assertError(errorsOf(validate, data), '/ReasonAbsence', 'oneOf');
      });

      it('keeps an agency contract to 500 weeks with 1 decimal place', () => {
        const long = agency();
        long.ContractWeeks = 500.5;
        assertError(errorsOf(validate, long), '/ContractWeeks', 'maximum');
        const precise = agency();
        precise.ContractWeeks = 26.25;
        assertError(errorsOf(validate, precise), '/ContractWeeks', 'multipleOf');
      });
    });
  });
});
