import assert from 'node:assert/strict';
import { toHomeAccess } from '../../src/http/homes/home-access.js';
import type { ReferralRow } from '../../src/http/workflow-pages/referral-pages.js';
import type { HomeRequest } from '../../src/workflow/home-responses.js';

const now = new Date('2026-12-02T10:00:00Z');

function request(overrides: Partial<HomeRequest> = {}): HomeRequest {
  return {
    id: '1',
    instanceId: 'i1',
    homeId: 'home-a',
    homeName: 'Home A',
    homeEmail: 'home.a@example.org',
    reference: 'SWR-2026-00001',
    state: 'awaiting',
    reason: null,
    bedAvailableOn: null,
    conditions: null,
    expiresAt: new Date('2026-12-05T10:00:00Z'),
    packKey: 'packs/i1.pdf',
    organisationId: 'swcu',
    submissionId: 's1',
    ...overrides,
  };
}

function referral(overrides: Partial<ReferralRow> = {}): ReferralRow {
  return {
    submission_id: 's1',
    reference: 'SWR-2026-00001',
    form_id: 'secure-welfare-referral',
    organisation_id: 'swcu',
    data: {},
    user_id: null,
    submitter_organisation_id: null,
    submitted_at: now,
    instance_id: 'i1',
    state: 'waiting',
    status: 'searching',
    current_step: 'await-responses',
    workflow_id: 'secure-welfare-referral',
    workflow_version: 'v1',
    context: {},
    ...overrides,
  };
}

describe('toHomeAccess', () => {
  describe('when the home was sent an open referral and its link is live', () => {
    it('opens the details', () => {
      assert.deepEqual(toHomeAccess(request(), referral(), now), { open: true });
    });
  });

  const ended: [string, HomeRequest, ReferralRow, RegExp][] = [
    [
      'the link has expired',
      request({ expiresAt: new Date('2026-12-02T09:59:00Z') }),
      referral(),
      /expired/,
    ],
    ['the home declined', request({ state: 'declined' }), referral(), /declined/],
    [
      'the referral was withdrawn',
      request(),
      referral({ status: 'withdrawn', state: 'withdrawn' }),
      /withdrew/,
    ],
    [
      'the child was placed with another home',
      request({ state: 'accepted' }),
      referral({ status: 'placed', context: { chosenHomeId: 'home-b' } }),
      /another home/,
    ],
    [
      'an alternative placement was recorded',
      request({ state: 'accepted' }),
      referral({ status: 'alternative placement', state: 'completed' }),
      /placed elsewhere/,
    ],
    [
      'the search was ceased',
      request(),
      referral({ status: 'ceased', state: 'completed' }),
      /ceased/,
    ],
  ];
  for (const [when, home, record, why] of ended) {
    describe(`when ${when}`, () => {
      it('shows the status only, saying why', () => {
        const access = toHomeAccess(home, record, now);
        assert.ok(!access.open, 'access ended');
        assert.match(access.why, why);
      });
    });
  }

  describe('when the child was placed with this home', () => {
    it('keeps the details open, even after the link’s time', () => {
      const access = toHomeAccess(
        request({ state: 'accepted', expiresAt: new Date('2026-12-01T00:00:00Z') }),
        referral({ status: 'placed', state: 'completed', context: { chosenHomeId: 'home-a' } }),
        now,
      );
      assert.deepEqual(access, { open: true });
    });
  });
});
