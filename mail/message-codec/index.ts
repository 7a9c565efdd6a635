export { prepareMessage, type PrepareOptions } from './prepare-message.js';
export { createMessageReader, type MessageReader, type MessageContent, type SectionSelector } from './message-reader.js';
export type { ByteRange } from './message-stream.js';
