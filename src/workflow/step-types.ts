import { awaitDecision } from '../steps/await-decision.js';
import { awaitResponses } from '../steps/await-responses.js';
import { fileDocument } from '../steps/file-document.js';
import { notify } from '../steps/notify.js';
import { recordPlacement } from '../steps/record-placement.js';
import { renderPack } from '../steps/render-pack.js';
import { review } from '../steps/review.js';
import { route } from '../steps/route.js';
import { sendEmail } from '../steps/send-email.js';
import { setStatus } from '../steps/set-status.js';
import type { StepType } from './step-type.js';

/** Every step type, by the `type` a workflow file names it with. */
export const stepTypes: ReadonlyMap<string, StepType<never>> = new Map(
  [
    route,
    review,
    renderPack,
    sendEmail,
    awaitResponses,
    awaitDecision,
    fileDocument,
    notify,
    setStatus,
    recordPlacement,
  ].map((type) => [type.type, type as unknown as StepType<never>]),
);
