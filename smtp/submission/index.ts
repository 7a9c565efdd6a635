export { createSubmissionServer, type SubmissionServer } from './create-submission-server.js';
export { createSubmitter, type Submitter, type SubmitInput, type SubmitResult } from './submit-message.js';
export { SUBMISSION_LIMIT_DEFAULTS, type SubmissionLimits, type SubmissionServerOptions, type SubmitterOptions } from './submission-options.js';
export { SUBMISSION_REPLIES } from './rate-limits.js';
