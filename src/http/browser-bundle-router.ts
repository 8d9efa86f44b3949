import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Router } from 'express';
import { declareAccess, type RouteAccess } from './route-access.js';

/** Who may use each route (checked by the route × role test). */
export const browserBundleAccess: readonly RouteAccess[] = [
  { method: 'GET', path: '/assets/json-editor.js', allow: ['anyone'] },
];

const jsonEditorEntry = fileURLToPath(new URL('../browser/json-editor.js', import.meta.url));

let jsonEditorBundle: Promise<string> | undefined;

/**
 * The JSON editor's script and its CodeMirror packages as one ES module, bundled by esbuild on
 * first use and kept for the life of the process (about 0.4 s), so a fresh clone needs no build
 * step, like the TypeScript that tsx runs. A failed build is tried again on the next request.
 */
export function loadJsonEditorBundle(): Promise<string> {
  jsonEditorBundle ??= build({
    entryPoints: [jsonEditorEntry],
    bundle: true,
    write: false,
    format: 'esm',
    minify: true,
    target: 'es2020',
    logLevel: 'silent',
  }).then(
    (result) => result.outputFiles[0]?.text ?? '',
    (error: unknown) => {
      jsonEditorBundle = undefined;
      throw error;
    },
  );
  return jsonEditorBundle;
}

/** Serves the scripts bundled from src/browser/ under `/assets/`, cached as the static files are. */
export function createBrowserBundleRouter(): Router {
  const router = Router();
  router.get('/assets/json-editor.js', async (_req, res) => {
    const bundle = await loadJsonEditorBundle();
    res.type('text/javascript').set('Cache-Control', 'public, max-age=3600').send(bundle);
  });
  return declareAccess(router, browserBundleAccess);
}
