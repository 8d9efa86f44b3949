/**
 * The one registry of error codes. Every AppError names a code from here; a test checks that
 * codes are unique and documented. `status` is the HTTP status the code maps to, `userMessage`
 * the text a person sees (never a stack trace, never internal detail).
 */
export const errorCodes = {
  ERR_CONFIG_INVALID: { status: 500, userMessage: 'The service is not configured correctly.' },
  ERR_FORM_DEFINITION_INVALID: {
    status: 500,
    userMessage: 'A form definition is not valid.',
  },
  ERR_FORM_NOT_FOUND: { status: 404, userMessage: 'Page not found.' },
  ERR_FORM_PAGE_NOT_FOUND: { status: 404, userMessage: 'Page not found.' },
  ERR_FORM_VERSION_NOT_FOUND: { status: 404, userMessage: 'Page not found.' },
  ERR_WORKFLOW_DEFINITION_INVALID: {
    status: 500,
    userMessage: 'A workflow definition is not valid.',
  },
  ERR_HTTP_NOT_FOUND: { status: 404, userMessage: 'Page not found.' },
  ERR_HTTP_BODY_MALFORMED: {
    status: 400,
    userMessage: 'The request body could not be read. Check it is well-formed and try again.',
  },
  ERR_HTTP_BODY_TOO_LARGE: { status: 413, userMessage: 'The request is too large.' },
  ERR_HTTP_BODY_TOO_DEEP: {
    status: 400,
    userMessage: 'The request body is nested too deeply.',
  },
  ERR_HTTP_INPUT_UNSTORABLE: {
    status: 422,
    userMessage: 'An answer contains a character that cannot be stored. Remove it and try again.',
  },
  ERR_HTTP_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    userMessage: 'The request body must be JSON.',
  },
  ERR_HTTP_CSRF: {
    status: 403,
    userMessage:
      'Your session may have expired or the form was sent from another site. Go back, reload the page and try again.',
  },
  ERR_AUTH_REQUIRED: { status: 401, userMessage: 'You need to sign in to do that.' },
  ERR_AUTH_FORBIDDEN: { status: 403, userMessage: 'You do not have permission to do that.' },
  ERR_AUTH_TOKEN_INVALID: { status: 401, userMessage: 'The API token is missing or not valid.' },
  ERR_AUTH_CODE_RATE_LIMITED: {
    status: 429,
    userMessage: 'You have asked for too many codes. Wait 15 minutes and try again.',
  },
  ERR_AUTH_USER_INVALID: {
    status: 400,
    userMessage: 'The user, role or organisation is not valid.',
  },
  ERR_AUTH_ADDRESS_UNKNOWN: {
    status: 400,
    userMessage: 'You cannot sign in with this email address.',
  },
  ERR_AUTH_OIDC_FAILED: {
    status: 400,
    userMessage: 'Sign-in with your organisation account did not work. Try again.',
  },
  ERR_AUTH_OIDC_UNAVAILABLE: {
    status: 503,
    userMessage:
      'Sign-in with your organisation account is not available just now. Try again later.',
  },
  ERR_SUBMISSION_NOT_FOUND: { status: 404, userMessage: 'Page not found.' },
  ERR_SUBMISSION_IDEMPOTENCY_CONFLICT: {
    status: 409,
    userMessage: 'This Idempotency-Key was already used with a different request body.',
  },
  ERR_SUBMISSION_DOCUMENT_UNKNOWN: {
    status: 422,
    userMessage: 'A document in the answers was not uploaded for this submission.',
  },
  ERR_UPLOAD_TOO_LARGE: { status: 413, userMessage: 'The selected file is too large.' },
  ERR_UPLOAD_TYPE: { status: 422, userMessage: 'The selected file type is not allowed.' },
  ERR_DOCUMENT_NOT_FOUND: { status: 404, userMessage: 'Page not found.' },
  ERR_REFERRAL_ACCESS_ENDED: {
    status: 410,
    userMessage:
      'This referral is no longer open to your home, so its pack and documents cannot be opened.',
  },
  ERR_DOCUMENT_EXISTS: {
    status: 409,
    userMessage: 'Sorry, there is a problem with the service. Try again later.',
  },
  ERR_DOCUMENT_KEY_INVALID: {
    status: 500,
    userMessage: 'Sorry, there is a problem with the service. Try again later.',
  },
  ERR_DOCUMENT_CORRUPT: {
    status: 500,
    userMessage: 'Sorry, there is a problem with the service. Try again later.',
  },
  ERR_DMS_UNAVAILABLE: {
    status: 503,
    userMessage: 'Sorry, the service is unavailable. Try again later.',
  },
  ERR_DMS_REJECTED: {
    status: 502,
    userMessage: 'Sorry, there is a problem with the service. Try again later.',
  },
  ERR_MAIL_SEND_FAILED: {
    status: 502,
    userMessage: 'Sorry, the email could not be sent. Try again later.',
  },
  ERR_STORE_MIGRATION_FAILED: {
    status: 500,
    userMessage: 'Sorry, there is a problem with the service. Try again later.',
  },
  ERR_STORE_UNAVAILABLE: {
    status: 503,
    userMessage: 'Sorry, the service is unavailable. Try again later.',
  },
  ERR_QUEUE_UNAVAILABLE: {
    status: 503,
    userMessage: 'Sorry, the service is unavailable. Try again later.',
  },
  ERR_RENDER_COMPONENT_NOT_FOUND: {
    status: 500,
    userMessage: 'Sorry, there is a problem with the service. Try again later.',
  },
  ERR_PACK_INPUT_INVALID: {
    status: 500,
    userMessage: 'Sorry, there is a problem with the service. Try again later.',
  },
  ERR_EMAIL_TEMPLATE_INVALID: {
    status: 500,
    userMessage: 'Sorry, there is a problem with the service. Try again later.',
  },
  ERR_DIRECTORY_INVALID: {
    status: 500,
    userMessage: 'The homes directory is not valid.',
  },
  ERR_CENSUS_RETURN_LOCKED: {
    status: 409,
    userMessage:
      'This return is signed off, so it cannot be changed. Reopen it first if it needs a change.',
  },
  ERR_CENSUS_RETURN_STATE: {
    status: 409,
    userMessage:
      'The return is not ready for that yet. Go back to the return to see what it needs.',
  },
  ERR_CENSUS_EXPORT_INVALID: {
    status: 500,
    userMessage:
      'The return could not be turned into a valid CSWW file. Nothing was given out. Try again later.',
  },
  ERR_INTERNAL: {
    status: 500,
    userMessage: 'Sorry, there is a problem with the service. Try again later.',
  },
} as const satisfies Record<string, { status: number; userMessage: string }>;

export type ErrorCode = keyof typeof errorCodes;
