import type { RouteOptions } from '../generated/workflows/step-options.js';
import { HomesStore, toDay } from '../workflow/homes-store.js';
import { readPointer } from '../workflow/read-pointer.js';
import type { StepType } from '../workflow/step-type.js';
import { decideRouting } from './route-rules.js';

const pointer = { type: 'string', pattern: '^(/[^/]+)+$' } as const;

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * `route`: chooses recipients from the homes directory by the rules the workflow lists, and
 * records why every home was chosen or excluded. Outcome `found` or `none`.
 */
export const route: StepType<RouteOptions> = {
  type: 'route',
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['rules', 'child'],
    properties: {
      rules: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { enum: ['vacancy-today', 'age-range', 'sex', 'needs', 'region-or-distance'] },
      },
      child: {
        description: 'Where in the submission each fact about the child is.',
        type: 'object',
        additionalProperties: false,
        properties: {
          dateOfBirth: pointer,
          sex: pointer,
          postcodeDistrict: pointer,
          preferredRegion: pointer,
          maxDistanceMiles: pointer,
        },
      },
      needs: {
        description: 'Need name → where its level is; a level in `needLevels` makes it a need.',
        type: 'object',
        additionalProperties: pointer,
      },
      needLevels: { type: 'array', items: { type: 'string' } },
      anyRegion: { description: 'The preferred-region answer meaning anywhere.', type: 'string' },
    },
  },
  outcomes: ['found', 'none'],
  formPointers(options) {
    return [
      ...Object.entries(options.child).map(([name, at]) => ({
        pointer: at,
        at: `/child/${name}`,
      })),
      ...Object.entries(options.needs ?? {}).map(([name, at]) => ({
        pointer: at,
        at: `/needs/${name}`,
      })),
    ];
  },
  async run({ services, submission, options }) {
    const data = submission.data;
    const read = (at: string | undefined) => (at === undefined ? undefined : readPointer(data, at));
    const levels = options.needLevels ?? ['low', 'medium', 'high'];
    const maxDistance = read(options.child.maxDistanceMiles);
    const homes = new HomesStore(services.db);
    const today = toDay(services.clock.now());
    const decisions = decideRouting({
      child: {
        dateOfBirth: asString(read(options.child.dateOfBirth)),
        sex: asString(read(options.child.sex)),
        postcodeDistrict: asString(read(options.child.postcodeDistrict)),
        preferredRegion: asString(read(options.child.preferredRegion)),
        maxDistanceMiles: typeof maxDistance === 'number' ? maxDistance : undefined,
        needs: Object.entries(options.needs ?? {})
          .filter(([, at]) => levels.includes(String(read(at))))
          .map(([name]) => name),
      },
      homes: await homes.list(),
      vacancies: await homes.vacancies(today),
      today,
      rules: options.rules,
      ...(options.anyRegion === undefined ? {} : { anyRegion: options.anyRegion }),
      distanceKm: services.distanceKm,
    });
    return {
      outcome: decisions.some((decision) => decision.chosen) ? 'found' : 'none',
      result: { decisions },
    };
  },
};
