import { readFile } from 'node:fs/promises';
import { validateXML } from 'xmllint-wasm';

let schema: Promise<string> | undefined;

/** The CSWW return's XSD (src/census/csww.xsd), read once. */
function readSchema(): Promise<string> {
  schema ??= readFile(new URL('./csww.xsd', import.meta.url), 'utf8');
  return schema;
}

/**
 * Validates a CSWW XML file against the return's XSD with libxml2 (compiled to WebAssembly, so
 * no system package is needed). Returns libxml2's messages, which name the line and element.
 */
export async function validateCswwXml(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({
    xml: { fileName: 'return.xml', contents: xml },
    schema: { fileName: 'csww.xsd', contents: await readSchema() },
    // a return of 10,000 workers is about 8 MB; the default 16 MiB of wasm memory is too tight
    maxMemoryPages: 4096,
  });
  return { valid: result.valid, errors: result.errors.map((error) => error.message) };
}
