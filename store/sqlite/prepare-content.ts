import type { PreparedMessage } from '../../domain/index.js';
import { StoreError } from '../../domain/index.js';
import { encodeContent } from './content-codec.js';
import type { ContentInput } from './contents.js';
import { searchFields } from '../search/message-fields.js';
import { searchTokens } from './search/index-text.js';

function checkPrepared(msg: PreparedMessage): void {
  if (!msg || typeof msg !== 'object' || !msg.header || typeof msg.header !== 'object') throw new StoreError('invalid', 'invalid message');
  if (!Number.isSafeInteger(msg.size) || msg.size < 0) throw new StoreError('invalid', 'invalid message size');
  if (!Array.isArray(msg.blobIds) || !Array.isArray(msg.attachments)) throw new StoreError('invalid', 'invalid message parts');
  if (!msg.structure || typeof msg.structure !== 'object' || !msg.sortKeys || typeof msg.sortKeys !== 'object') {
    throw new StoreError('invalid', 'invalid message structure');
  }
}

/**
 * Everything about a message the write transaction needs that can be computed before it:
 * compressed bytes (zlib on the thread pool), full-text columns and vocabulary tokens. Keeps
 * the group commit, which holds the event loop, down to SQL.
 */
export async function prepareContent(message: PreparedMessage): Promise<ContentInput> {
  checkPrepared(message);
  const encoded = await encodeContent(message);
  const fields = searchFields(message);
  return { message, encoded, fields, tokens: searchTokens(fields) };
}
