import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ComponentCall } from '../../../src/forms/field.js';

interface MacroOption {
  name: string;
  type: string;
  required: boolean;
  params?: MacroOption[];
}

const require = createRequire(import.meta.url);
const componentsDir = path.join(
  path.dirname(require.resolve('govuk-frontend/package.json')),
  'dist/govuk/components',
);

function optionsOf(component: string): MacroOption[] {
  const file = path.join(componentsDir, component, 'macro-options.json');
  return JSON.parse(readFileSync(file, 'utf8')) as MacroOption[];
}

function check(where: string, value: Record<string, unknown>, options: MacroOption[]): void {
  for (const [key, entry] of Object.entries(value)) {
    const option = options.find((candidate) => candidate.name === key);
    assert.ok(option, `${where}.${key} is not a GOV.UK macro option`);
    if (option.type === 'string')
      assert.equal(typeof entry, 'string', `${where}.${key} is a string`);
    if (option.type === 'boolean')
      assert.equal(typeof entry, 'boolean', `${where}.${key} is a boolean`);
    if (option.type === 'array') assert.ok(Array.isArray(entry), `${where}.${key} is an array`);
    if (option.params && option.type === 'array' && Array.isArray(entry)) {
      entry.forEach((item: Record<string, unknown>, index) => {
        check(`${where}.${key}[${index}]`, item, option.params ?? []);
      });
    } else if (option.params && option.type === 'object') {
      check(`${where}.${key}`, entry as Record<string, unknown>, option.params);
    }
  }
}

/** Fails unless every param is one of the GOV.UK macro's options, of the right type, and required ones are there. */
export function assertMacroOptions(call: ComponentCall): void {
  const options = optionsOf(call.component);
  check(call.component, call.params, options);
  for (const option of options) {
    if (!option.required) continue;
    if (call.component === 'character-count' && option.name === 'maxwords') continue;
    assert.ok(option.name in call.params, `${call.component}.${option.name} is required`);
  }
}
