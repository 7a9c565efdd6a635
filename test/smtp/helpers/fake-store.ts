import type { AppendResult, DeliveryTarget, MailStore, PreparedMessage, User, UserStore } from '../../../domain/index.js';

/**
 * A store double for MX/pipeline tests that need control over the store (quota values, a
 * failing commit). Only the methods MX and the pipeline call are implemented. Tests that check
 * real delivery use the SQLite store instead.
 */
export interface FakeStore {
  users: UserStore;
  mail: MailStore;
  delivered: Array<{ message: PreparedMessage; targets: DeliveryTarget[] }>;
  quota: Map<string, { used: number; limit: number }>;
  failDeliver: boolean;
  addUser(address: string, opts?: { disabled?: boolean }): string;
}

export function createFakeStore(domains: string[]): FakeStore {
  const byAddress = new Map<string, User>();
  const byId = new Map<string, User>();
  let nextId = 1;
  let uid = 1;
  const fake: FakeStore = {
    delivered: [],
    quota: new Map(),
    failDeliver: false,
    addUser(address, opts) {
      const id = String(nextId++);
      const user = {
        id, username: address.split('@')[0]!, address, displayName: '', firstName: '', lastName: '', phone: null,
        verified: true, disabled: opts?.disabled ?? false, admin: false, quota: 0, storageUsed: 0, createdAt: new Date(),
      } satisfies User;
      byAddress.set(address.toLowerCase(), user);
      byId.set(id, user);
      return id;
    },
    users: {
      isLocalDomain: async (name: string) => domains.includes(name.toLowerCase()),
      resolveAddress: async (address: string) => {
        const u = byAddress.get(address.toLowerCase());
        return u ? { userId: u.id, address: u.address } : null;
      },
      getUser: async (id: string) => byId.get(id) ?? null,
    } as unknown as UserStore,
    mail: {
      getQuota: async (userId: string) => fake.quota.get(userId) ?? { used: 0, limit: 0 },
      deliver: async (message: PreparedMessage, targets: DeliveryTarget[]): Promise<AppendResult[]> => {
        if (fake.failDeliver) throw new Error('disk on fire');
        fake.delivered.push({ message, targets });
        return targets.map((t) => ({ userId: t.userId, mailboxId: 'mb', messageId: String(uid), uid: uid++, uidValidity: 1, modseq: 1 }));
      },
    } as unknown as MailStore,
  };
  return fake;
}
