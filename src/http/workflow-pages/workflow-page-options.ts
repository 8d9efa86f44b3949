import type { Queue } from 'bullmq';
import type { FormRegistry } from '../../forms/load-forms.js';
import type { Clock } from '../../ports/clock.js';
import type { DocumentStore } from '../../ports/document-store.js';
import type { Database } from '../../store/database.js';
import type { WorkflowRuntime } from '../../workflow/create-workflow-runtime.js';
import type { PageRenderer } from '../page-renderer.js';

/** What the workflow pages need. */
export interface WorkflowRouterOptions {
  db: Database;
  forms: FormRegistry;
  workflows: WorkflowRuntime;
  documents: DocumentStore;
  clock: Clock;
  pages: PageRenderer;
  /** Queues shown read-only on bull-board at `/admin/queues`. */
  queues: readonly Queue[];
  /** The service's address, for the vacancy links coordinators hand out. */
  publicUrl: string;
}
