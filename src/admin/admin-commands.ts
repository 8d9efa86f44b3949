import { createApiToken } from '../auth/api-tokens.js';
import { addUser, findOrganisation, removeRole, upsertOrganisation } from '../auth/people.js';
import type { OrganisationKind } from '../auth/roles.js';
import { AppError } from '../errors/app-error.js';
import type { Database } from '../store/database.js';
import type { AdminHandler } from './admin-socket.js';
import type { CensusReturns } from '../census/census-returns.js';
import { exportCensusToFile } from './export-census-to-file.js';

/** What the census commands need; absent when the census form is not loaded. */
export interface AdminCensusOptions {
  census: CensusReturns | undefined;
  dataDir: string;
}

/**
 * The commands `formwork` runs against the database, either through a running process's
 * admin socket or directly: `token.create`, `user.add`, `user.remove`, `org.add`, `census.export`.
 */
export function createAdminCommands(
  db: Database,
  census?: AdminCensusOptions,
): Record<string, AdminHandler> {
  return {
    'census.export': async (args) => {
      if (!census?.census)
        throw new AppError(
          'ERR_AUTH_USER_INVALID',
          'The census form is not loaded from FORMS_DIR.',
        );
      return exportCensusToFile(db, census.census, {
        la: text(args.la),
        year: Number(args.year),
        out: typeof args.out === 'string' ? args.out : undefined,
        dataDir: census.dataDir,
      });
    },
    'token.create': async (args) => {
      const organisation =
        typeof args.organisation === 'string'
          ? await findOrganisation(db, args.organisation)
          : undefined;
      if (typeof args.organisation === 'string' && !organisation) {
        throw new AppError(
          'ERR_AUTH_USER_INVALID',
          `There is no organisation "${args.organisation}".`,
        );
      }
      return createApiToken(db, {
        name: String(args.name),
        ...(Array.isArray(args.formIds) ? { formIds: args.formIds.map(String) } : {}),
        ...(organisation ? { organisationId: organisation.id } : {}),
      });
    },
    'user.add': async (args) =>
      addUser(db, {
        email: text(args.email),
        role: text(args.role),
        organisation: typeof args.organisation === 'string' ? args.organisation : undefined,
        grantedBy: 'cli',
      }),
    'user.remove': async (args) => ({
      removedFrom: await removeRole(db, {
        email: text(args.email),
        role: text(args.role),
        organisation: typeof args.organisation === 'string' ? args.organisation : undefined,
        removedBy: 'cli',
      }),
    }),
    'org.add': async (args) => {
      const organisation = {
        id: text(args.id),
        kind: text(args.kind) as OrganisationKind,
        name: text(args.name).trim(),
        laCode: typeof args.laCode === 'string' ? args.laCode : null,
      };
      if (organisation.name === '') {
        throw new AppError('ERR_AUTH_USER_INVALID', 'An organisation needs --name.');
      }
      await upsertOrganisation(db, organisation);
      return organisation;
    },
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
