import type { ExpressAdapter } from '@bull-board/express';
import ejs from 'ejs';
import type { Express } from 'express';

/**
 * bull-board's Express app, made fit to serve: no `X-Powered-By`, and its page without the
 * Google Fonts stylesheet it links (a third-party request from every coordinator's browser;
 * the page falls back to the system sans-serif).
 */
export function toBullBoardRouter(adapter: ExpressAdapter): Express {
  const app = adapter.getRouter() as Express;
  app.disable('x-powered-by');
  app.engine('ejs', (path, data, callback) => {
    ejs.renderFile(path, data as ejs.Data, {}, (error, html) => {
      if (error) {
        callback(error);
        return;
      }
      callback(null, stripThirdPartyFonts(html));
    });
  });
  return app;
}

/** Removes `<link>` tags that load from fonts.googleapis.com or fonts.gstatic.com. */
export function stripThirdPartyFonts(html: string): string {
  return html.replace(
    /<link\b[^>]*\bhref="https:\/\/fonts\.(?:googleapis|gstatic)\.com[^>]*>/gi,
    '',
  );
}
