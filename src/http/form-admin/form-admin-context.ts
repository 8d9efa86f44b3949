import type { Request } from 'express';
import type { VersionDiff } from '../../forms/editor/diff-versions.js';
import { recordAudit } from '../../auth/audit.js';
import { hasRole } from '../../auth/roles.js';
import { AppError } from '../../errors/app-error.js';
import {
  DefinitionVersionStore,
  type StoredVersion,
} from '../../forms/editor/definition-version-store.js';
import type { FormCatalog } from '../../forms/form-catalog.js';
import type { RawFormDefinition } from '../../forms/form-definition.js';
import type { Database, Queryable } from '../../store/database.js';
import type { StepType } from '../../workflow/step-type.js';
import type { WorkflowCatalog } from '../../workflow/workflow-catalog.js';
import type { PageRenderer } from '../page-renderer.js';
import type { SessionUser } from '../request-context.js';

/** What the form administrators' pages need. */
export interface FormAdminOptions {
  db: Database;
  forms: FormCatalog;
  /** The workflows, whose steps read the forms' data; absent when none run in this process. */
  workflows?: WorkflowCatalog | undefined;
  stepTypes: ReadonlyMap<string, StepType<never>>;
  pages: PageRenderer;
}

/** The largest definition file an import takes. */
export const definitionImportBytes = 2 * 1024 * 1024;

/** The paths that take a definition file upload (for the multipart middleware). */
export function isDefinitionImport(req: Request): boolean {
  return req.method === 'POST' && /^\/admin\/(forms|workflows)\/import$/.test(req.path);
}

/** Shared by the form administrators' routers. */
export class FormAdminContext {
  readonly formVersions: DefinitionVersionStore;
  readonly workflowVersions: DefinitionVersionStore;

  constructor(readonly options: FormAdminOptions) {
    this.formVersions = new DefinitionVersionStore(options.db, 'form');
    this.workflowVersions = new DefinitionVersionStore(options.db, 'workflow');
  }

  /** The signed-in form administrator, or a sign-in redirect (GET) / 401 / 403. */
  requireAdmin(req: Request): SessionUser {
    const user = req.session?.user;
    if (!user) throw new AppError('ERR_AUTH_REQUIRED', 'sign-in needed');
    if (!hasRole(user, 'form-administrator'))
      throw new AppError('ERR_AUTH_FORBIDDEN', 'not a form administrator');
    return user;
  }

  /** The form's draft, or a 404 when it has none. */
  async draftOf(formId: string): Promise<StoredVersion & { definition: RawFormDefinition }> {
    const draft = await this.formVersions.draft(formId);
    if (!draft) throw new AppError('ERR_FORM_VERSION_NOT_FOUND', 'no draft of this form');
    return draft as StoredVersion & { definition: RawFormDefinition };
  }

  /** A numbered version, or a 404. */
  async versionOf(store: DefinitionVersionStore, id: string, number: string) {
    const found = /^[1-9][0-9]{0,8}$/.test(number)
      ? await store.byNumber(id, Number(number))
      : undefined;
    if (!found) throw new AppError('ERR_FORM_VERSION_NOT_FOUND', 'no such version');
    return found;
  }

  /** Writes an audit event for a change to a definition, in the transaction making it. */
  async audit(
    q: Queryable,
    user: SessionUser,
    action: string,
    subject: { type: 'form-definition' | 'workflow-definition'; id: string },
    details: Record<string, unknown>,
  ): Promise<void> {
    await recordAudit(q, {
      actorType: 'user',
      actorId: user.id,
      action,
      subjectType: subject.type,
      subjectId: subject.id,
      organisationId: user.organisationId,
      details,
    });
  }
}

/** The first value of a posted field, trimmed. */
export function fieldOf(req: Request, name: string): string {
  return (req.formBody?.get(name)?.[0] ?? '').trim();
}

/** `12 March 2026 at 14:05`. */
export function formatWhen(date: Date | null): string {
  if (!date) return '';
  return date.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/London',
  });
}

/** A short, id-only account of a change for the audit trail. */
export function summariseDiff(diff: VersionDiff) {
  return {
    pages: diff.pages,
    questions: diff.questions.map((question) => ({
      change: question.change,
      pointer: question.pointer,
      details: question.details,
    })),
    settings: diff.settings,
  };
}

const notices: Record<string, (n: string) => string> = {
  discarded: () => 'The draft was discarded',
  published: (n) => `Version ${n} is published`,
  'rolled-back': (n) => `Version ${n} is published again`,
};

/** The success message a redirect asked for (`?notice=published-4`). */
export function noticeOf(req: Request): string | undefined {
  const notice = typeof req.query.notice === 'string' ? req.query.notice : '';
  const [, key = '', n = ''] = /^([a-z-]+?)(?:-(\d+))?$/.exec(notice) ?? [];
  return notices[key]?.(n);
}
