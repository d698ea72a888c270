// Every action the audit trail records, once: the server types each event it writes with these,
// and the console's audit page offers them as filter suggestions. A dotted name: what, then how.
export const AUDIT_ACTIONS = [
  'instance.init', 'instance.seed', 'instance.backup', 'instance.restore', 'setup.link_issued',
  'auth.login', 'auth.login_failed', 'auth.logout',
  'user.create', 'user.invite', 'user.update', 'user.reset_link', 'user.reset', 'account.notifications',
  'report.received', 'report.attachment', 'report.view', 'report.triage', 'report.message', 'report.note', 'report.keys', 'report.keys_renewed',
  'report.keys_recovered', 'report.export', 'report.retention_extended', 'report.purged',
  'attachment.download', 'attachment.purge_incomplete',
  'channel.update', 'channel.members', 'settings.lists', 'settings.acknowledgement_template', 'settings.recovery_key',
  'statistics.export', 'roster.append',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
