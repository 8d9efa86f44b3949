import type { FormRegistry } from '../forms/load-forms.js';
import type { Clock } from '../ports/clock.js';
import type { DocumentStore } from '../ports/document-store.js';
import type { Mailer } from '../ports/mailer.js';
import type { ReferralPackInput } from '../pack/referral-pack-input.js';
import type { Database, Queryable } from '../store/database.js';
import type { SideEffects } from './side-effects.js';
import type { StepDefinition, WorkflowDefinition } from './workflow-definition.js';

/** Renders a named email template (src/render/email-renderer.ts). */
export type RenderEmail = (
  name: string,
  locals: Record<string, unknown>,
) => { subject: string; text: string; html?: string };

/** Renders a referral pack PDF. */
export type RenderPack = (input: ReferralPackInput) => Promise<Buffer>;

/** Kilometres from a postcode district to a home, or undefined when either is unknown. */
export type DistanceKm = (postcodeDistrict: string, homeId: string) => number | undefined;

/** The adapters and helpers every step may use. Built once by the runtime. */
export interface StepServices {
  db: Database;
  clock: Clock;
  mailer: Mailer;
  documents: DocumentStore;
  forms: FormRegistry;
  renderEmail: RenderEmail;
  renderPack: RenderPack;
  distanceKm: DistanceKm;
  effects: SideEffects;
  /** Where links in emails point (`https://formwork.example.gov.uk`). */
  publicUrl: string;
  /**
   * The coordinators told about escalations: the users holding the coordinator role, read
   * when the email is sent. `key` is stable per person, so a retry never mails someone twice.
   */
  coordinators(): Promise<readonly { key: string; email: string }[]>;
  /**
   * Derives each home's link token from its email's side-effect key (HMAC), so a resend
   * carries the same working link as the first send. Secret: the session secret.
   */
  linkSecret: string;
}

/** A workflow instance as steps see it: ids and small values, no answers. */
export interface InstanceRecord {
  id: string;
  submissionId: string;
  workflowId: string;
  workflowVersion: string;
  state: string;
  status: string;
  currentStep: string | null;
  currentSeq: number;
  context: Record<string, unknown>;
  organisationId: string;
  retainUntil: string;
}

/** The submission that started the instance. */
export interface SubmissionSnapshot {
  id: string;
  reference: string;
  formId: string;
  formVersion: string;
  data: Record<string, unknown>;
  organisationId: string;
  retainUntil: string;
  submittedAt: Date;
}

/** One run of one step. */
export interface StepRunRecord {
  id: string;
  seq: number;
  stepId: string;
  type: string;
  state: string;
  attempt: number;
  outcome: string | null;
  result: Record<string, unknown>;
}

/** Everything a step's `run` is given. */
export interface StepContext<Options> {
  services: StepServices;
  workflow: WorkflowDefinition;
  instance: InstanceRecord;
  submission: SubmissionSnapshot;
  run: StepRunRecord;
  step: StepDefinition;
  options: Options;
}

/** What a step's `run` returns. */
export interface StepResult {
  /** Picks the transition in `on`; default `done`. */
  outcome?: string;
  /** Stored on the step run (ids and reasons, not answers). */
  result?: Record<string, unknown>;
  /** The step now waits for a person or a timer; it holds no job while it waits. */
  wait?: boolean;
  /** Merged into the instance's context. */
  context?: Record<string, unknown>;
  /** Moves the referral to this state (DOMAIN.md). */
  status?: string;
  /** Runs inside the transaction that records the result (task rows, counters). */
  commit?: (tx: Queryable) => Promise<void>;
}

/** What a waiting step says when it is woken (an answer or decision was recorded). */
export interface ResumeResult {
  /** Ends the wait with this outcome; absent: the step keeps waiting. */
  outcome?: string;
  result?: Record<string, unknown>;
  status?: string;
  context?: Record<string, unknown>;
}

/** Something wrong with a step's options that only the whole definition shows. */
export interface StepProblem {
  /** JSON pointer below the step's `options`. */
  at: string;
  message: string;
}

/** Someone a reminder goes to. */
export interface ReminderRecipient {
  key: string;
  to: string;
  locals: Record<string, unknown>;
  audit: Record<string, unknown>;
}

/**
 * A step type: one file in src/steps/, with the JSON Schema of its options. Steps may be run
 * more than once (a retry after a crash), so everything they write is idempotent and every
 * email or filing goes through {@link SideEffects}.
 */
export interface StepType<Options = Record<string, unknown>> {
  readonly type: string;
  /** JSON Schema 2020-12 for the step's `options`. */
  readonly optionsSchema: Record<string, unknown>;
  /** Every outcome `run` (or `expire`) can return; `on` must name only these. */
  readonly outcomes: readonly string[];
  /**
   * Outcomes a workflow may leave out of `on`: each comes from a person's action, and that
   * action is offered only where the workflow says where the outcome goes.
   */
  readonly optionalOutcomes?: readonly string[];
  /** Data pointers into the form the options name, each with where it is in the options. */
  formPointers(options: Options): { pointer: string; at: string }[];
  run(context: StepContext<Options>): Promise<StepResult>;
  /** For waiting steps: the deadline passed. Runs in the transaction that ends the wait. */
  expire?(
    context: StepContext<Options>,
    tx: Queryable,
  ): Promise<{ outcome: string; result?: Record<string, unknown>; status?: string }>;
  /** For waiting steps: who a `remind` timer emails. */
  reminderRecipients?(context: StepContext<Options>): Promise<ReminderRecipient[]>;
  /**
   * For waiting steps: something the step waits for was recorded (a job on the
   * `workflow.wake` topic, written in the same transaction). Runs in the transaction that
   * would end the wait, with the step run locked.
   */
  resume?(context: StepContext<Options>, tx: Queryable): Promise<ResumeResult>;
  /** For waiting steps: what it waits for, in words ("Waiting for 3 homes to answer"). */
  describeWait?(context: StepContext<Options>): Promise<string>;
  /** Checks beyond the options schema that need the whole definition (checked at load). */
  checkOptions?(options: Options, workflow: WorkflowDefinition): StepProblem[];
}
