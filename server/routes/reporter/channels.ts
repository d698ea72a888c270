// GET /api/channels: what the reporting page needs to build the form and seal the report key.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import { channelsOut } from '../../../domain/api.js';
import { keyIdOf, toB64u } from '../../../crypto/index.js';
import type { Services } from '../../services.js';
import { recipientsOf, recoveryKeyOf } from '../../recipients.js';

export async function channelRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get('/api/channels', {
    schema: {
      summary: 'Channels, their questionnaires and the public keys a report must be sealed to',
      response: {
        200: channelsOut,
      },
    },
  }, async () => {
    const recovery = recoveryKeyOf(services);
    return {
      channels: services.repos.channels.list().map((c) => ({
        id: c.id,
        title: c.title,
        description: c.description,
        questionnaire: c.questionnaire,
        recipients: recipientsOf(services, c.id).map((m) => ({ userId: m.id, keyId: m.keyId, publicKey: toB64u(m.boxPublicKey), label: m.username })),
        allowRecipientExclusion: c.allowRecipientExclusion,
        maxAttachmentBytes: c.maxAttachmentBytes,
      })),
      recoveryKey: recovery ? { keyId: keyIdOf(recovery), publicKey: toB64u(recovery) } : null,
    };
  });
}
