import type { Config } from '../../config/config.js';
import type { DocumentStore } from '../../ports/document-store.js';
import { FilesystemDocumentStore } from './filesystem-document-store.js';
import { WebdavDocumentStore } from './webdav-document-store.js';

/**
 * The configured document store: encrypted files in `$DATA_DIR/dms` or a `file:///` DMS_URL,
 * or a WebDAV server (`webdav://`, `webdavs://`: SharePoint, Alfresco). Content is encrypted
 * before it leaves the service either way.
 */
export function openDocumentStore(config: Pick<Config, 'dms' | 'keys'>): DocumentStore {
  const key = Buffer.from(config.keys.dataKey, 'base64');
  if (config.dms.kind === 'webdav') return new WebdavDocumentStore({ url: config.dms.url, key });
  return new FilesystemDocumentStore({ dir: config.dms.dir, key });
}
