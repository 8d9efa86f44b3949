/* eslint-disable */
/**
 * Generated from the workflow meta-schema and the step types' options schemas by
 * src/workflow/generate-workflow-types.ts (`npm run gen:types`). Do not edit by hand.
 */

export type StepId = string;
/**
 * An ISO 8601 duration in weeks, days, hours or minutes: `P14D`, `PT12H`, `P2W`, `P1DT6H`.
 */
export type Duration = string;

/**
 * A workflow: the steps run for each submission of one form.
 */
export interface WorkflowDefinition {
  $schema?: string;
  /**
   * Used in logs and the database; `^[a-z][a-z0-9-]{1,62}$`.
   */
  id: string;
  title: string;
  description?: string;
  /**
   * The id of the form whose submissions start this workflow.
   */
  form: string;
  /**
   * A label; the stored version is this label plus a hash of the file.
   */
  version?: string;
  retry: RetryPolicy;
  start: StepId;
  /**
   * The step to go to when the referrer withdraws while the workflow runs.
   */
  onWithdraw?: string;
  /**
   * What the coordinator's console reads from each submission to sort and filter referrals: where the date the placement is needed by is, which answer names the referring authority, and which answer makes a referral an emergency.
   */
  console?: {
    /**
     * Pointer to a date (YYYY-MM-DD): the earliest comes first.
     */
    neededBy?: string;
    /**
     * Pointer to the referring authority's name.
     */
    authority?: string;
    /**
     * An emergency referral comes before every other.
     */
    emergency?: {
      pointer: string;
      equals: string;
    };
  };
  review?: ReviewDefinition;
  steps: {
    [k: string]: StepDefinition;
  };
}
/**
 * How often a failing step is tried, and the back-off between tries (doubled each time).
 */
export interface RetryPolicy {
  attempts: number;
  backoffSeconds: number;
}
/**
 * The periodic review (the secure welfare referral's three-monthly review): the referrer fills in the form again from a draft prefilled with the referral's answers, and the review is recorded against the referral and restarts the timers marked `restartOnReview`; it starts no second workflow.
 */
export interface ReviewDefinition {
  /**
   * What the referrer's button and the timeline call it.
   */
  title?: string;
  /**
   * Answers the review draft starts with, by pointer (the referral type, say).
   */
  set: {
    [k: string]: string;
  };
  /**
   * Pointer to the answer that holds the reviewed referral's reference.
   */
  reference: string;
  /**
   * Pointers to dates set to the day the review starts.
   */
  today?: string[];
  /**
   * Answers not carried into the review, to be given afresh (a declaration). Uploaded documents are never carried: the review's documents are its own.
   */
  askAgain?: string[];
}
/**
 * One step: exactly one of `next`, `on` or `end` says what follows it.
 */
export interface StepDefinition {
  type:
    | "route"
    | "review"
    | "render-pack"
    | "send-email"
    | "await-responses"
    | "await-decision"
    | "file-document"
    | "notify"
    | "set-status"
    | "record-placement";
  /**
   * What the step does, in words a coordinator or referrer reads on the timeline (never the step id).
   */
  title: string;
  /**
   * The step type's options, checked against that type's own schema.
   */
  options?: {
    [k: string]: unknown;
  };
  next?: StepId;
  /**
   * The next step for each outcome of this step.
   */
  on?: {
    [k: string]: StepId;
  };
  end?: true;
  timers?: StepTimer[];
}
/**
 * Fires while its step waits; cancelled when the step finishes first.
 */
export interface StepTimer {
  name: string;
  after: Duration;
  /**
   * `remind` the people the step waits for, `escalate` to the coordinator, or `expire` the step.
   */
  action: "remind" | "escalate" | "expire";
  /**
   * The email template used by `remind` and `escalate`.
   */
  template?: string;
  /**
   * Rescheduled from now whenever the referrer confirms the referral is still needed (a two-weekly update, or a three-monthly review, which says so too).
   */
  restartOnUpdate?: boolean;
  /**
   * Rescheduled from now whenever the referrer sends the three-monthly review, even after it fired.
   */
  restartOnReview?: boolean;
}
