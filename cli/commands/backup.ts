// `sealbox backup FILE` and `sealbox restore FILE`: the instance in one archive and back
// (server/backup.ts). The archive's passphrase opens the archive, not a report: the reports in it
// stay encrypted to their reviewers, so these commands are not under decrypting/.
import { BackupError, createBackup, restoreBackup } from '../../server/backup.js';
import { CliError, dataDir, openServices, parse, print, readPassphrase, USAGE, type Io } from '../common.js';

/**
 * `backup FILE` and `restore FILE`: the archive's path, its passphrase when `--passphrase-stdin`
 * is given (as the options backup.ts takes), and the common options.
 */
async function archiveArgs(command: string, args: string[], io: Io) {
  const { values, positionals } = parse(args, { 'passphrase-stdin': { type: 'boolean' } }, true);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new CliError(`${command} takes one FILE\n\n${USAGE}`, 2);
  const passphrase = values['passphrase-stdin'] ? await readPassphrase(io) : undefined;
  return { values, file, passphrase, options: passphrase === undefined ? {} : { passphrase } };
}

/** `sealbox backup FILE`. */
export async function cmdBackup(args: string[], io: Io): Promise<number> {
  const { values, file, passphrase, options } = await archiveArgs('backup', args, io);
  if (passphrase !== undefined && [...passphrase].length < 12) throw new CliError('the passphrase must have at least 12 characters');
  const services = openServices(dataDir(values, io), io);
  try {
    const r = await createBackup(services, file, options);
    print(io, !!values.json, r, `Backup written to ${r.file}: ${r.bytes} bytes, ${r.attachments} attachment files${r.encrypted ? ', encrypted' : ''}.\nSHA-256 ${r.sha256}` +
      (r.encrypted ? '' : '\nIt is not encrypted: for a copy that leaves this machine, use --passphrase-stdin.'));
    return 0;
  } catch (error) {
    throw error instanceof BackupError ? new CliError(error.message) : error;
  } finally {
    services.close();
  }
}

/** `sealbox restore FILE --data-dir DIR`. */
export async function cmdRestore(args: string[], io: Io): Promise<number> {
  const { values, file, options } = await archiveArgs('restore', args, io);
  try {
    const r = await restoreBackup(file, dataDir(values, io), options);
    print(io, !!values.json, r, `Restored the backup of ${r.createdAt} into ${r.dataDir} (${r.attachments} attachment files).\n` +
      (r.audit.ok ? `Audit trail intact: ${r.audit.count} events.` : `Audit trail BROKEN at event ${r.audit.seq}: ${r.audit.reason}`));
    return 0;
  } catch (error) {
    throw error instanceof BackupError ? new CliError(error.message) : error;
  }
}
