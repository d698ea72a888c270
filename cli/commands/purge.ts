// `sealbox purge [--dry-run]`: the hourly retention purge, now (server/retention.ts).
import { purgeExpired } from '../../server/retention.js';
import { CliError, dataDir, openServices, parse, print, USAGE, type Io } from '../common.js';

export async function cmdPurge(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { 'dry-run': { type: 'boolean' } });
  if (positionals.length > 0) throw new CliError(`purge takes no arguments\n\n${USAGE}`, 2);
  const services = openServices(dataDir(values, io), io);
  try {
    const result = await purgeExpired(services, { dryRun: !!values['dry-run'] });
    const ids = result.reports.map((r) => `\n  ${r.id} (${r.channelId}, closed ${r.closedAt.slice(0, 10)})`).join('');
    print(io, !!values.json, result, result.dryRun
      ? `${result.counts.reports} reports are due for deletion (${result.counts.attachments} files); nothing was changed.${ids}`
      : `Deleted ${result.counts.reports} reports and ${result.counts.blobs} files.${ids}`);
    return 0;
  } finally {
    services.close();
  }
}
