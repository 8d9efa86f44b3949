/* eslint-disable */
/**
 * Generated from the workflow meta-schema and the step types' options schemas by
 * src/workflow/generate-workflow-types.ts (`npm run gen:types`). Do not edit by hand.
 */

export interface AwaitDecisionOptions {
  /**
   * Where the referrer’s email address is in the submission.
   */
  referrerEmail: string;
}

export interface AwaitResponsesOptions {
  /**
   * The reasons a home may give.
   *
   * @minItems 1
   */
  declineReasons?: [string, ...string[]];
  /**
   * Pointer to the referrer's email address: they are told (no personal data, a link) when a home asks a question.
   */
  referrerEmail?: string;
}

export interface FileDocumentOptions {
  /**
   * @minItems 1
   */
  documents: [
    "submission" | "pack" | "attachments" | "responses",
    ...("submission" | "pack" | "attachments" | "responses")[]
  ];
  folder?: string;
  classification?: string;
}

export interface NotifyOptions {
  /**
   * Where the referrer’s email address is in the submission.
   */
  to: string;
  template?: string;
  /**
   * A sentence added below the status, the same for every referral (never personal data).
   */
  detail?: string;
  /**
   * Whether the email holds personal data (default: what the template declares). An uncertain send is retried only when it does not.
   */
  personalData?: boolean;
}

export interface RecordPlacementOptions {}

export interface RenderPackOptions {
  classification?: "OFFICIAL-SENSITIVE";
  packFormatVersion?: number;
}

export interface ReviewOptions {
  /**
   * The route step whose proposal is reviewed.
   */
  routeStep: string;
}

export interface RouteOptions {
  /**
   * @minItems 1
   */
  rules: [
    "vacancy-today" | "age-range" | "sex" | "needs" | "region-or-distance",
    ...("vacancy-today" | "age-range" | "sex" | "needs" | "region-or-distance")[]
  ];
  /**
   * Where in the submission each fact about the child is.
   */
  child: {
    dateOfBirth?: string;
    sex?: string;
    postcodeDistrict?: string;
    preferredRegion?: string;
    maxDistanceMiles?: string;
  };
  /**
   * Need name → where its level is; a level in `needLevels` makes it a need.
   */
  needs?: {
    [k: string]: string;
  };
  needLevels?: string[];
  /**
   * The preferred-region answer meaning anywhere.
   */
  anyRegion?: string;
}

export interface SendEmailOptions {
  /**
   * `chosen-home`: the home whose offer was taken up; `other-homes`: every other home sent the referral; `more-homes`: the homes a coordinator approached after every earlier one declined.
   */
  to: "approved-homes" | "more-homes" | "other-homes" | "all-requested-homes" | "chosen-home" | "coordinator";
  template: string;
  /**
   * `home-response`: each home gets its own link to read the pack and answer.
   */
  link?: "home-response" | "none";
  /**
   * How long a link works when no `answerStep` gives the deadline.
   */
  linkValidDays?: number;
  /**
   * The waiting step whose timers give the homes their deadline (`expire`) and reminder (`remind`); the link works until that deadline.
   */
  answerStep?: string;
  attachPack?: boolean;
  /**
   * Whether the emails hold personal data (default: what the template declares). An uncertain send is retried only when they do not.
   */
  personalData?: boolean;
}

export interface SetStatusOptions {
  status: "submitted" | "searching" | "offered" | "placed" | "withdrawn" | "ceased" | "alternative placement";
}
