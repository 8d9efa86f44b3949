import type { Config } from '../../config/config.js';
import { AppError } from '../../errors/app-error.js';
import type { DocumentStore } from '../../ports/document-store.js';
import { FilesystemDocumentStore } from './filesystem-document-store.js';

/** The configured document store: encrypted files in `$DATA_DIR/dms` or a `file:///` DMS_URL. */
export function openDocumentStore(config: Pick<Config, 'dms' | 'keys'>): DocumentStore {
  if (config.dms.kind === 'webdav') {
    throw new AppError(
      'ERR_CONFIG_INVALID',
      'Configuration: DMS_URL webdav:// is not supported yet; use file:///path.',
    );
  }
  return new FilesystemDocumentStore({
    dir: config.dms.dir,
    key: Buffer.from(config.keys.dataKey, 'base64'),
  });
}
