import type { Logger } from 'pino';
import type { AccountStore, ClusterBus } from '../../domain/index.js';

/**
 * The account store as every path (logout, password change, account deletion, CLI) uses it:
 * each revocation, once committed, is announced on the cluster bus, so every node's token cache
 * refuses the token at once. A failed announcement is logged; caches then expire on their own.
 */
export function announceRevocations(accounts: AccountStore, bus: ClusterBus, logger?: Logger): AccountStore {
  const announce = (event: Parameters<ClusterBus['publish']>[0]) =>
    bus.publish(event).catch((err: unknown) => logger?.warn({ err, event: event.type }, 'revocation not announced'));
  return {
    ...accounts,
    async revokeToken(jti) {
      await accounts.revokeToken(jti);
      await announce({ type: 'token-revoked', jti });
    },
    async revokeUserTokens(userId) {
      const n = await accounts.revokeUserTokens(userId);
      await announce({ type: 'user-tokens-revoked', userId });
      return n;
    },
  };
}
