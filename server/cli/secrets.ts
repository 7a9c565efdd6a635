import { randomBytes } from 'node:crypto';
import type { Config } from '../../config/index.js';
import { JWT_SECRET } from '../secrets.js';
import { withStore } from './store-session.js';
import { UsageError } from './usage-error.js';

/**
 * `heron secret rotate jwt`: a new API token signing secret in the store, announced on the
 * cluster bus so every running node re-keys at once (every token issued before stops working:
 * users log in again). Not for a secret set by HERON_JWT_SECRET, which config owns.
 */
export async function secretCommand(config: Config, sub: string | undefined, args: string[]): Promise<void> {
  if (sub !== 'rotate' || args[0] !== JWT_SECRET) throw new UsageError('usage: heron secret rotate jwt');
  if (config.auth.jwtSecret) throw new UsageError('the JWT secret comes from HERON_JWT_SECRET (auth.jwtSecret): change it there');
  const told = await withStore(config, async ({ store, bus }) => {
    await store.secrets.set(JWT_SECRET, randomBytes(48).toString('base64url'));
    return bus.publish({ type: 'secret', name: JWT_SECRET }).then(
      () => Boolean(config.redisUrl),
      (err: unknown) => (console.error(`heron: running nodes not told: ${(err as Error).message}`), false),
    );
  });
  console.log(told ? 'rotated; every node re-keyed, earlier API tokens are void' : 'rotated; running nodes re-key on their next start');
}
