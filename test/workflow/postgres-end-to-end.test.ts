import { databaseFactories } from '../support/databases.js';
import { describeReferralEndToEnd } from '../support/referral-end-to-end.js';

const postgres = databaseFactories.find((factory) => factory.name === 'postgres');
if (!postgres) throw new Error('no PostgreSQL factory');
describeReferralEndToEnd(postgres);
