import { databaseFactories } from '../support/databases.js';
import { describeReferralEndToEnd } from '../support/referral-end-to-end.js';

const pglite = databaseFactories.find((factory) => factory.name === 'pglite');
if (!pglite) throw new Error('no PGlite factory');
describeReferralEndToEnd(pglite);
