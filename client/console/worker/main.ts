// The console's Web Worker: the reviewer's keys and every piece of cryptography live here
// (libsodium in WebAssembly), off the page's thread, so Argon2id and large files never freeze it
// and no key is ever reachable from the page's script.
/// <reference lib="webworker" />
import { ready, SealboxCryptoError } from '../../../crypto/index.js';
import { ApiError, browserHttp, NetworkError } from '../api.js';
import type { Request, Response } from '../rpc.js';
import type { ErrorInfo } from '../types.js';
import { ApprovalError } from './approval.js';
import { Vault } from './vault.js';

declare const self: DedicatedWorkerGlobalScope;

const vault = new Vault(browserHttp());
const post = (message: Response) => self.postMessage(message);

function info(error: unknown): ErrorInfo {
  if (error instanceof ApiError) return { name: 'ApiError', message: error.message, status: error.status, code: error.code };
  if (error instanceof NetworkError) return { name: 'NetworkError', message: error.message };
  if (error instanceof SealboxCryptoError) return { name: 'CryptoError', message: error.message, code: error.code };
  if (error instanceof ApprovalError) return { name: 'Error', message: error.message, code: error.code };
  return { name: 'Error', message: error instanceof Error ? error.message : String(error) };
}

async function handle(msg: Request): Promise<unknown> {
  switch (msg.op) {
    case 'login':
      return vault.login(msg.username, msg.passphrase, msg.totp);
    case 'prepareEnrolment':
      vault.prepareEnrolment(msg.username, msg.passphrase);
      return null;
    case 'makeRecoveryKey':
      return vault.makeRecoveryKey();
    case 'completeEnrolment':
      return vault.completeEnrolment(msg.token, msg.totpSecret, msg.totpCode, msg.recoveryPublicKey);
    case 'openReport':
      return vault.openReport(msg.id);
    case 'distribute':
      return vault.distribute(msg.id, msg.userIds);
    case 'sweep':
      return vault.sweep();
    case 'sendMessage':
      return vault.sendMessage(msg.id, msg.text);
    case 'addNote':
      return vault.addNote(msg.id, msg.text);
    case 'extendRetention':
      return vault.extendRetention(msg.id, msg.retainUntil, msg.reason);
    case 'decryptAttachment':
      return vault.decryptAttachment(msg.id, msg.attachmentId, (progress) => post({ rid: msg.rid, progress }));
    case 'exportCase':
      return vault.exportCase(msg.id, msg.options, (progress) => post({ rid: msg.rid, progress }));
    case 'myFingerprint':
      return vault.myFingerprint();
    case 'unitFingerprint':
      return vault.unitFingerprint();
    case 'memberFingerprints':
      return vault.memberFingerprints(msg.members);
    case 'approveMember':
      return vault.approveMember(msg.member);
    case 'approveWithRecoverySecret':
      return vault.approveWithRecoverySecret(msg.secret, msg.member);
    case 'closeReport':
      vault.closeReport();
      return null;
    case 'wipe':
      vault.wipe();
      return null;
  }
}

self.onmessage = async (event: MessageEvent<Request>) => {
  const msg = event.data;
  try {
    await ready;
    post({ rid: msg.rid, ok: true, value: await handle(msg) });
  } catch (error) {
    post({ rid: msg.rid, ok: false, error: info(error) });
  }
};
