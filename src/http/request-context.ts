import type { RoleGrant } from '../auth/roles.js';
import type { FormBody } from '../forms/form-body.js';

/** The signed-in person, if any. */
export interface SessionUser {
  id: string;
  email: string;
  organisationId: string;
  /** The roles held, read from the database with the session (see src/auth/roles.ts). */
  roles?: readonly RoleGrant[];
}

/**
 * The server-side session of one browser: kept in the database so it survives a restart.
 * The cookie holds a random id; the database holds only its hash.
 */
export interface Session {
  idHash: string;
  user: SessionUser | undefined;
  csrfToken: string;
  /** Small values for this browser (e.g. where to go after sign-in). No personal data. */
  data: Record<string, unknown>;
}

/** A file received in a multipart request, streamed to a temporary file not yet checked. */
export interface UploadedFile {
  field: string;
  filename: string;
  /** The temporary file, removed when the response ends. */
  path: string;
  /** Bytes received (at most one past the page's limit when `tooLarge`). */
  sizeBytes: number;
  /** True when the file was cut off at the page's per-file limit. */
  tooLarge: boolean;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own augmentation point
  namespace Express {
    interface Request {
      /** Set by the session middleware on every browser route. */
      session?: Session;
      /** Set by the body middleware for urlencoded and multipart posts. */
      formBody?: FormBody;
      /** Set by the body middleware for multipart posts. */
      uploads?: UploadedFile[];
      /** Set by the API token middleware. */
      apiToken?: { id: string; name: string; organisationId: string; formIds: string[] | null };
    }
  }
}
