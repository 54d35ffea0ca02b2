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
/** Failed logins from one IP address (any usernames) within LOCKOUT_MINUTES before that address is refused. */
export const MAX_FAILED_LOGINS_PER_IP = 20;
let dummy: Promise<string> | null = null;
/** An argon2 hash of a random password (same parameters as real ones), made once per process. */
function dummyHash(): Promise<string> {
  dummy ??= hash(randomBytes(18).toString('base64url'));
  return dummy;
}

/** Password hash of accounts that log in only through OpenID Connect: never a valid argon2 hash. */
export const EXTERNAL_HASH_PREFIX = '!external:';

/**
 * An identity verified by an OpenID Connect provider. Either it logs in as an existing Grip user
 * (`provision` absent), or its account (username `ext:…`) is created or updated from the provider's claims.
 */
export interface ExternalIdentity {
  issuer: string;
  subject: string;
  username: string;
  provision?: { role: Role; municipalities: string[]; organisation: string | null };
}

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
  if (!/^[a-z0-9][a-z0-9._@-]{1,63}$/i.test(u.username))
    throw new GripError('USER_INVALID', `username "${u.username}" must be 2–64 letters, digits, . _ @ or -`);
  if (!ROLES.includes(u.role)) throw new GripError('USER_INVALID', `role must be one of ${ROLES.join(', ')}`);
  const munis = (u.municipalities ?? []).map((m) => {
    const code = normaliseMunicipalityCode(m);
    if (!code || !cbsMunicipality(code)) throw new GripError('USER_INVALID', `"${m}" is not a CBS municipality code`);
    return code;
  });
  if (u.role === 'gemeente' && !munis.length)
    throw new GripError('USER_INVALID', 'a gemeente user needs at least one municipality (--municipality 0482)');
  if (u.password !== undefined && u.password.length < MIN_PASSWORD_LENGTH)
    throw new GripError('USER_INVALID', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
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
    await this.store.appendAudit({
      at: this.now(),
      username: actor.username,
      role: actor.role,
      action,
      clients: [],
      purpose: null,
      municipality: null,
      detail,
    });
  }

  /**
   * A new session for a user who has just logged in (the raw id goes into the cookie; only its hash is
   * stored), audited as `action`. Expired sessions are removed on the way.
   */
  private async startSession(
    u: UserRecord,
    action: 'login' | 'login.oidc',
    detail: string | null,
  ): Promise<{ sessionId: string; session: SessionRecord; user: UserRecord }> {
    const sessionId = randomBytes(32).toString('base64url');
    const now = this.clock();
    const session: SessionRecord = {
      idHash: sha(sessionId),
      username: u.username,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
    };
    await this.store.deleteExpiredSessions(now.toISOString());
    await this.store.saveSession(session);
    await this.audit({ username: u.username, role: u.role }, action, detail);
    return { sessionId, session, user: u };
  }

  /** Creates a user; returns the (generated or given) password once. */
  async addUser(
    u: NewUser,
    actor = { username: 'cli', role: 'beheerder' },
  ): Promise<{ user: UserRecord; password: string }> {
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

  async setDisabled(
    username: string,
    disabled: boolean,
    actor = { username: 'cli', role: 'beheerder' },
  ): Promise<void> {
    const u = await this.store.getUser(username);
    if (!u) throw new GripError('USER_UNKNOWN', `no user ${username}`);
    await this.store.saveUser({ ...u, disabled, updatedAt: this.now() });
    await this.audit(actor, disabled ? 'user.disable' : 'user.enable', username);
  }

  async resetPassword(
    username: string,
    password?: string,
    actor = { username: 'cli', role: 'beheerder' },
  ): Promise<string> {
    const u = await this.store.getUser(username);
    if (!u) throw new GripError('USER_UNKNOWN', `no user ${username}`);
    const pw = password ?? generatePassword();
    if (pw.length < MIN_PASSWORD_LENGTH)
      throw new GripError('USER_INVALID', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
    await this.store.saveUser({ ...u, passwordHash: await hash(pw), updatedAt: this.now() });
    await this.audit(actor, 'user.reset-password', username);
    return pw;
  }

  private locked(key: string, max = MAX_FAILED_LOGINS): boolean {
    const cutoff = this.clock().getTime() - LOCKOUT_MINUTES * 60_000;
    const recent = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (recent.length) this.failures.set(key, recent);
    else this.failures.delete(key);
    return recent.length >= max;
  }

  /**
   * Checks a login. Returns a new session (the raw id goes into the cookie; only its hash is stored) or
   * null. After MAX_FAILED_LOGINS failures in LOCKOUT_MINUTES, the username is locked for that time.
   */
  async login(
    username: string,
    password: string,
    from = '',
  ): Promise<{ sessionId: string; session: SessionRecord; user: UserRecord } | null> {
    const key = username.toLowerCase();
    // Per IP address as well: one address may not try many usernames (password spraying).
    const ipKey = from ? `ip:${from}` : null;
    if (ipKey && this.locked(ipKey, MAX_FAILED_LOGINS_PER_IP)) {
      await this.audit({ username, role: '-' }, 'login.ratelimited', from);
      return null;
    }
    if (this.locked(key)) {
      await this.audit({ username, role: '-' }, 'login.locked', from || null);
      return null;
    }
    const u = await this.store.getUser(username);
    // The same argon2 work whatever the account: an unknown name, a disabled account or one that logs in only
    // through OpenID Connect is checked against a dummy hash, so the answer's timing tells nothing.
    const real = u && u.passwordHash.startsWith('$argon2') ? u.passwordHash : await dummyHash();
    const verified = await verify(real, password).catch(() => false);
    const ok = !!u && !u.disabled && real === u.passwordHash && verified;
    if (!ok) {
      this.failures.set(key, [...(this.failures.get(key) ?? []), this.clock().getTime()]);
      if (ipKey) this.failures.set(ipKey, [...(this.failures.get(ipKey) ?? []), this.clock().getTime()]);
      await this.audit({ username, role: u?.role ?? '-' }, 'login.failed', from || null);
      return null;
    }
    this.failures.delete(key);
    return this.startSession(u, 'login', from || null);
  }

  /**
   * Starts a session for an identity verified by an OpenID Connect provider (the caller has checked the
   * ID token, state, nonce and PKCE). Audited as `login.oidc`; a refusal as `login.oidc.failed`.
   * Provisioned accounts are named `ext:…` (a name no local account can have) and carry no usable
   * password; they are updated from the claims at every login, and stay disabled once a beheerder disables
   * them. An existing local account is never taken over by provisioning.
   */
  async loginExternal(
    id: ExternalIdentity,
    from = '',
  ): Promise<{ sessionId: string; session: SessionRecord; user: UserRecord } | null> {
    const where = `${from ? from + ' ' : ''}iss=${id.issuer} sub=${id.subject}`;
    const refuse = async (reason: string, role = '-') => {
      await this.audit({ username: id.username, role }, 'login.oidc.failed', `${where}: ${reason}`);
      return null;
    };
    let u = await this.store.getUser(id.username);
    if (id.provision) {
      if (!id.username.startsWith('ext:')) return refuse('provisioned accounts must be named ext:…');
      const marker = EXTERNAL_HASH_PREFIX + id.issuer;
      if (u && u.passwordHash !== marker) return refuse('the name belongs to another account', u.role);
      const p = id.provision;
      if (!ROLES.includes(p.role)) return refuse(`unknown role ${p.role}`);
      const munis: string[] = [];
      for (const m of p.municipalities) {
        const code = normaliseMunicipalityCode(m);
        if (!code || !cbsMunicipality(code)) return refuse(`"${m}" is not a CBS municipality code`);
        munis.push(code);
      }
      if (p.role === 'gemeente' && !munis.length) return refuse('role gemeente without municipalities');
      if (p.role === 'partner' && !p.organisation) return refuse('role partner without organisation');
      if (u?.disabled) return refuse('account disabled', u.role);
      const now = this.now();
      const next: UserRecord = {
        username: id.username,
        passwordHash: marker,
        role: p.role,
        municipalities: p.role === 'gemeente' ? [...new Set(munis)].sort() : [],
        organisation: p.role === 'partner' ? p.organisation : null,
        disabled: false,
        createdAt: u?.createdAt ?? now,
        updatedAt: now,
      };
      const changed =
        !u ||
        u.role !== next.role ||
        u.municipalities.join(',') !== next.municipalities.join(',') ||
        u.organisation !== next.organisation;
      if (changed) {
        await this.store.saveUser(next);
        await this.audit(
          { username: 'oidc', role: '-' },
          u ? 'user.update' : 'user.add',
          `${next.username} (${next.role}${next.municipalities.length ? ' ' + next.municipalities.join(',') : ''}) from ${id.issuer}`,
        );
      }
      u = next;
    } else {
      if (!u) return refuse('no Grip user with this name');
      if (u.disabled) return refuse('account disabled', u.role);
    }
    return this.startSession(u, 'login.oidc', where);
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
