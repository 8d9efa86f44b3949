import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ejs from 'ejs';
import { AppError } from '../errors/app-error.js';
import {
  capitalize,
  escapeHtml,
  isIn,
  isMapping,
  lengthOf,
  renderAttributes,
  renderClasses,
  renderContent,
  renderI18nAttributes,
} from './component-helpers.js';
import { renderGovukLogo } from './component-logo.js';

/** The options object of a GOV.UK Frontend macro (same names and meaning as the Nunjucks macro). */
export type ComponentParams = Record<string, unknown>;

/** Renders one GOV.UK component by name (`'radios'`, `'date-input'`, …) to an HTML string. */
export type RenderComponent = (name: string, params?: ComponentParams) => string;

/** The helper bag every component template receives as the `h` local. */
export const templateHelpers = Object.freeze({
  escape: escapeHtml,
  attrs: renderAttributes,
  i18n: renderI18nAttributes,
  content: renderContent,
  cls: renderClasses,
  len: lengthOf,
  isIn,
  isMapping,
  capitalize,
  logo: renderGovukLogo,
});

/** Type of the `h` local. */
export type TemplateHelpers = typeof templateHelpers;

interface ComponentLocals {
  params: ComponentParams;
  component: RenderComponent;
  h: TemplateHelpers;
}

type CompiledComponent = (locals: ComponentLocals) => string;

/** Options for {@link createComponentRenderer}. */
export interface ComponentRendererOptions {
  /** Keep EJS line tracking for readable template errors (slower; for development). */
  debug?: boolean;
}

const componentNamePattern = /^[a-z][a-z0-9-]*$/;

/**
 * Creates a renderer for the EJS components in `viewsDir` (`<viewsDir>/<name>.ejs`). Each
 * template is read and compiled once, on first use, and cached; nested components go through the
 * same cache, so a render never touches the filesystem after warm-up.
 */
export function createComponentRenderer(
  viewsDir: string,
  options: ComponentRendererOptions = {},
): RenderComponent {
  const compiled = new Map<string, CompiledComponent>();

  function load(name: string): CompiledComponent {
    const filename = path.join(viewsDir, name + '.ejs');
    if (!componentNamePattern.test(name) || !existsSync(filename)) {
      throw new AppError('ERR_RENDER_COMPONENT_NOT_FOUND', `No component template "${name}"`, {
        details: { component: name },
      });
    }
    const compileOptions = {
      filename,
      strict: true,
      _with: false,
      destructuredLocals: ['params', 'component', 'h'],
      compileDebug: options.debug === true,
      // Locals are built here, never from user input, so EJS need not copy them per call.
      unsafePrototypeLocals: true,
    };
    const template = ejs.compile(readFileSync(filename, 'utf8'), compileOptions);
    const fn: CompiledComponent = (locals) => template(locals);
    compiled.set(name, fn);
    return fn;
  }

  const render: RenderComponent = (name, params) => {
    const fn = compiled.get(name) ?? load(name);
    return fn({ params: params ?? {}, component: render, h: templateHelpers });
  };
  return render;
}

/** The repository's own `views/components` folder. */
export const defaultComponentsDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../views/components',
);

let defaultRenderer: RenderComponent | undefined;

/**
 * Renders a component from `views/components` with a shared, lazily created renderer.
 *
 * @example renderComponent('input', { name: 'email', label: { text: 'Email address' } })
 */
export function renderComponent(name: string, params?: ComponentParams): string {
  defaultRenderer ??= createComponentRenderer(defaultComponentsDir);
  return defaultRenderer(name, params);
}
