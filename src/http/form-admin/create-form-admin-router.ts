import { Router } from 'express';
import { FormAdminContext, type FormAdminOptions } from './form-admin-context.js';
import { createFormAdminRouter } from './form-admin-router.js';
import { createFormPagesRouter } from './form-pages-router.js';
import { createFormPublishRouter } from './form-publish-router.js';
import { createFormPreviewRouter } from './form-preview-router.js';
import { createFormStructureRouter } from './form-structure-router.js';
import { createWorkflowAdminRouter } from './workflow-admin-router.js';

/**
 * Every page of the form administrators (`/admin/forms…`, `/admin/workflows…`): form
 * administrators only, each page checks the role itself.
 */
export function createFormAdminRoutes(options: FormAdminOptions): Router {
  const context = new FormAdminContext(options);
  const router = Router();
  router.use(createFormAdminRouter(context));
  router.use(createFormStructureRouter(context));
  router.use(createFormPagesRouter(context));
  router.use(createFormPublishRouter(context));
  router.use(createFormPreviewRouter(context));
  router.use(createWorkflowAdminRouter(context));
  return router;
}
