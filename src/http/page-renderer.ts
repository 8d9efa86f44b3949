import type { Request, Response } from 'express';
import { hasRole, type RoleGrant } from '../auth/roles.js';
import type { RenderComponent } from '../render/view-renderer.js';
import { ViewRenderer } from '../render/view-renderer.js';

/** Renders whole pages for a request: adds the CSRF token, navigation and footer. */
export interface PageRenderer {
  readonly component: RenderComponent;
  render(req: Request, res: Response, view: string, fields: PageFields): void;
}

/** A page's own fields; `title` is the page's `<title>` and usually its heading. */
export interface PageFields {
  title: string;
  errors?: readonly unknown[];
  backLink?: string | undefined;
  form?: { id: string; title: string; privacyNotice?: unknown };
  [key: string]: unknown;
}

/** Builds the PageRenderer over compiled views. */
export function createPageRenderer(options: {
  viewsDir: string;
  component: RenderComponent;
  serviceName: string;
}): PageRenderer {
  const views = new ViewRenderer(options.viewsDir, options.component);
  return {
    component: options.component,
    render(req, res, view, fields) {
      const user = req.session?.user;
      const form = fields.form;
      const navigation: Record<string, unknown> = {
        serviceName: form?.title ?? options.serviceName,
        serviceUrl: form ? `/forms/${form.id}` : '/',
        navigation: user
          ? [
              ...(onlyHomeStaff(user)
                ? []
                : [{ href: '/my-forms', text: 'Your forms', active: view === 'my-forms' }]),
              ...(hasRole(user, 'home-staff')
                ? [
                    {
                      href: '/homes/requests',
                      text: 'Referrals sent to your home',
                      active: view.startsWith('homes/'),
                    },
                  ]
                : []),
              ...(hasRole(user, 'coordinator')
                ? [
                    {
                      href: '/coordinator',
                      text: 'Referrals',
                      active: view.startsWith('coordinator/'),
                    },
                    {
                      href: '/coordinator/directory',
                      text: 'Homes',
                      active: view.startsWith('directory/'),
                    },
                    { href: '/admin/queues', text: 'Queues' },
                  ]
                : []),
              ...(hasRole(user, 'analyst') || hasRole(user, 'hr-officer')
                ? [
                    {
                      href: '/statistics',
                      text: 'Workforce statistics',
                      active: view.startsWith('statistics/'),
                    },
                  ]
                : []),
              ...(hasRole(user, 'form-administrator')
                ? [
                    {
                      href: '/admin/forms',
                      text: 'Form editor',
                      active: view.startsWith('form-admin/'),
                    },
                  ]
                : []),
              { href: '/sign-out', text: 'Sign out' },
            ]
          : [],
      };
      const footerLinks = [{ href: '/accessibility', text: 'Accessibility statement' }];
      if (form?.privacyNotice)
        footerLinks.unshift({ href: `/forms/${form.id}/privacy`, text: 'Privacy notice' });
      const html = views.render(view, {
        ...fields,
        page: {
          title: fields.title,
          serviceName: form?.title ?? options.serviceName,
          errors: fields.errors ?? [],
          ...(fields.backLink ? { backLink: fields.backLink } : {}),
          navigation,
          footer: { meta: { items: footerLinks } },
        },
        csrfToken: res.locals.csrfToken as string | undefined,
      });
      res.type('html').send(html);
    },
  };
}

/** True for someone whose every role is at a secure home: they answer referrals, they fill in no forms. */
function onlyHomeStaff(user: { roles?: readonly RoleGrant[] | undefined }): boolean {
  const roles = user.roles ?? [];
  return roles.length > 0 && roles.every((grant) => grant.role === 'home-staff');
}
