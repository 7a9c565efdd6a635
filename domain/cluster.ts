import type { Id } from './ids.js';

/**
 * Changes every node must learn of at once, not on its next restart or cache expiry: revoked
 * tokens (a logout on one node refuses the token on all), and configuration kept in the store
 * (domains, DKIM keys, secrets) that nodes cache.
 */
export type ClusterEvent =
  | { type: 'token-revoked'; jti: string }
  | { type: 'user-tokens-revoked'; userId: Id }
  | { type: 'domains' }
  | { type: 'dkim'; domain: string }
  | { type: 'secret'; name: string };

/** In-process where there is one node; Redis pub/sub where there are many. */
export interface ClusterBus {
  /** Resolves once the event is handed to every node's subscription (Redis PUBLISH returned). */
  publish(event: ClusterEvent): Promise<void>;
  /** Listeners hear events of every node, this one's included. Returns the unsubscribe function. */
  subscribe(listener: (event: ClusterEvent) => void): () => void;
  close(): Promise<void>;
}
