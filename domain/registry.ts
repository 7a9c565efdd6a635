/**
 * The service registry (the seed's "service mapper"): every node registers what it runs, with
 * heartbeats. API instances add the route prefixes they serve and the URL the gateway reaches
 * them at; the gateway routes by it, `heron services` lists it.
 */
export type Role = 'mx' | 'submission' | 'imap' | 'api' | 'queue' | 'gateway';

export const ROLES: readonly Role[] = ['mx', 'submission', 'imap', 'api', 'queue', 'gateway'];

export interface ServiceInstance {
  /** Unique per process start. */
  id: string;
  roles: Role[];
  /** The node's host name. */
  host: string;
  pid: number;
  /** Where the gateway reaches this API instance (http://10.0.0.5:8080); null without the api role. */
  apiUrl: string | null;
  /** Path prefixes this API instance serves ('/v1/contacts'), matched on segment boundaries. */
  prefixes: string[];
  /** Bound listener ports by name (smtp, imap, api, ...). */
  ports: Record<string, number>;
  startedAt: number;
  /** Milliseconds since the epoch of the last heartbeat. */
  lastHeartbeat: number;
  /** The interval the instance promised heartbeats at. */
  heartbeatMs: number;
}

export interface ServiceRegistry {
  /** Registers or refreshes the instance (its lastHeartbeat is set by the registry to now). */
  heartbeat(instance: Omit<ServiceInstance, 'lastHeartbeat'>): Promise<void>;
  /** Leaves at once (a clean shutdown), so gateways stop routing to it without waiting for missed heartbeats. */
  remove(id: string): Promise<void>;
  list(): Promise<ServiceInstance[]>;
  /** Told whenever an instance joins or leaves; returns the unsubscribe function. */
  watch(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Alive: heard from within `missed` heartbeat intervals. */
export function isAlive(instance: ServiceInstance, now: number, missed = 3): boolean {
  return now - instance.lastHeartbeat <= instance.heartbeatMs * missed;
}
