export { createApiServer, type ApiServer, type ApiServerOptions, DEFAULT_OTP, DEFAULT_LOGIN_FAILURES } from './server.js';
export { createSmsSender, type SmsOptions, DEFAULT_SMS_TEMPLATES } from './sms/index.js';
export { pipelineDeliver } from './send/pipeline-deliver.js';
export type { LocalDeliver, PrepareMessage, SubmitMessage, OtpSettings } from './deps.js';
