/**
 * Storage of accounts, sessions and the append-only audit log (the web app's access core). Portable SQL for
 * DuckDB and PostgreSQL with `$n` parameters. A user saved again replaces the stored one; audit entries are
 * only ever added.
 */
import type { AccessRepository } from '../warehouse.js';
import type { Role, UserRecord } from '../types.js';
import { str, strOrNull, type Param, type SqlDb } from './run.js';

function toUser(r: Record<string, unknown>): UserRecord {
  return {
    username: str(r.username),
    passwordHash: str(r.password_hash),
    role: str(r.role) as Role,
    municipalities: str(r.municipalities).split(',').filter(Boolean),
    organisation: strOrNull(r.organisation),
    disabled: Boolean(r.disabled),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  };
}

/** The access repository on an engine's connection. */
export function accessRepository(db: SqlDb): AccessRepository {
  return {
    async getUser(username) {
      const r = (await db.all(`SELECT * FROM users WHERE username = $1`, [username]))[0];
      return r ? toUser(r) : null;
    },

    async listUsers() {
      return (await db.all(`SELECT * FROM users ORDER BY username`)).map(toUser);
    },

    async saveUser(u) {
      await db.transaction(async () => {
        await db.exec(`DELETE FROM users WHERE username = $1`, [u.username]);
        await db.exec(`INSERT INTO users VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
          u.username,
          u.passwordHash,
          u.role,
          u.municipalities.join(','),
          u.organisation,
          u.disabled,
          u.createdAt,
          u.updatedAt,
        ]);
      });
    },

    async saveSession(s) {
      await db.exec(`INSERT INTO sessions VALUES ($1, $2, $3, $4, $5)`, [
        s.idHash,
        s.username,
        s.csrfToken,
        s.createdAt,
        s.expiresAt,
      ]);
    },

    async getSession(idHash) {
      const r = (await db.all(`SELECT * FROM sessions WHERE id_hash = $1`, [idHash]))[0];
      return r
        ? {
            idHash: str(r.id_hash),
            username: str(r.username),
            csrfToken: str(r.csrf_token),
            createdAt: str(r.created_at),
            expiresAt: str(r.expires_at),
          }
        : null;
    },

    async deleteSession(idHash) {
      await db.exec(`DELETE FROM sessions WHERE id_hash = $1`, [idHash]);
    },

    async deleteExpiredSessions(now) {
      await db.exec(`DELETE FROM sessions WHERE expires_at <= $1`, [now]);
    },

    async appendAudit(e) {
      await db.exec(`INSERT INTO audit_log VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        e.at,
        e.username,
        e.role,
        e.action,
        e.clients.join(' '),
        e.purpose,
        e.municipality,
        e.detail,
      ]);
    },

    async audit(q) {
      const w: string[] = [];
      const params: Param[] = [];
      const p = (v: Param) => (params.push(v), `$${params.length}`);
      if (q.username) w.push(`username = ${p(q.username)}`);
      if (q.client) w.push(`(' ' || clients || ' ') LIKE ${p(`% ${q.client} %`)}`);
      if (q.from) w.push(`logged_at >= ${p(q.from)}`);
      if (q.to) w.push(`logged_at <= ${p(q.to)}`);
      const rows = await db.all(
        `SELECT * FROM audit_log ${w.length ? `WHERE ${w.join(' AND ')}` : ''} ORDER BY logged_at DESC LIMIT ${p(q.limit ?? 1000)}`,
        params,
      );
      return rows.map((r) => ({
        at: str(r.logged_at),
        username: str(r.username),
        role: str(r.role),
        action: str(r.action),
        clients: str(r.clients).split(' ').filter(Boolean),
        purpose: strOrNull(r.purpose),
        municipality: strOrNull(r.municipality),
        detail: strOrNull(r.detail),
      }));
    },
  };
}
