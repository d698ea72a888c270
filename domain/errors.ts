// The API's error codes, once (PROTOCOL.md §5–6 and docs/protocol.md "Errors"), each with the HTTP
// status it travels with; and the error that domain rules throw. Domain code says *what* went
// wrong (`DomainError('SBX_INVALID_REQUEST', …)`), never how HTTP carries it: the server's one
// error handler turns a DomainError into `{statusCode, code, error, message}` with this table.
export const ERROR_STATUS = {
  SBX_INVALID_REQUEST: 400, SBX_INVALID_JSON: 400, SBX_INVALID_TOKEN: 400, SBX_SIZE_MISMATCH: 400, SBX_UPLOAD_ABORTED: 400,
  SBX_POW_INVALID: 400, SBX_TOTP_INVALID: 400,
  SBX_UNAUTHENTICATED: 401, SBX_SESSION_EXPIRED: 401, SBX_BAD_CREDENTIALS: 401,
  SBX_CSRF: 403, SBX_FORBIDDEN: 403,
  SBX_NOT_FOUND: 404, SBX_ROUTE_NOT_FOUND: 404, SBX_CHANNEL_NOT_FOUND: 404, SBX_CHALLENGE_NOT_FOUND: 404, SBX_TOKEN_INVALID: 404,
  SBX_CHALLENGE_USED: 409, SBX_RECEIPT_TAKEN: 409, SBX_REPORT_CLOSED: 409, SBX_OFFSET_MISMATCH: 409, SBX_ATTACHMENT_EXISTS: 409,
  SBX_ALREADY_COMPLETE: 409, SBX_ROSTER_SEQ_TAKEN: 409, SBX_MESSAGE_ID_TAKEN: 409, SBX_UPLOAD_BUSY: 409, SBX_USERNAME_TAKEN: 409, SBX_USER_DISABLED: 409, SBX_INCOMPLETE: 409, SBX_NOT_CLOSED: 409,
  SBX_CHALLENGE_EXPIRED: 410, SBX_ATTACHMENT_DAMAGED: 410,
  SBX_TOO_LARGE: 413, SBX_TOO_MANY_ATTACHMENTS: 413,
  SBX_UNSUPPORTED_MEDIA_TYPE: 415,
  SBX_RECIPIENTS_MISMATCH: 422, SBX_RECIPIENT_EXCLUDED: 422, SBX_ROSTER_INVALID: 422, SBX_NO_KEY_TO_GIVE: 422,
  SBX_RATE_LIMITED: 429,
  SBX_INTERNAL: 500,
  SBX_CHANNEL_UNAVAILABLE: 503, SBX_DATABASE_BUSY: 503,
  SBX_INSUFFICIENT_STORAGE: 507,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** A rule of the domain was broken; the message is safe to show and never quotes a secret. */
export class DomainError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
    this.name = 'DomainError';
  }

  get statusCode(): number {
    return ERROR_STATUS[this.code];
  }
}
