import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ejs from 'ejs';

/** Renders one GOV.UK component (`views/components/<name>.ejs`) with its macro options. */
export type RenderComponent = (name: string, params: Record<string, unknown>) => string;

/** What every page view gets besides its own fields. */
export interface PageViewModel {
  page: {
    title: string;
    serviceName: string;
    errors?: readonly unknown[];
    backLink?: string;
    navigation: Record<string, unknown>;
    footer: Record<string, unknown>;
  };
  csrfToken?: string;
  [key: string]: unknown;
}

type Template = (locals: Record<string, unknown>) => string;

/**
 * Renders pages: `views/pages/<name>.ejs` makes the main content, `views/layout.ejs` wraps it.
 * A page in a folder per audience is named with its folder (`coordinator/referral`).
 * Every template is compiled once at start-up; rendering does no file access.
 */
export class ViewRenderer {
  private readonly pages = new Map<string, Template>();
  private readonly layout: Template;

  constructor(
    viewsDir: string,
    private readonly component: RenderComponent,
  ) {
    this.layout = compile(join(viewsDir, 'layout.ejs'));
    const pagesDir = join(viewsDir, 'pages');
    for (const file of readdirSync(pagesDir, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ejs')) continue;
      const name = relative(pagesDir, join(pagesDir, file)).split(sep).join('/').slice(0, -4);
      this.pages.set(name, compile(join(pagesDir, file)));
    }
  }

  /** The whole HTML document for page `name`. */
  render(name: string, model: PageViewModel): string {
    const page = this.pages.get(name);
    if (!page) throw new Error(`no view named ${name}`);
    const locals = { ...model, component: this.component };
    return this.layout({ ...locals, content: page(locals) });
  }
}

function compile(filename: string): Template {
  return ejs.compile(readFileSync(filename, 'utf8'), {
    filename,
    _with: false,
    localsName: 'locals',
    destructuredLocals: ['page', 'component', 'content', 'csrfToken'],
    strict: true,
  });
}
