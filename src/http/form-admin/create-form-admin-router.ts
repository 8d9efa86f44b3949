import { Router } from 'express';
import { FormAdminContext, type FormAdminOptions } from './form-admin-context.js';
import { createFormAdminRouter } from './form-admin-router.js';
import { createFormPagesRouter } from './form-pages-router.js';
import { createFormPublishRouter } from './form-publish-router.js';
import { createFormPreviewRouter } from './form-preview-router.js';
import { createFormStructureRouter } from './form-structure-router.js';
import { createWorkflowAdminRouter } from './workflow-admin-router.js';
import { declareAccess, type RouteAccess } from '../route-access.js';

/** Who may use each route (checked by the route × role test): form administrators only. */
export const formAdminAccess: readonly RouteAccess[] = [
  { method: 'GET', path: '/admin/forms', allow: ['form-administrator'] },
  { method: 'GET', path: '/admin/forms/:formId', allow: ['form-administrator'] },
  { method: 'POST', path: '/admin/forms/:formId/draft', allow: ['form-administrator'] },
  { method: 'POST', path: '/admin/forms/:formId/draft/discard', allow: ['form-administrator'] },
  { method: 'GET', path: '/admin/forms/:formId/draft/json', allow: ['form-administrator'] },
  { method: 'POST', path: '/admin/forms/:formId/draft/json', allow: ['form-administrator'] },
  { method: 'GET', path: '/admin/forms/:formId/compare', allow: ['form-administrator'] },
  {
    method: 'GET',
    path: '/admin/forms/:formId/versions/:number/export',
    allow: ['form-administrator'],
  },
  { method: 'GET', path: '/admin/forms/:formId/draft/export', allow: ['form-administrator'] },
  { method: 'POST', path: '/admin/forms/import', allow: ['form-administrator'] },
  { method: 'GET', path: '/admin/forms/:formId/draft/pages/new', allow: ['form-administrator'] },
  { method: 'POST', path: '/admin/forms/:formId/draft/pages', allow: ['form-administrator'] },
  {
    method: 'GET',
    path: '/admin/forms/:formId/draft/pages/:pageId',
    allow: ['form-administrator'],
  },
  {
    method: 'POST',
    path: '/admin/forms/:formId/draft/pages/:pageId',
    allow: ['form-administrator'],
  },
  {
    method: 'POST',
    path: '/admin/forms/:formId/draft/pages/:pageId/remove',
    allow: ['form-administrator'],
  },
  {
    method: 'POST',
    path: '/admin/forms/:formId/draft/pages/:pageId/move',
    allow: ['form-administrator'],
  },
  { method: 'GET', path: '/admin/forms/:formId/draft/preview', allow: ['form-administrator'] },
  {
    method: 'GET',
    path: '/admin/forms/:formId/draft/preview/check-answers',
    allow: ['form-administrator'],
  },
  {
    method: 'POST',
    path: '/admin/forms/:formId/draft/preview/check-answers',
    allow: ['form-administrator'],
  },
  {
    method: 'GET',
    path: '/admin/forms/:formId/draft/preview/:pageId',
    allow: ['form-administrator'],
  },
  {
    method: 'POST',
    path: '/admin/forms/:formId/draft/preview/:pageId',
    allow: ['form-administrator'],
  },
  { method: 'GET', path: '/admin/forms/:formId/draft/publish', allow: ['form-administrator'] },
  { method: 'POST', path: '/admin/forms/:formId/draft/publish', allow: ['form-administrator'] },
  {
    method: 'POST',
    path: '/admin/forms/:formId/versions/:number/rollback',
    allow: ['form-administrator'],
  },
  { method: 'GET', path: '/admin/forms/:formId/draft', allow: ['form-administrator'] },
  {
    method: 'GET',
    path: '/admin/forms/:formId/draft/pages/:pageId/questions/new',
    allow: ['form-administrator'],
  },
  {
    method: 'POST',
    path: '/admin/forms/:formId/draft/pages/:pageId/questions',
    allow: ['form-administrator'],
  },
  { method: 'GET', path: '/admin/forms/:formId/draft/question', allow: ['form-administrator'] },
  { method: 'POST', path: '/admin/forms/:formId/draft/question', allow: ['form-administrator'] },
  {
    method: 'POST',
    path: '/admin/forms/:formId/draft/question/remove',
    allow: ['form-administrator'],
  },
  {
    method: 'POST',
    path: '/admin/forms/:formId/draft/question/move',
    allow: ['form-administrator'],
  },
  { method: 'GET', path: '/admin/workflows', allow: ['form-administrator'] },
  { method: 'GET', path: '/admin/workflows/:workflowId', allow: ['form-administrator'] },
  { method: 'POST', path: '/admin/workflows/:workflowId/draft/new', allow: ['form-administrator'] },
  { method: 'GET', path: '/admin/workflows/:workflowId/draft', allow: ['form-administrator'] },
  { method: 'POST', path: '/admin/workflows/:workflowId/draft', allow: ['form-administrator'] },
  {
    method: 'GET',
    path: '/admin/workflows/:workflowId/versions/:number/export',
    allow: ['form-administrator'],
  },
  {
    method: 'POST',
    path: '/admin/workflows/:workflowId/versions/:number/rollback',
    allow: ['form-administrator'],
  },
];

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
  return declareAccess(router, formAdminAccess);
}
