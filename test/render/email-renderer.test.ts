import assert from 'node:assert/strict';
import {
  renderEmail,
  type EmailName,
  type EmailTemplates,
} from '../../src/render/email-renderer.js';
import { isAppError } from '../../src/errors/app-error.js';

const CHILD = ['Alex', 'Example', '2012-02-14', 'LS1'];
const link = 'https://formwork.example.gov.uk/homes/referrals/SWR-2026-00042?t=abc';

const cases: { [N in EmailName]: EmailTemplates[N] } = {
  'referral-pack': {
    reference: 'SWR-2026-00042',
    homeName: 'Adel Beck',
    link,
    respondBy: new Date('2026-03-04T17:00:00Z'),
    linkExpires: new Date('2026-03-11T17:00:00Z'),
    remindAt: new Date('2026-03-03T17:00:00Z'),
  },
  'referral-received': { reference: 'SWR-2026-00042', link },
  'home-reminder': {
    reference: 'SWR-2026-00042',
    homeName: 'Adel Beck',
    link,
    respondBy: '5pm today',
  },
  'referrer-status': { reference: 'SWR-2026-00042', status: 'Searching for a home', link },
  'referrer-question': { reference: 'SWR-2026-00042', link },
  'referral-outcome': { reference: 'SWR-2026-00042', homeName: 'Aycliffe' },
  'coordinator-escalation': {
    reference: 'SWR-2026-00042',
    reason: '2 homes have not answered within 2 working days.',
    link,
    homesAwaiting: 2,
  },
  'vacancy-link': { homeName: 'Adel Beck', link },
  'referral-chosen': { reference: 'SWR-2026-00042', homeName: 'Adel Beck', link },
  'home-update': {
    reference: 'SWR-2026-00042',
    homeName: 'Adel Beck',
    link,
    news: 'The local authority has answered your question and may have added documents.',
  },
};

function rejectsWithCode(fn: () => unknown): void {
  assert.throws(
    fn,
    (error: unknown) => isAppError(error) && error.code === 'ERR_EMAIL_TEMPLATE_INVALID',
  );
}

describe('renderEmail', function () {
  // the vacancy link is about a home, not a referral: it has no reference (tested below)
  for (const name of (Object.keys(cases) as EmailName[]).filter((n) => n !== 'vacancy-link')) {
    describe(name, function () {
      it('names the reference in the subject, text and HTML, and carries no child details', function () {
        // A careless caller passing the child along must still not leak it.
        const careless = {
          ...cases[name],
          childName: 'Alex Example',
          dateOfBirth: '2012-02-14',
          postcodeDistrict: 'LS1',
        };
        const email = renderEmail(name, careless as never);
        for (const part of [email.subject, email.text, email.html]) {
          assert.ok(part.includes('SWR-2026-00042'), part);
          for (const detail of CHILD) assert.ok(!part.includes(detail), `${name} leaks ${detail}`);
        }
        assert.match(email.html, /^<!DOCTYPE html>/);
        assert.ok(!/\n\n\n/.test(email.text));
      });
    });
  }

  it('puts the link in both parts of every email that has one', function () {
    for (const name of [
      'referral-pack',
      'home-reminder',
      'referrer-status',
      'coordinator-escalation',
      'vacancy-link',
    ] as const) {
      const email = renderEmail(name, cases[name] as never);
      assert.ok(email.text.includes(link), name);
      assert.ok(email.html.includes(`href="${link.replace('&', '&amp;')}"`), name);
    }
  });

  describe('vacancy-link', function () {
    it('names the home and gives its link, with nothing about any child', function () {
      const email = renderEmail('vacancy-link', cases['vacancy-link']);
      assert.match(email.text, /^Dear Adel Beck,/);
      assert.match(email.subject, /declare free welfare beds/);
      for (const detail of CHILD) assert.ok(!email.text.includes(detail));
    });
  });

  describe('referral-pack', function () {
    it('gives the home, the deadline in UK time and the link expiry', function () {
      const email = renderEmail('referral-pack', cases['referral-pack']);
      assert.ok(email.text.startsWith('Dear Adel Beck,'));
      assert.ok(email.subject.includes('5:00pm on 4 March 2026'), email.subject);
      assert.ok(email.text.includes('The link works until 5:00pm on 11 March 2026.'));
      assert.ok(
        email.text.includes(
          'If we have not heard from you by 5:00pm on 3 March 2026, we will send you a reminder.',
        ),
      );
      assert.ok(!email.text.includes('attached'));
    });

    it('says the pack is attached only when it is', function () {
      const email = renderEmail('referral-pack', { ...cases['referral-pack'], packAttached: true });
      assert.ok(email.text.includes('The referral pack is attached.'));
      assert.ok(email.html.includes('The referral pack is attached.'));
      assert.ok(!email.text.includes('does not contain information about the child'));
    });

    it('shows summer deadlines in British Summer Time', function () {
      const email = renderEmail('referral-pack', {
        ...cases['referral-pack'],
        respondBy: new Date('2026-07-01T16:00:00Z'),
      });
      assert.ok(email.subject.includes('5:00pm on 1 July 2026'), email.subject);
    });
  });

  it('escapes HTML in the HTML part but not in the text part', function () {
    const email = renderEmail('referral-outcome', {
      reference: 'SWR-2026-00042',
      homeName: 'Smith & <Co>',
    });
    assert.ok(email.html.includes('Smith &amp; &lt;Co&gt;'));
    assert.ok(email.text.includes('Dear Smith & <Co>,'));
  });

  it('tells a home not chosen that the referral was placed elsewhere', function () {
    const email = renderEmail('referral-outcome', {
      ...cases['referral-outcome'],
      outcome: 'alternative placement',
    });
    assert.ok(email.text.includes('has been placed elsewhere'));
    assert.ok(email.subject.includes('placed elsewhere'));
  });

  it('tells the homes of a withdrawn referral that it was withdrawn, not placed', function () {
    const email = renderEmail('referral-outcome', {
      ...cases['referral-outcome'],
      outcome: 'withdrawn',
    });
    assert.ok(email.text.includes('SWR-2026-00042 has been withdrawn'), email.text);
    assert.ok(email.subject.includes('has been withdrawn'), email.subject);
    assert.ok(!/placed/.test(email.subject + email.text));
  });

  it('says a ceased search stopped, and only that a referral closed for another status', function () {
    const ceased = renderEmail('referral-outcome', {
      ...cases['referral-outcome'],
      outcome: 'ceased',
    });
    assert.ok(ceased.subject.includes('the search for a secure home has stopped'), ceased.subject);
    const other = renderEmail('referral-outcome', {
      ...cases['referral-outcome'],
      outcome: 'toString',
    });
    assert.ok(other.subject.endsWith('SWR-2026-00042 has been closed'), other.subject);
  });

  it('keeps a value with line breaks on one line of the subject', function () {
    const email = renderEmail('referrer-status', {
      ...cases['referrer-status'],
      status: 'Placed\r\nBcc: someone@example.org',
    });
    assert.ok(!/[\r\n]/.test(email.subject));
  });

  describe('when the locals are wrong', function () {
    it('refuses a missing reference', function () {
      rejectsWithCode(() =>
        renderEmail('home-reminder', { ...cases['home-reminder'], reference: '' }),
      );
    });

    it('refuses a link that is not http(s)', function () {
      rejectsWithCode(() =>
        renderEmail('referrer-status', {
          ...cases['referrer-status'],
          link: 'javascript:alert(1)',
        }),
      );
    });

    it('refuses an invalid date', function () {
      rejectsWithCode(() =>
        renderEmail('referral-pack', { ...cases['referral-pack'], respondBy: new Date('nope') }),
      );
    });

    it('refuses an unknown template name', function () {
      rejectsWithCode(() => renderEmail('nope' as EmailName, cases['referral-outcome'] as never));
    });
  });
});
