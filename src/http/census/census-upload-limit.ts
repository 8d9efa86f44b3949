import type { Request } from 'express';

/** The largest census CSV taken: 50,000 workers are about 7 MB. */
export const censusUploadBytes = 20 * 1024 * 1024;

const uploadPath = /^\/census\/\d{3}\/\d{4}\/upload$/;

/** For the multipart middleware: the census upload's file limit, when the URL is that page. */
export function censusUploadLimitFor(req: Request): number | undefined {
  return req.method === 'POST' && uploadPath.test(req.path) ? censusUploadBytes : undefined;
}
