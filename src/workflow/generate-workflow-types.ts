import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { stepTypes } from './step-types.js';

/** Where the generated workflow types live. */
export const generatedWorkflowTypesDir = fileURLToPath(
  new URL('../generated/workflows/', import.meta.url),
);

const banner = `/* eslint-disable */
/**
 * Generated from the workflow meta-schema and the step types' options schemas by
 * src/workflow/generate-workflow-types.ts (\`npm run gen:types\`). Do not edit by hand.
 */`;

function toTypeName(type: string): string {
  return type.replace(/(^|-)([a-z])/g, (_, __: string, letter: string) => letter.toUpperCase());
}

/** The generated files and their content: the definition types and each step's options type. */
export async function generateWorkflowTypes(): Promise<{ file: string; content: string }[]> {
  const metaSchema = JSON.parse(
    await readFile(new URL('./workflow-definition.schema.json', import.meta.url), 'utf8'),
  ) as JSONSchema;
  const options = { bannerComment: banner, additionalProperties: false, format: true };
  const definition = await compile(metaSchema, 'WorkflowDefinition', options);
  const parts: string[] = [];
  for (const stepType of [...stepTypes.values()].sort((a, b) => a.type.localeCompare(b.type))) {
    const name = `${toTypeName(stepType.type)}Options`;
    const schema = { ...stepType.optionsSchema, title: name } as JSONSchema;
    parts.push(await compile(schema, name, { ...options, bannerComment: '' }));
  }
  return [
    { file: 'workflow-definition.ts', content: definition },
    { file: 'step-options.ts', content: `${banner}\n\n${parts.join('\n').trim()}\n` },
  ];
}

/** Writes the generated files (the `gen:types` command). */
export async function writeWorkflowTypes(): Promise<void> {
  await mkdir(generatedWorkflowTypesDir, { recursive: true });
  for (const { file, content } of await generateWorkflowTypes()) {
    await writeFile(new URL(file, `file://${generatedWorkflowTypesDir}`), content);
  }
}
