export { createDeliveryPipeline, type DeliveryPipelineOptions } from './create-delivery-pipeline.js';
export type { DeliveryInput, DeliveryOutcome, DeliveryPipeline, FilterFailurePolicy, PrepareMessage } from './types.js';
