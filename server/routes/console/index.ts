// The console API (PROTOCOL.md §6).
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';

export async function consoleRoutes(_app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  void services;
}
