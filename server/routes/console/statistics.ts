// Statistics for administrators and auditors: one calendar year of counts over every channel, with
// small counts withheld on the server (server/statistics/), as JSON for the page and as CSV.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { statisticsCsv } from '../../statistics/csv.js';
import { buildStatistics } from '../../statistics/report.js';
import { HIDDEN, MIN_COUNT, SMALL } from '../../statistics/suppression.js';
import type { Services } from '../../services.js';
import { actor, readErrors } from './schemas.js';
import { signedIn } from './session.js';

const statisticsQuery = z.object({
  year: z.string().regex(/^\d{4}$/, 'year must be four digits, e.g. 2026').refine((y) => Number(y) >= 1970, 'year must be 1970 or later').optional(),
}).strict();

/**
 * A published count. The schema itself refuses 1 to 4: should a change ever forget to suppress
 * one, the response fails (500) instead of carrying it to the browser.
 */
const shownOut = z.union([
  z.number().int().refine((n) => n === 0 || n >= MIN_COUNT, `a count below ${MIN_COUNT} must be withheld`),
  z.literal(SMALL),
  z.literal(HIDDEN),
]);
const tableOut = z.object({
  rows: z.array(z.string().nullable()),
  columns: z.array(z.string().nullable()),
  cells: z.array(z.array(shownOut)),
});
const durationsOut = z.object({ medianDays: z.number().nullable(), p90Days: z.number().nullable() });

export const statisticsOut = z.object({
  year: z.number().int(),
  years: z.array(z.number().int()),
  generatedAt: z.string(),
  threshold: z.number().int(),
  total: shownOut,
  channels: z.array(z.object({ id: z.string(), title: z.record(z.string(), z.string()) })),
  monthChannel: tableOut,
  status: tableOut,
  categoryOutcome: tableOut,
  acknowledgement: tableOut,
  feedback: tableOut,
  durations: z.object({ acknowledge: durationsOut, feedback: durationsOut }),
  riskMap: tableOut,
});

export async function statisticsRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos, clock } = services;
  const readers = app.requireUser('admin', 'auditor');

  const build = (year: string | undefined) => {
    const now = clock.now();
    return buildStatistics(repos, year === undefined ? now.getUTCFullYear() : Number(year), now);
  };

  app.get('/api/statistics', {
    onRequest: readers,
    schema: {
      summary: 'One calendar year of report statistics over every channel; counts from 1 to 4 read "<5"',
      querystring: statisticsQuery,
      response: { 200: statisticsOut, ...readErrors() },
    },
  }, async (request) => build(request.query.year));

  app.get('/api/statistics.csv', {
    onRequest: readers,
    schema: {
      summary: 'The same statistics as CSV (text/csv): year, table, row, column, value; one line per published cell',
      querystring: statisticsQuery,
      response: { 200: z.string().describe('text/csv'), ...readErrors() },
    },
  }, async (request, reply) => {
    const me = signedIn(request);
    const report = build(request.query.year);
    // The file leaves the console: who took which year is on the record.
    services.audit({ actor: actor(me.user), action: 'statistics.export', details: { year: report.year } });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="sealbox-statistics-${report.year}.csv"`)
      .send(statisticsCsv(report));
  });
}
