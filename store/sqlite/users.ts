import { DEFAULT_MAILBOXES, StoreError } from '../../domain/index.js';
import type { Domain, Id, NewUser, User, UserPatch, UserStore } from '../../domain/index.js';
import { createLoginPasswordCheck, hashPassword } from '../password.js';
import { parseId, runWrite } from './context.js';
import type { StoreContext } from './context.js';
import { insertMailboxRow } from './mailbox-rows.js';
import { deleteMessageRows } from './message-rows.js';
import { toDomain, toUser } from './rows.js';
import type { DomainRow, UserRow } from './rows.js';
import { cachedStatement } from './context.js';
import { migrateUserIds, nextUserId } from './user-ids.js';
import { USERNAME, domainOf, normalizeAddress, normalizeDomain } from '../user-rules.js';

export function createUserStore(ctx: StoreContext): UserStore {
  const { db } = ctx;
  migrateUserIds(db);
  const passwordMatches = createLoginPasswordCheck();
  const userById = (id: number | null): UserRow | undefined =>
    id === null ? undefined : (cachedStatement(db, 'SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined);

  function userByLogin(login: string): UserRow | undefined {
    if (typeof login !== 'string') return undefined;
    const l = login.trim().toLowerCase();
    if (l.length === 0 || l.length > 320) return undefined;
    if (l.includes('@')) {
      return cachedStatement(db, 'SELECT u.* FROM addresses a JOIN users u ON u.id = a.user_id WHERE a.address = ?').get(l) as UserRow | undefined;
    }
    return cachedStatement(db, 'SELECT * FROM users WHERE username = ?').get(l) as UserRow | undefined;
  }

  function requireLocalDomain(address: string): void {
    const domain = domainOf(address);
    if (!cachedStatement(db, 'SELECT 1 FROM domains WHERE name = ?').get(domain)) {
      throw new StoreError('invalid', `${domain} is not a local domain (add it first)`);
    }
  }

  function addressTaken(address: string): boolean {
    return cachedStatement(db, 'SELECT 1 FROM addresses WHERE address = ?').get(address) !== undefined;
  }

  return {
    async addDomain(name: string): Promise<Domain> {
      const d = normalizeDomain(name);
      cachedStatement(db, 'INSERT INTO domains (name, created_at) VALUES (?, ?) ON CONFLICT(name) DO NOTHING').run(d, ctx.now());
      return toDomain(cachedStatement(db, 'SELECT * FROM domains WHERE name = ?').get(d) as DomainRow);
    },

    async listDomains() {
      return (cachedStatement(db, 'SELECT * FROM domains ORDER BY name').all() as DomainRow[]).map(toDomain);
    },

    async isLocalDomain(name: string) {
      if (typeof name !== 'string') return false;
      const d = name.trim().toLowerCase().replace(/\.$/, '');
      return cachedStatement(db, 'SELECT 1 FROM domains WHERE name = ?').get(d) !== undefined;
    },

    async deleteDomain(name: string) {
      const d = normalizeDomain(name);
      await runWrite(ctx, () => {
        if (!cachedStatement(db, 'SELECT 1 FROM domains WHERE name = ?').get(d)) throw new StoreError('not_found', 'domain not found');
        if (cachedStatement(db, 'SELECT 1 FROM addresses WHERE domain = ? LIMIT 1').get(d)) {
          throw new StoreError('conflict', 'domain still has addresses');
        }
        cachedStatement(db, 'DELETE FROM domains WHERE name = ?').run(d);
      });
    },

    async createUser(input: NewUser): Promise<User> {
      const username = typeof input.username === 'string' ? input.username.trim().toLowerCase() : '';
      if (!USERNAME.test(username)) throw new StoreError('invalid', 'invalid username');
      const address = normalizeAddress(input.address);
      if (typeof input.password !== 'string' || input.password.length === 0 || input.password.length > 1024) {
        throw new StoreError('invalid', 'invalid password');
      }
      const quota = input.quota ?? 0;
      if (!Number.isSafeInteger(quota) || quota < 0) throw new StoreError('invalid', 'invalid quota');
      requireLocalDomain(address);
      if (cachedStatement(db, 'SELECT 1 FROM users WHERE username = ?').get(username) || addressTaken(address)) {
        throw new StoreError('already_exists', 'username or address already taken');
      }
      const hash = await hashPassword(input.password);
      const now = ctx.now();
      return runWrite(ctx, (fx) => {
        // Re-checked inside the write lock: another createUser may have won while we hashed.
        if (cachedStatement(db, 'SELECT 1 FROM users WHERE username = ?').get(username) || addressTaken(address)) {
          throw new StoreError('already_exists', 'username or address already taken');
        }
        const row = db
          .prepare(
            `INSERT INTO users (id, username, address, password_hash, display_name, first_name, last_name, phone, verified, admin, quota, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
          )
          .get(
            nextUserId(db),
            username,
            address,
            hash,
            input.displayName ?? '',
            input.firstName ?? '',
            input.lastName ?? '',
            input.phone ?? null,
            input.verified ? 1 : 0,
            input.admin ? 1 : 0,
            quota,
            now,
          ) as UserRow;
        cachedStatement(db, 'INSERT INTO addresses (address, user_id, domain, created_at) VALUES (?, ?, ?, ?)').run(address, row.id, domainOf(address), now);
        for (const mb of DEFAULT_MAILBOXES) insertMailboxRow(db, fx, row.id, mb.path, { specialUse: mb.specialUse, subscribed: true, nowMs: now });
        return toUser(userById(row.id)!);
      });
    },

    async getUser(id: Id) {
      const row = userById(parseId(id));
      return row ? toUser(row) : null;
    },

    async findUserByLogin(login: string) {
      const row = userByLogin(login);
      return row ? toUser(row) : null;
    },

    async listUsers(opts = {}) {
      const limit = Math.min(Math.max(Math.floor(opts.limit ?? 100), 1), 10_000);
      const offset = Math.max(Math.floor(opts.offset ?? 0), 0);
      return (cachedStatement(db, 'SELECT * FROM users ORDER BY id LIMIT ? OFFSET ?').all(limit, offset) as UserRow[]).map(toUser);
    },

    async updateUser(id: Id, patch: UserPatch) {
      const userId = parseId(id);
      if (!userById(userId)) throw new StoreError('not_found', 'user not found');
      const sets: string[] = [];
      const params: unknown[] = [];
      const text = (col: string, v: unknown, max = 256): void => {
        if (typeof v !== 'string' || v.length > max) throw new StoreError('invalid', `invalid ${col}`);
        sets.push(`${col} = ?`);
        params.push(v);
      };
      const bool = (col: string, v: unknown): void => {
        sets.push(`${col} = ?`);
        params.push(v ? 1 : 0);
      };
      if (patch.displayName !== undefined) text('display_name', patch.displayName);
      if (patch.firstName !== undefined) text('first_name', patch.firstName);
      if (patch.lastName !== undefined) text('last_name', patch.lastName);
      if (patch.phone !== undefined) {
        if (patch.phone !== null && (typeof patch.phone !== 'string' || patch.phone.length > 64)) throw new StoreError('invalid', 'invalid phone');
        sets.push('phone = ?');
        params.push(patch.phone);
      }
      if (patch.verified !== undefined) bool('verified', patch.verified);
      if (patch.disabled !== undefined) bool('disabled', patch.disabled);
      if (patch.admin !== undefined) bool('admin', patch.admin);
      if (patch.quota !== undefined) {
        if (!Number.isSafeInteger(patch.quota) || patch.quota < 0) throw new StoreError('invalid', 'invalid quota');
        sets.push('quota = ?');
        params.push(patch.quota);
      }
      if (patch.password !== undefined) {
        if (typeof patch.password !== 'string' || patch.password.length === 0 || patch.password.length > 1024) {
          throw new StoreError('invalid', 'invalid password');
        }
        sets.push('password_hash = ?');
        params.push(await hashPassword(patch.password));
      }
      return runWrite(ctx, () => {
        if (sets.length > 0) {
          const r = db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...params, userId);
          if (r.changes === 0) throw new StoreError('not_found', 'user not found');
        }
        const row = userById(userId);
        if (!row) throw new StoreError('not_found', 'user not found');
        return toUser(row);
      });
    },

    async deleteUser(id: Id) {
      const userId = parseId(id);
      await runWrite(ctx, (fx) => {
        if (!userById(userId)) throw new StoreError('not_found', 'user not found');
        deleteMessageRows(db, fx, 'SELECT id FROM messages WHERE user_id = ?', [userId]);
        for (const mb of cachedStatement(db, 'SELECT id, path, highest_modseq FROM mailboxes WHERE user_id = ?').all(userId) as Array<{
          id: number;
          path: string;
          highest_modseq: number;
        }>) {
          fx.events.push({ type: 'mailbox', userId: String(userId), mailboxId: String(mb.id), action: 'delete', path: mb.path, modseq: mb.highest_modseq + 1 });
        }
        // Mailboxes, journal and addresses follow through ON DELETE CASCADE.
        cachedStatement(db, 'DELETE FROM users WHERE id = ?').run(userId);
      });
    },

    async verifyPassword(login: string, password: string) {
      const row = userByLogin(login);
      if (typeof password !== 'string' || password.length > 1024) return null;
      if (!(await passwordMatches(row?.password_hash ?? null, password)) || !row) return null;
      const fresh = userById(row.id);
      if (!fresh || fresh.disabled === 1) return null;
      return toUser(fresh);
    },

    async addAddress(userId: Id, address: string) {
      const uid = parseId(userId);
      const a = normalizeAddress(address);
      await runWrite(ctx, () => {
        if (!userById(uid)) throw new StoreError('not_found', 'user not found');
        requireLocalDomain(a);
        if (addressTaken(a)) throw new StoreError('already_exists', 'address already taken');
        cachedStatement(db, 'INSERT INTO addresses (address, user_id, domain, created_at) VALUES (?, ?, ?, ?)').run(a, uid, domainOf(a), ctx.now());
      });
    },

    async listAddresses(userId: Id) {
      const uid = parseId(userId);
      if (!userById(uid)) throw new StoreError('not_found', 'user not found');
      return db.prepare('SELECT address FROM addresses WHERE user_id = ? ORDER BY created_at, address').pluck().all(uid) as string[];
    },

    async resolveAddress(address: string) {
      if (typeof address !== 'string') return null;
      const a = address.trim().toLowerCase();
      if (a.length === 0 || a.length > 320) return null;
      const row = cachedStatement(db, 'SELECT address, user_id FROM addresses WHERE address = ?').get(a) as { address: string; user_id: number } | undefined;
      return row ? { userId: String(row.user_id), address: row.address } : null;
    },
  };
}
