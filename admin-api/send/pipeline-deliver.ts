import { randomUUID } from 'node:crypto';
import type { DeliveryPipeline } from '../../mail/delivery/index.js';
import { ApiError } from '../../gateway/index.js';
import type { LocalDeliver } from '../deps.js';

/**
 * Adapts mail/delivery's pipeline (the composed message goes in memory) to the API's LocalDeliver, so mail
 * sent through the API meets the same checks, sender lists and Received header as SMTP mail.
 */
export function pipelineDeliver(pipeline: DeliveryPipeline): LocalDeliver {
  return async ({ sender, envelope, raw, recipients }) => {
    const queueId = randomUUID().replace(/-/g, '').slice(0, 16);
    const out = await pipeline.deliver({
      queueId,
      envelope,
      recipients,
      raw,
      size: raw.length,
      transmissionType: 'HTTPSA',
      session: { id: queueId, remoteAddress: '127.0.0.1', clientHostname: 'api', heloName: 'api', secure: true, user: { id: sender.id, address: sender.address } },
    });
    if (out.reply.code >= 400) {
      const status = out.reply.code >= 500 ? 422 : 503;
      throw new ApiError(status, out.reply.code >= 500 ? 'delivery_rejected' : 'delivery_deferred', `${out.reply.code} ${out.reply.enhanced} ${out.reply.message}`);
    }
  };
}
