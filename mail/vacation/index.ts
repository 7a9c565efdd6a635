export { createVacationResponder, type VacationResponder, type VacationResponderOptions } from './vacation-responder.js';
export { withVacation } from './with-vacation.js';
export { autoReplyRefusal, inVacationWindow } from './auto-reply-rules.js';
export { buildVacationReply } from './vacation-message.js';
