// Finds the report a request's receipt token leads to: `Authorization: Receipt <b64u(32)>`.
import type { FastifyRequest } from 'fastify';
import { fromB64u } from '../../../crypto/index.js';
import type { Report } from '../../../db/schema.js';
import { HttpError } from '../../errors.js';
import type { Services } from '../../services.js';

const HEADER = /^Receipt ([A-Za-z0-9_-]{43})$/;

export function receiptTagOf(request: FastifyRequest, services: Services): Buffer {
  const match = HEADER.exec(request.headers.authorization ?? '');
  let token: Uint8Array | undefined;
  try {
    token = match ? fromB64u(match[1]!, 32) : undefined;
  } catch {
    token = undefined;
  }
  if (!token) throw new HttpError(400, 'SBX_INVALID_TOKEN', 'Send the header "Authorization: Receipt <token>" with the 32-byte token in base64url');
  return services.keys.receiptTag(token);
}

/** The report for this request's receipt, or 404 (which says nothing more about the receipt). */
export function reportOf(request: FastifyRequest, services: Services): { report: Report; tag: Buffer } {
  const tag = receiptTagOf(request, services);
  const report = services.repos.reports.byReceiptTag(tag);
  if (!report) {
    services.limits.unknownReceipts.take();
    throw new HttpError(404, 'SBX_NOT_FOUND', 'No report matches this receipt code');
  }
  return { report, tag };
}


export function assertOpenForWrites(report: Report, services: Services): void {
  if (report.status !== 'closed') return;
  const channel = services.repos.channels.rules(report.channelId);
  if (!channel?.messagesAfterClose) {
    throw new HttpError(409, 'SBX_REPORT_CLOSED', 'This report is closed; the unit no longer takes messages or files on it');
  }
}
