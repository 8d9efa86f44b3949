import { Router, type NextFunction, type Request, type Response } from 'express';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { createCoordinatorRouter } from './coordinator/coordinator-router.js';
import { createHomesDirectoryRouter } from './directory/homes-directory-router.js';
import { createHomesRouter } from './homes/homes-router.js';
import { createReferrerRouter } from './referrer/referrer-router.js';
import { createVacanciesRouter } from './vacancies/vacancies-router.js';
import { ReferralPages } from './workflow-pages/referral-pages.js';
import type { WorkflowRouterOptions } from './workflow-pages/workflow-page-options.js';
import { toBullBoardRouter } from './bull-board-router.js';
import { declareAccess, type RouteAccess } from './route-access.js';

export type { WorkflowRouterOptions } from './workflow-pages/workflow-page-options.js';
export { isCoordinator } from './is-coordinator.js';

/** Who may use each route (checked by the route × role test). */
export const workflowAccess: readonly RouteAccess[] = [
  { method: 'GET', path: '/admin/queues', allow: ['coordinator'], mount: true },
];

/**
 * The workflow's web pages, one router per audience: the coordinator (`/coordinator`), the
 * homes (`/homes/respond/{token}`), the referrer (`/referrals/{reference}`), the vacancy links
 * (`/vacancies/{token}`), and bull-board (`/admin/queues`) for coordinators.
 */
export function createWorkflowRouter(options: WorkflowRouterOptions): Router {
  const shared = new ReferralPages(options);
  const router = Router();
  router.use(createCoordinatorRouter(shared));
  router.use(createHomesDirectoryRouter(shared));
  router.use(createHomesRouter(shared));
  router.use(createReferrerRouter(shared));
  router.use(createVacanciesRouter(shared));

  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Formwork queues' } },
  });
  router.use(
    '/admin/queues',
    (req: Request, res: Response, next: NextFunction) => {
      shared.requireCoordinator(req);
      // bull-board's page carries inline styles and a JSON config block; this relaxed policy
      // applies to its own path only, every other page keeps the strict one.
      res.setHeader(
        'Content-Security-Policy',
        [
          "default-src 'self'",
          "script-src 'self'",
          "style-src 'self' 'unsafe-inline'",
          "font-src 'self'",
          "img-src 'self' data:",
          "connect-src 'self'",
          "form-action 'self'",
          "frame-ancestors 'none'",
          "base-uri 'self'",
          "object-src 'none'",
        ].join('; '),
      );
      next();
    },
    toBullBoardRouter(board),
  );

  return declareAccess(router, workflowAccess);
}
