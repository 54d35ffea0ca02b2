/**
 * Accounts and sessions: argon2id password hashes (@node-rs/argon2), session ids that are stored only as
 * SHA-256 hashes, expiry, a CSRF token per session, and a lockout after repeated failed logins.
 * Every login, failed login and user change is written to the audit log.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { normaliseMunicipalityCode, cbsMunicipality } from '../domain/codes/index.js';
import { GripError } from '../domain/errors.js';
import { ROLES, type AccessStore, type Role, type SessionRecord, type UserRecord } from '../warehouse/warehouse.js';

export const MIN_PASSWORD_LENGTH = 12;
export const SESSION_HOURS = 8;
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export type Clock = () => Date;

export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export interface NewUser {
  username: string;
  role: Role;
  municipalities?: string[];
  organisation?: string | null;
  password?: string;
}

function checkUser(u: NewUser): string[] {
  if (!/^[a-z0-9][a-z0-9._@-]{1,63}$/i.test(u.username)) throw new GripError('USER_INVALID', `username "${u.username}" must be 2–64 letters, digits, . _ @ or -`);
  if (!ROLES.includes(u.role)) throw new GripError('USER_INVALID', `role must be one of ${ROLES.join(', ')}`);
  const munis = (u.municipalities ?? []).map((m) => {
    const code = normaliseMunicipalityCode(m);
    if (!code || !cbsMunicipality(code)) throw new GripError('USER_INVALID', `"${m}" is not a CBS municipality code`);
    return code;
  });
  if (u.role === 'gemeente' && !munis.length) throw new GripError('USER_INVALID', 'a gemeente user needs at least one municipality (--municipality 0482)');
  if (u.password !== undefined && u.password.length < MIN_PASSWORD_LENGTH) throw new GripError('USER_INVALID', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  return munis;
}

export class Accounts {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly store: AccessStore,
    private readonly clock: Clock = () => new Date(),
  ) {}

  private now(): string {
    return this.clock().toISOString();
  }

  private async audit(actor: { username: string; role: string }, action: string, detail: string | null = null) {
    await this.store.appendAudit({ at: this.now(), username: actor.username, role: actor.role, action, clients: [], purpose: null, municipality: null, detail });
  }

  /** Creates a user; returns the (generated or given) password once. */
  async addUser(u: NewUser, actor = { username: 'cli', role: 'beheerder' }): Promise<{ user: UserRecord; password: string }> {
    const munis = checkUser(u);
    if (await this.store.getUser(u.username)) throw new GripError('USER_EXISTS', `user ${u.username} already exists`);
    const password = u.password ?? generatePassword();
    const now = this.now();
    const user: UserRecord = {
      username: u.username,
      passwordHash: await hash(password),
      role: u.role,
      municipalities: u.role === 'gemeente' ? munis : [],
      organisation: u.organisation ?? null,
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.saveUser(user);
    await this.audit(actor, 'user.add', `${u.username} (${u.role}${munis.length ? ' ' + munis.join(',') : ''})`);
    return { user, password };
  }

  async setDisabled(username: string, disabled: boolean, actor = { username: 'cli', role: 'beheerder' }): Promise<void> {
    const u = await this.store.getUser(username);
    if (!u) throw new GripError('USER_UNKNOWN', `no user ${username}`);
    await this.store.saveUser({ ...u, disabled, updatedAt: this.now() });
    await this.audit(actor, disabled ? 'user.disable' : 'user.enable', username);
  }

  async resetPassword(username: string, password?: string, actor = { username: 'cli', role: 'beheerder' }): Promise<string> {
    const u = await this.store.getUser(username);
    if (!u) throw new GripError('USER_UNKNOWN', `no user ${username}`);
    const pw = password ?? generatePassword();
    if (pw.length < MIN_PASSWORD_LENGTH) throw new GripError('USER_INVALID', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
    await this.store.saveUser({ ...u, passwordHash: await hash(pw), updatedAt: this.now() });
    await this.audit(actor, 'user.reset-password', username);
    return pw;
  }

  private locked(key: string): boolean {
    const cutoff = this.clock().getTime() - LOCKOUT_MINUTES * 60_000;
    const recent = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    this.failures.set(key, recent);
    return recent.length >= MAX_FAILED_LOGINS;
  }

  /**
   * Checks a login. Returns a new session (the raw id goes into the cookie; only its hash is stored) or
   * null. After MAX_FAILED_LOGINS failures in LOCKOUT_MINUTES, the username is locked for that time.
   */
  async login(username: string, password: string, from = ''): Promise<{ sessionId: string; session: SessionRecord; user: UserRecord } | null> {
    const key = username.toLowerCase();
    if (this.locked(key)) {
      await this.audit({ username, role: '-' }, 'login.locked', from || null);
      return null;
    }
    const u = await this.store.getUser(username);
    const ok = !!u && !u.disabled && (await verify(u.passwordHash, password).catch(() => false));
    if (!ok) {
      this.failures.set(key, [...(this.failures.get(key) ?? []), this.clock().getTime()]);
      await this.audit({ username, role: u?.role ?? '-' }, 'login.failed', from || null);
      return null;
    }
    this.failures.delete(key);
    const sessionId = randomBytes(32).toString('base64url');
    const now = this.clock();
    const session: SessionRecord = {
      idHash: sha(sessionId),
      username: u!.username,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
    };
    await this.store.deleteExpiredSessions(now.toISOString());
    await this.store.saveSession(session);
    await this.audit({ username: u!.username, role: u!.role }, 'login', from || null);
    return { sessionId, session, user: u! };
  }

  /** The user and session behind a cookie value, or null when unknown, expired or disabled. */
  async resolve(sessionId: string | undefined): Promise<{ user: UserRecord; session: SessionRecord } | null> {
    if (!sessionId) return null;
    const s = await this.store.getSession(sha(sessionId));
    if (!s) return null;
    if (s.expiresAt <= this.now()) {
      await this.store.deleteSession(s.idHash);
      return null;
    }
    const u = await this.store.getUser(s.username);
    if (!u || u.disabled) return null;
    return { user: u, session: s };
  }

  async logout(sessionId: string): Promise<void> {
    await this.store.deleteSession(sha(sessionId));
  }
}
