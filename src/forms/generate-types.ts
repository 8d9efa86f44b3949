import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compile } from 'json-schema-to-typescript';
import type { FormRegistry } from './load-forms.js';
import { toTypeSchema } from './to-type-schema.js';

/** `secure-welfare-referral` → `SecureWelfareReferralAnswers`. */
export function toTypeName(formId: string): string {
  return (
    formId
      .split('-')
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join('') + 'Answers'
  );
}

/** The TypeScript source of one form's answers type. */
export async function generateFormType(
  formId: string,
  schema: Record<string, unknown>,
): Promise<string> {
  const typeSchema = { ...toTypeSchema(schema), title: toTypeName(formId) };
  return compile(typeSchema, toTypeName(formId), {
    bannerComment: `/* Generated from forms/${formId}.json by \`npm run gen:types\`. Do not edit. */`,
    additionalProperties: false,
    strictIndexSignatures: true,
    unknownAny: true,
    style: { singleQuote: true, printWidth: 100, trailingComma: 'all' },
  });
}

/**
 * Writes `<outDir>/<form id>.ts` for every form in the registry (answers types generated from
 * each form's schema) and removes files of forms that no longer exist.
 */
export async function generateFormTypes(registry: FormRegistry, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const form of registry.list()) {
    const file = join(outDir, `${form.definition.id}.ts`);
    await writeFile(file, await generateFormType(form.definition.id, form.definition.schema));
    written.push(file);
  }
  const wanted = new Set(registry.list().map((form) => `${form.definition.id}.ts`));
  for (const name of await readdir(outDir)) {
    if (name.endsWith('.ts') && !wanted.has(name)) await rm(join(outDir, name));
  }
  return written;
}
