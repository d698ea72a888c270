// Errors as the console shows them: any thrown value becomes the ErrorInfo the worker sends, and
// each ErrorInfo a plain sentence in the reader's language.
import { ApiError, NetworkError } from './api.js';
import type { T } from './i18n/index.js';
import type { ErrorInfo } from './types.js';
import { WorkerError } from './worker-client.js';

/** Any thrown value as the ErrorInfo the worker would send. */
export function toInfo(error: unknown): ErrorInfo {
  if (error instanceof WorkerError) return error.info;
  if (error instanceof ApiError) return { name: 'ApiError', message: error.message, status: error.status, code: error.code };
  if (error instanceof NetworkError) return { name: 'NetworkError', message: error.message };
  return { name: 'Error', message: error instanceof Error ? error.message : String(error) };
}

/** A plain-language sentence for an error from the worker or the API. */
export function errorText(t: T, error: ErrorInfo | undefined): string {
  if (!error) return '';
  if (error.name === 'NetworkError') return t('error.network');
  if (error.name === 'CryptoError') return t('error.decrypt');
  switch (error.code) {
    case 'SBX_BAD_CREDENTIALS': return t('signin.bad');
    case 'SBX_RATE_LIMITED': return t('error.rateLimited');
    case 'SBX_NOT_FOUND': return t('error.notFound');
    case 'SBX_TOKEN_INVALID': return t('enrol.invalidLink');
    case 'SBX_TOTP_INVALID': return t('enrol.totpWrong');
    case 'SBX_USERNAME_TAKEN': return t('error.usernameTaken');
    case 'SBX_FORBIDDEN': return t('error.forbidden');
    case 'SBX_USER_DISABLED': return t('users.resetDisabled');
    case 'SBX_REPORT_CLOSED': return t('error.closed');
    case 'SBX_INVALID_REQUEST': return t('error.invalid', { message: error.message });
    case 'SBX_ATTACHMENT_DAMAGED': return t('files.storageDamaged');
    case 'SBX_DATABASE_BUSY': return t('error.busy');
    case 'SBX_INSUFFICIENT_STORAGE': return t('error.storageFull');
    case 'SBX_ROSTER_UNVERIFIED': return t('error.rosterUnverified');
    case 'SBX_NOT_APPROVED_SELF': return t('error.notApprovedSelf');
    case 'SBX_SELF_APPROVAL': return t('error.selfApproval');
    case 'SBX_BAD_MEMBER_KEYS': return t('error.badMemberKeys');
    case 'SBX_RECOVERY_SECRET_TYPO': return t('error.recoveryTypo');
    case 'SBX_WRONG_RECOVERY_SECRET': return t('error.wrongRecovery');
    case 'SBX_ROSTER_SEQ_TAKEN': return t('error.rosterSeqTaken');
    case 'SBX_ROSTER_INVALID': return t('error.rosterInvalid');
    default:
  }
  if (error.status === 413) return t('error.tooLarge');
  return t('error.generic', { code: error.code ?? error.name });
}

