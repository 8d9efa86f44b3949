import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isAppError } from '../../src/errors/app-error.js';
import { createComponentRenderer, defaultComponentsDir } from '../../src/render/components.js';

interface Fixture {
  name: string;
  options: Record<string, unknown>;
  html: string;
}

const require = createRequire(import.meta.url);
const componentsRoot = path.join(
  path.dirname(require.resolve('govuk-frontend/package.json')),
  'dist/govuk/components',
);

/**
 * Every component govuk-frontend ships, read from its folders, so a component added by an upgrade
 * fails here until it is ported. No fixture is excluded.
 */
const componentNames = readdirSync(componentsRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function loadFixtures(component: string): Fixture[] {
  const file = path.join(componentsRoot, component, 'fixtures.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { fixtures: Fixture[] }).fixtures;
}

const namedEntities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '\u00a9',
  pound: '\u00a3',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X'))
      return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    return namedEntities[body] ?? whole;
  });
}

function encode(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const tagPattern = /^<(\/?)([a-zA-Z][\w:-]*)/;
const attributePattern = /^\s*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/;

/**
 * Canonical form of an HTML fragment, one token a line: comments dropped, whitespace collapsed,
 * whitespace-only text ignored, attributes decoded, sorted and re-encoded, a valueless attribute
 * treated as `=""`, class lists collapsed.
 */
function normaliseHtml(html: string): string {
  const out: string[] = [];
  let i = 0;
  const pushText = (raw: string): void => {
    const text = decodeEntities(raw).replace(/\s+/g, ' ').trim();
    if (text !== '') out.push(encode(text));
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      pushText(html.slice(i));
      break;
    }
    pushText(html.slice(i, lt));
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt);
      i = end === -1 ? html.length : end + 3;
      continue;
    }
    const match = tagPattern.exec(html.slice(lt));
    if (!match) {
      pushText('<');
      i = lt + 1;
      continue;
    }
    const closing = match[1] === '/';
    const tagName = match[2]!.toLowerCase();
    let rest = html.slice(lt + match[0].length);
    let consumed = lt + match[0].length;
    const attributes: string[] = [];
    for (;;) {
      const attribute = attributePattern.exec(rest);
      if (!attribute) break;
      const name = attribute[1]!.toLowerCase();
      let value = decodeEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? '');
      if (name === 'class') value = value.replace(/\s+/g, ' ').trim();
      attributes.push(`${name}="${encode(value)}"`);
      rest = rest.slice(attribute[0].length);
      consumed += attribute[0].length;
    }
    const end = html.indexOf('>', consumed);
    i = end === -1 ? html.length : end + 1;
    attributes.sort();
    out.push(`<${closing ? '/' : ''}${tagName}${attributes.map((a) => ' ' + a).join('')}>`);
  }
  return out.join('\n');
}

const renderComponent = createComponentRenderer(defaultComponentsDir);

describe('GOV.UK components', () => {
  it('has a template in views/components for every component govuk-frontend ships', () => {
    const missing = componentNames.filter(
      (name) => !existsSync(path.join(defaultComponentsDir, name + '.ejs')),
    );
    assert.deepEqual(missing, []);
    assert.ok(
      componentNames.length >= 39,
      `only ${String(componentNames.length)} components found`,
    );
  });

  for (const component of componentNames) {
    describe(component, () => {
      for (const fixture of loadFixtures(component)) {
        it(`${component}: ${fixture.name}`, () => {
          const actual = renderComponent(component, fixture.options);
          assert.equal(normaliseHtml(actual), normaliseHtml(fixture.html));
        });
      }
    });
  }

  describe('the renderer', () => {
    it('throws ERR_RENDER_COMPONENT_NOT_FOUND for an unknown component', () => {
      assert.throws(
        () => renderComponent('no-such-thing', {}),
        (error: unknown) => isAppError(error) && error.code === 'ERR_RENDER_COMPONENT_NOT_FOUND',
      );
    });

    it('refuses a name that tries to leave the components folder', () => {
      assert.throws(
        () => renderComponent('../layout', {}),
        (error: unknown) => isAppError(error) && error.code === 'ERR_RENDER_COMPONENT_NOT_FOUND',
      );
    });

    it('escapes text but keeps html raw', () => {
      const html = renderComponent('hint', { text: '<b>Tom & "Jerry"</b>' });
      assert.match(html, /&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;\/b&gt;/);
      assert.match(renderComponent('hint', { html: '<b>bold</b>' }), /<b>bold<\/b>/);
    });

    it('reads and compiles each template once, nested components included', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'formwork-components-'));
      try {
        writeFileSync(
          path.join(dir, 'outer.ejs'),
          "<p><%- component('inner', { text: params.text }) %></p>",
        );
        writeFileSync(path.join(dir, 'inner.ejs'), '<b><%= params.text %></b>');
        const render = createComponentRenderer(dir);
        assert.equal(render('outer', { text: 'one' }), '<p><b>one</b></p>');
        writeFileSync(path.join(dir, 'inner.ejs'), '<i>changed</i>');
        rmSync(path.join(dir, 'outer.ejs'));
        assert.equal(render('outer', { text: 'two' }), '<p><b>two</b></p>');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('renders with no params at all', () => {
      assert.match(renderComponent('back-link'), /href="#"[^>]*>Back<\/a>/);
    });
  });
});
