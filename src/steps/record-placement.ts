import type { RecordPlacementOptions } from '../generated/workflows/step-options.js';
import { toDay } from '../workflow/homes-store.js';
import { PermanentStepError } from '../workflow/permanent-step-error.js';
import type { StepType } from '../workflow/step-type.js';

/**
 * `record-placement`: records the home the local authority chose and takes one from its
 * vacancies today; homes that had not answered stop being waited for. The decrement commits with the step's result, so it happens once.
 */
export const recordPlacement: StepType<RecordPlacementOptions> = {
  type: 'record-placement',
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  outcomes: ['done'],
  formPointers: () => [],
  run({ services, instance }) {
    const homeId = instance.context.chosenHomeId;
    if (typeof homeId !== 'string') return Promise.reject(new PermanentStepError('no chosen home'));
    const now = services.clock.now();
    return Promise.resolve({
      result: { homeId },
      context: { placedHomeId: homeId, placedAt: now.toISOString() },
      commit: async (tx) => {
        await tx.query(
          `UPDATE home_vacancies SET vacancies = vacancies - 1 WHERE home_id = $1 AND day = $2 AND vacancies > 0`,
          [homeId, toDay(now)],
        );
        await tx.query(
          `UPDATE workflow_home_requests SET state = 'placed' WHERE instance_id = $1 AND home_id = $2`,
          [instance.id, homeId],
        );
        // Homes still answering are no longer waited for; they are told by the outcome email.
        await tx.query(
          `UPDATE workflow_home_requests SET state = 'not-needed'
           WHERE instance_id = $1 AND home_id <> $2 AND state IN ('awaiting', 'more-information')`,
          [instance.id, homeId],
        );
      },
    });
  },
};
