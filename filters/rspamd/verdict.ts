import { SmtpReplies, type Verdict } from '../../domain/index.js';
import { headerSafe } from '../errors.js';
import type { RspamdResult } from './client.js';

export const RSPAMD_FILTER = 'rspamd';

/**
 * rspamd's action -> Heron's verdict. Replies: reject 550 5.7.1 with rspamd's own smtp_message;
 * soft reject and greylist 451 4.7.1 (RFC 3463: 7.1 "delivery not authorized", temporary);
 * add header / rewrite subject go to Junk (or tagged in INBOX, the pipeline decides per user).
 * An action Heron does not know (a custom rspamd action) throws: guessing "accept" would be a
 * silent pass, so it goes through the filter-failure policy instead.
 */
export function rspamdVerdict(result: RspamdResult): Verdict {
  const score = Number.isFinite(result.score) ? result.score : 0;
  const required = Number.isFinite(result.required_score) ? result.required_score : 0;
  const smtpMessage = result.messages?.smtp_message ? headerSafe(result.messages.smtp_message, 200) : undefined;
  const symbols = Object.keys(result.symbols ?? {}).sort();
  let action: Verdict['action'];
  let reply: Verdict['reply'];
  switch (result.action) {
    case 'no action':
      action = 'accept';
      break;
    case 'add header':
    case 'rewrite subject':
      action = 'junk';
      break;
    case 'greylist':
    case 'soft reject':
      action = 'tempfail';
      reply = { ...SmtpReplies.greylisted, message: smtpMessage ?? SmtpReplies.greylisted.message };
      break;
    case 'reject':
      action = 'reject';
      reply = { ...SmtpReplies.policyReject, message: smtpMessage ?? 'Spam message rejected' };
      break;
    default:
      throw new Error(`unknown rspamd action "${headerSafe(result.action, 50)}"`);
  }
  const spam = action === 'junk' || action === 'reject';
  const headers: Array<[string, string]> = [
    ['X-Spam-Status', `${spam ? 'Yes' : 'No'}, score=${score.toFixed(2)} required=${required.toFixed(2)}`],
    ['X-Spam-Score', score.toFixed(2)],
    ['X-Spam-Action', headerSafe(result.action, 50)],
  ];
  if (symbols.length) headers.push(['X-Spam-Symbols', headerSafe(symbols.join(', '), 900)]);
  const verdict: Verdict = { filter: RSPAMD_FILTER, action, headers, score };
  if (reply) verdict.reply = reply;
  if (action !== 'accept') verdict.reason = `rspamd: ${result.action}${smtpMessage ? ` (${smtpMessage})` : ''}`;
  return verdict;
}
