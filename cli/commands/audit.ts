// `sealbox audit verify` (the hash chain) and `sealbox audit export` (JSON Lines for a SIEM,
// server/audit-export.ts).
import { parseSince, writeAuditExport } from '../../server/audit-export.js';
import { CliError, dataDir, openServices, parse, print, USAGE, type Io } from '../common.js';

export async function cmdAudit(args: string[], io: Io): Promise<number> {
  if (args[0] === 'export') return cmdAuditExport(args.slice(1), io);
  const { values, positionals } = parse(args, {});
  if (positionals[0] !== 'verify') throw new CliError(`audit takes "verify" or "export"\n\n${USAGE}`, 2);
  const services = openServices(dataDir(values, io), io);
  try {
    const result = services.repos.audit.verify();
    print(io, !!values.json, result, result.ok ? `Audit trail intact: ${result.count} events.` : `Audit trail BROKEN at event ${result.seq}: ${result.reason}`);
    return result.ok ? 0 : 1;
  } finally {
    services.close();
  }
}

async function cmdAuditExport(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { since: { type: 'string' }, 'after-seq': { type: 'string' } });
  if (positionals.length > 0) throw new CliError(`audit export takes no arguments\n\n${USAGE}`, 2);
  const since = values.since === undefined ? undefined : parseSince(values.since);
  if (values.since !== undefined && since === undefined) {
    throw new CliError(`--since must be a date (2026-11-28) or a time with its zone (2026-11-28T16:00:00Z), not "${values.since}"`, 2);
  }
  const afterSeq = values['after-seq'];
  if (afterSeq !== undefined && !/^\d{1,15}$/.test(afterSeq)) throw new CliError(`--after-seq must be a sequence number, not "${afterSeq}"`, 2);
  const services = openServices(dataDir(values, io), io);
  try {
    await writeAuditExport(services.repos.audit, io.stdout, {
      ...(since !== undefined ? { since } : {}), ...(afterSeq !== undefined ? { afterSeq: Number(afterSeq) } : {}),
    });
    return 0;
  } finally {
    services.close();
  }
}
