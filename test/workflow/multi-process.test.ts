import { uploadExampleDocuments } from '../support/upload-example-documents.js';
import assert from 'node:assert/strict';
import { createApiToken } from '../../src/auth/api-tokens.js';
import { loadForms } from '../../src/forms/load-forms.js';
import { startFormworkProcess, type FormworkProcess } from '../support/formwork-process.js';
import { freePort } from '../support/postgres.js';
import { crashReferral } from '../support/referral-driver.js';
import { startReferralCluster, type ReferralCluster } from '../support/referral-cluster.js';

const referrals = 40;
const needs = [
  'absconding',
  'sexualExploitation',
  'criminalExploitation',
  'trafficking',
  'violence',
  'weapons',
  'harmfulSexualBehaviour',
  'fireSetting',
  'substanceMisuse',
  'onlineRisk',
];

/** The form's own complete example, changed so the directory routes it to the open homes. */
function apiReferral(example: Record<string, unknown>, index: number): Record<string, unknown> {
  const routed = crashReferral(index) as {
    referrer: Record<string, unknown>;
    child: Record<string, unknown>;
    risks: Record<string, unknown>;
  };
  const section = (name: string) => (example[name] ?? {}) as Record<string, unknown>;
  // Without a distance limit, 'any' region means every home with a vacancy.
  const placement = { ...section('placement') };
  delete placement.maxDistanceMiles;
  return {
    ...example,
    referrer: { ...section('referrer'), email: routed.referrer.email },
    child: { ...section('child'), ...routed.child },
    risks: {
      ...Object.fromEntries(needs.map((need) => [need, { level: 'none' }])),
      selfHarm: routed.risks.selfHarm,
    },
    // Asked of female children only.
    health: { ...section('health'), pregnant: 'no' },
    placement: { ...placement, preferredRegion: 'any' },
  };
}

describe('two web and two worker processes on one Redis and one PostgreSQL', function () {
  this.timeout(240_000);
  let cluster: ReferralCluster;
  let db: ReferralCluster['db'];
  let sink: ReferralCluster['sink'];
  let dav: ReferralCluster['dav'];
  let driver: ReferralCluster['driver'];
  let dataKey: Buffer;
  let token: string;
  const processes: FormworkProcess[] = [];

  before(async () => {
    cluster = await startReferralCluster();
    ({ db, sink, dav, driver, dataKey } = cluster);
    const env = cluster.env;
    ({ token } = await createApiToken(db, { name: 'case system', organisationId: 'swcu' }));
    const [webPortA, webPortB] = [await freePort(), await freePort()];
    processes.push(
      ...(await Promise.all([
        startFormworkProcess({ ...env, PORT: String(webPortA) }, { web: true }),
        startFormworkProcess({ ...env, PORT: String(webPortB) }, { web: true }),
        startFormworkProcess(env, { worker: true }),
        startFormworkProcess(env, { worker: true }),
      ])),
    );
  });

  after(async () => {
    await Promise.all(processes.map((process) => process.kill()));
    await cluster.stop();
  });

  it('takes submissions through both webs and completes each once, with the same guarantees', async () => {
    const referral = (await loadForms('forms')).get('secure-welfare-referral');
    const example = referral?.examples()[0];
    assert.ok(referral && example);
    const webs = processes.filter((process) => process.url !== '');
    assert.equal(webs.length, 2);
    // each referral names the documents its token uploaded for it, as an integrator's would
    const bodies = await Promise.all(
      Array.from({ length: referrals }, (_, index) =>
        uploadExampleDocuments(webs[0]?.url ?? '', token, referral, apiReferral(example, index)),
      ),
    );
    const submitted = await Promise.all(
      Array.from({ length: referrals }, async (_, index) => {
        const web = webs[index % 2];
        const response = await fetch(
          `${web?.url ?? ''}/api/v1/forms/secure-welfare-referral/submissions`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'idempotency-key': `referral-${String(index)}`,
            },
            body: JSON.stringify(bodies[index]),
          },
        );
        const body = (await response.json()) as { reference?: string };
        assert.equal(response.status, 201, JSON.stringify(body));
        return { index, reference: body.reference ?? '' };
      }),
    );
    // The same request again through the other web is the same submission, not a second one.
    const repeat = await fetch(
      `${webs[1]?.url ?? ''}/api/v1/forms/secure-welfare-referral/submissions`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': 'referral-0',
        },
        body: JSON.stringify(bodies[0]),
      },
    );
    const repeated = (await repeat.json()) as { reference?: string };
    assert.equal(repeated.reference, submitted[0]?.reference);
    const ids = await db.query<{ id: string; reference: string }>(
      `SELECT id, reference FROM submissions`,
    );
    assert.equal(ids.rows.length, referrals);
    for (const { index, reference } of submitted) {
      const row = ids.rows.find((candidate) => candidate.reference === reference);
      assert.ok(row, reference);
      driver.track(row.id, reference, index);
    }
    await driver.driveToEnd(150_000);
    await driver.assertGuarantees(sink, dav.url, dataKey);
    const workersSeen = await db.query<{ n: string | number }>(
      `SELECT count(*) AS n FROM workflow_heartbeats`,
    );
    assert.equal(Number(workersSeen.rows[0]?.n), 2, 'both workers consumed');
  });
});
