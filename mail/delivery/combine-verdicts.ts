import { SmtpReplies, type SmtpReply, type Verdict } from '../../domain/index.js';
import type { CheckOutcome } from './run-checks.js';
import type { FilterFailurePolicy } from './types.js';

export interface CombinedVerdict {
  action: 'accept' | 'junk' | 'tempfail' | 'reject';
  /** Set for reject and tempfail. */
  reply?: SmtpReply;
  /** Headers the checks asked for, in check order. */
  headers: Array<[string, string]>;
  /** Checks that failed while the policy is `accept`: the message goes in marked unscanned. */
  unscanned: string[];
  verdicts: Verdict[];
}

/**
 * Precedence: a reject is final (5xx) even if another check failed; then any check failure
 * under the `tempfail` policy or any tempfail verdict answers 4xx so the sender retries; then
 * junk; else accept. A check's reply is used only if its class matches the action, so a buggy
 * check cannot turn a reject into a 250.
 */
export function combineVerdicts(outcomes: readonly CheckOutcome[], policy: FilterFailurePolicy): CombinedVerdict {
  const verdicts: Verdict[] = [];
  const failed: string[] = [];
  for (const o of outcomes) {
    if ('verdict' in o) verdicts.push(o.verdict);
    else failed.push(o.check);
  }
  const headers = verdicts.flatMap((v) => v.headers ?? []);
  const base = { headers, verdicts, unscanned: [] as string[] };

  const reject = verdicts.find((v) => v.action === 'reject');
  if (reject) {
    const reply = reject.reply && reject.reply.code >= 500 && reject.reply.code < 600 ? reject.reply : SmtpReplies.policyReject;
    return { ...base, action: 'reject', reply };
  }
  if (failed.length > 0 && policy === 'tempfail') {
    return { ...base, action: 'tempfail', reply: SmtpReplies.filterUnavailable };
  }
  const tempfail = verdicts.find((v) => v.action === 'tempfail');
  if (tempfail) {
    const reply = tempfail.reply && tempfail.reply.code >= 400 && tempfail.reply.code < 500 ? tempfail.reply : SmtpReplies.tempFailure;
    return { ...base, action: 'tempfail', reply };
  }
  const unscanned = failed;
  if (verdicts.some((v) => v.action === 'junk')) return { ...base, unscanned, action: 'junk' };
  return { ...base, unscanned, action: 'accept' };
}
