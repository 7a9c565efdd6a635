import type { DeliveryPipeline } from '../delivery/index.js';
import type { VacationResponder } from './vacation-responder.js';

/**
 * Wraps a delivery pipeline so that each successful delivery is offered to the vacation
 * responder before the caller (MX) answers; the spool file still exists then. The responder
 * never throws, so the wrapped outcome is exactly the pipeline's.
 */
export function withVacation(pipeline: DeliveryPipeline, responder: VacationResponder): DeliveryPipeline {
  return {
    async deliver(input) {
      const outcome = await pipeline.deliver(input);
      await responder.afterDelivery(input, outcome);
      return outcome;
    },
  };
}
