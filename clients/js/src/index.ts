/**
 * @mailguard/client — a typed client for MailGuard, for browsers and Node.
 *
 * Types come from the service's OpenAPI document (src/generated/openapi.ts, `npm run
 * client:generate`); the only runtime dependency is `fetch`. The session manager keeps the
 * access token in memory, refreshes it shortly before it expires (one refresh at a time), keeps
 * tabs in step through BroadcastChannel and Web Locks, and speaks the header transport (refresh
 * token in memory) or the cookie transport (refresh token in an HttpOnly cookie no script reads).
 */
import type { components, paths } from './generated/openapi.js';

export type { components, paths };
export type Schemas = components['schemas'];
export type User = Schemas['UserResponse'];
export type ErrorBody = Schemas['ErrorBody'];
export type ErrorCode = ErrorBody['code'];
export type LogoutScope = 'local' | 'others' | 'global';

type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof paths, M extends HttpMethod> = NonNullable<paths[P][M]>;
type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON body of an operation's success answer (void for 204). */
export type SuccessOf<P extends keyof paths, M extends HttpMethod> =
  Operation<P, M> extends { responses: infer R }
    ? R extends { 200: infer A }
      ? JsonOf<A>
      : R extends { 201: infer A }
        ? JsonOf<A>
        : void
    : never;
/** The JSON request body an operation takes (never when it takes none). */
export type BodyOf<P extends keyof paths, M extends HttpMethod> =
  Operation<P, M> extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;
type ParamsOf<P extends keyof paths, M extends HttpMethod> =
  Operation<P, M> extends { parameters: infer Q } ? Q : never;

/** What every request may carry; `path` fills `{id}`-style segments, `query` the search string. */
export interface RequestOptions<
  P extends keyof paths = keyof paths,
  M extends HttpMethod = HttpMethod,
> {
  path?: ParamsOf<P, M> extends { path?: infer X } ? X : Record<string, string>;
  query?: ParamsOf<P, M> extends { query?: infer X } ? X : Record<string, unknown>;
  body?: BodyOf<P, M>;
  /** Send the access token (default true); public routes ignore it. */
  auth?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** An answer of the service that is not a success: its status and the one error shape. */
export class MailGuardError extends Error {
  override readonly name = 'MailGuardError';
  readonly status: number;
  /** The service's stable code (ErrorCode; newer services may add codes). */
  readonly code: ErrorCode;
  readonly errors?: Record<string, string[]>;
  /** Seconds to wait, from `Retry-After` (429 answers). */
  readonly retryAfter?: number;
  readonly requestId?: string;

  constructor(status: number, body: Partial<ErrorBody> | undefined, headers?: Headers) {
    super(body?.message ?? `MailGuard answered ${status}`);
    this.status = status;
    this.code = body?.code ?? 'INTERNAL_ERROR';
    this.errors = body?.errors;
    const retry = headers?.get('retry-after');
    this.retryAfter = retry && /^\d+$/.test(retry) ? Number(retry) : undefined;
    this.requestId = headers?.get('x-request-id') ?? undefined;
  }
}

/** The service could not be reached (offline, DNS, CORS refusal): nothing was decided. */
export class MailGuardNetworkError extends Error {
  override readonly name = 'MailGuardNetworkError';
  constructor(override readonly cause: unknown) {
    super('MailGuard could not be reached.');
  }
}

export type AuthEvent = 'SIGNED_IN' | 'TOKEN_REFRESHED' | 'SIGNED_OUT';
export interface AuthState {
  signedIn: boolean;
  /** The access token (memory only); null when signed out. */
  accessToken: string | null;
  /** When it expires (ms since the epoch). */
  expiresAt: number | null;
}
export type AuthListener = (event: AuthEvent, state: AuthState) => void;

export interface MailGuardClientOptions {
  /** The service's base URL, e.g. `https://auth.example.com` (no `/api`). */
  baseUrl: string;
  /** `cookie` for browser frontends (refresh token in an HttpOnly cookie), `header` otherwise. */
  transport?: 'header' | 'cookie';
  /** Refresh this many seconds before the access token expires (default 60, at most half its life). */
  refreshMarginSeconds?: number;
  /** Tabs of one app share sign-in state on this BroadcastChannel; false turns it off. */
  channelName?: string | false;
  fetch?: typeof fetch;
}

interface TokenAnswer {
  access: string;
  refresh?: string;
  expires_in: number;
}

type Message =
  | { type: 'tokens'; access: string; refresh?: string; expiresAt: number; event: AuthEvent }
  | { type: 'signed-out' };

interface Channel {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}
interface Locks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}
interface Timer {
  unref?: () => void;
}

export class MailGuardClient {
  private readonly baseUrl: string;
  private readonly transport: 'header' | 'cookie';
  private readonly fetchFn: typeof fetch;
  private readonly marginSeconds: number;
  private readonly channel: Channel | null;
  private readonly listeners = new Set<AuthListener>();
  private access: string | null = null;
  private refreshToken: string | null = null;
  private expiresAt: number | null = null;
  /** Bumped by every sign-in and sign-out: answers that started before are discarded. */
  private generation = 0;
  private inflight: Promise<string | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: MailGuardClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.transport = options.transport ?? 'header';
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.marginSeconds = options.refreshMarginSeconds ?? 60;
    const Broadcast = (
      globalThis as unknown as { BroadcastChannel?: new (name: string) => Channel }
    ).BroadcastChannel;
    const name = options.channelName ?? `mailguard:${this.baseUrl}`;
    this.channel = name !== false && Broadcast ? new Broadcast(name) : null;
    if (this.channel) this.channel.onmessage = (event) => this.onMessage(event.data as Message);
  }

  // ---- session state ----------------------------------------------------------------------

  get state(): AuthState {
    return {
      signedIn: this.access !== null,
      accessToken: this.access,
      expiresAt: this.expiresAt,
    };
  }

  /** Calls `listener` on every sign-in, refresh and sign-out (this tab's or another's). */
  onAuthStateChange(listener: AuthListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops timers and leaves the tab channel; the session itself lives on. */
  dispose(): void {
    this.clearTimer();
    this.channel?.close();
    this.listeners.clear();
  }

  /**
   * The access token to send now: refreshed first when it is about to expire. Null when signed
   * out. Throws MailGuardNetworkError only when the service is unreachable and no valid token is left.
   */
  async getAccessToken(): Promise<string | null> {
    if (this.access && this.expiresAt !== null && this.expiresAt - Date.now() > 5_000)
      return this.access;
    if (!this.access && !this.refreshToken && this.transport === 'header') return null;
    return this.refresh();
  }

  /**
   * Trades the refresh token (the cookie, in cookie mode) for new tokens: one request at a time
   * in this tab, one tab at a time where Web Locks exist. In cookie mode, call it on page load to
   * pick up a session the cookie holds. Resolves to the access token, or null when signed out.
   */
  refresh(): Promise<string | null> {
    this.inflight ??= this.refreshOnce().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async refreshOnce(): Promise<string | null> {
    const generation = this.generation;
    const before = this.expiresAt;
    const locks = (globalThis as { navigator?: { locks?: Locks } }).navigator?.locks;
    const attempt = async (): Promise<string | null> => {
      // Another tab refreshed while this one waited for the lock: its tokens are already here.
      if (this.access && this.expiresAt !== before && this.expiresAt !== null) return this.access;
      return this.callRefresh(generation, before);
    };
    return locks ? locks.request(`mailguard-refresh:${this.baseUrl}`, attempt) : attempt();
  }

  private async callRefresh(
    generation: number,
    before: number | null,
    retried = false,
  ): Promise<string | null> {
    const body = this.transport === 'header' ? { refresh: this.refreshToken ?? '' } : undefined;
    if (this.transport === 'header' && !this.refreshToken) return null;
    let answer: TokenAnswer;
    try {
      answer = await this.call<TokenAnswer>('POST', '/api/users/token/refresh/', {
        body,
        headers: { 'X-CSRF-Protection': '1' },
        auth: false,
      });
    } catch (error) {
      if (generation !== this.generation) return this.access;
      if (error instanceof MailGuardNetworkError) {
        // Offline is not signed out: keep a token that still works and try again soon.
        this.schedule(15_000);
        if (this.access && this.expiresAt !== null && this.expiresAt > Date.now())
          return this.access;
        throw error;
      }
      // Cookie mode with no cookie at all (never signed in here, or signed out): 400.
      if (error instanceof MailGuardError && error.status === 400 && this.transport === 'cookie') {
        this.signOutLocally(false);
        return null;
      }
      if (error instanceof MailGuardError && error.status === 401) {
        // Another tab may have rotated the token a moment ago: its answer arrives by broadcast
        // (header mode) or is already in the cookie jar (cookie mode). Try once more after it.
        if (!retried) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          if (generation !== this.generation) return this.access;
          if (this.expiresAt !== before && this.access) return this.access;
          return this.callRefresh(generation, before, true);
        }
        this.signOutLocally(true);
        return null;
      }
      throw error;
    }
    // A sign-out (here or in another tab) happened meanwhile: this answer is void.
    if (generation !== this.generation) return this.access;
    const event: AuthEvent = this.access ? 'TOKEN_REFRESHED' : 'SIGNED_IN';
    this.adopt(answer, event, true);
    return this.access;
  }

  /** Ends the session on the server and in every tab; local state is cleared first. */
  async signOut(scope: LogoutScope = 'local'): Promise<void> {
    const access = this.access;
    const refresh = this.refreshToken;
    this.signOutLocally(true);
    const body: Record<string, string> = { scope };
    if (refresh) body.refresh_token = refresh;
    const headers: Record<string, string> = { 'X-CSRF-Protection': '1' };
    if (access) headers.Authorization = `Bearer ${access}`;
    if (!access && this.transport === 'header') return;
    try {
      await this.call('POST', '/api/users/logout/', { body, headers, auth: false });
    } catch (error) {
      // Already over on the server (expired, revoked): signed out is signed out.
      if (!(error instanceof MailGuardError && error.status === 401)) throw error;
    }
  }

  private signOutLocally(broadcast: boolean): void {
    const wasSignedIn = this.access !== null || this.refreshToken !== null;
    this.generation++;
    this.access = null;
    this.refreshToken = null;
    this.expiresAt = null;
    this.clearTimer();
    if (broadcast) this.channel?.postMessage({ type: 'signed-out' } satisfies Message);
    if (wasSignedIn) this.emit('SIGNED_OUT');
  }

  private adopt(answer: TokenAnswer, event: AuthEvent, broadcast: boolean): void {
    if (event === 'SIGNED_IN') this.generation++;
    this.access = answer.access;
    if (answer.refresh) this.refreshToken = answer.refresh;
    this.expiresAt = Date.now() + answer.expires_in * 1000;
    this.scheduleBeforeExpiry(answer.expires_in);
    if (broadcast)
      this.channel?.postMessage({
        type: 'tokens',
        access: this.access,
        refresh: this.transport === 'header' ? (this.refreshToken ?? undefined) : undefined,
        expiresAt: this.expiresAt,
        event,
      } satisfies Message);
    this.emit(event);
  }

  private onMessage(message: Message): void {
    if (message.type === 'signed-out') return this.signOutLocally(false);
    if (message.type !== 'tokens') return;
    const event: AuthEvent = this.access ? 'TOKEN_REFRESHED' : 'SIGNED_IN';
    if (event === 'SIGNED_IN') this.generation++;
    this.access = message.access;
    if (message.refresh) this.refreshToken = message.refresh;
    this.expiresAt = message.expiresAt;
    this.scheduleBeforeExpiry((message.expiresAt - Date.now()) / 1000);
    this.emit(event);
  }

  private scheduleBeforeExpiry(lifetimeSeconds: number): void {
    const margin = Math.min(this.marginSeconds, lifetimeSeconds / 2);
    this.schedule(Math.max(0, (lifetimeSeconds - margin) * 1000));
  }

  private schedule(ms: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh().catch(() => undefined);
    }, ms);
    (this.timer as Timer).unref?.();
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private emit(event: AuthEvent): void {
    const state = this.state;
    for (const listener of this.listeners) listener(event, state);
  }

  // ---- requests ---------------------------------------------------------------------------

  /**
   * Any route of the contract, typed from the OpenAPI document: sends the access token (and, on
   * a 401, refreshes once and retries once), throws MailGuardError with the service's error shape.
   */
  async request<P extends keyof paths, M extends HttpMethod>(
    method: M,
    path: P,
    options: RequestOptions<P, M> = {},
  ): Promise<SuccessOf<P, M>> {
    let url = String(path);
    for (const [key, value] of Object.entries(options.path ?? {}))
      url = url.replace(`{${key}}`, encodeURIComponent(String(value)));
    const query = Object.entries((options.query ?? {}) as Record<string, unknown>).filter(
      ([, value]) => value !== undefined && value !== null,
    );
    if (query.length > 0)
      url += `?${new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
    if (options.auth === false)
      return this.call(method.toUpperCase(), url, { ...options, auth: false });
    const token = await this.getAccessToken();
    try {
      return await this.call(method.toUpperCase(), url, { ...options, token });
    } catch (error) {
      if (!(error instanceof MailGuardError && error.status === 401 && token)) throw error;
      const fresh = await this.refresh();
      if (!fresh || fresh === token) throw error;
      return this.call(method.toUpperCase(), url, { ...options, token: fresh });
    }
  }

  private async call<T>(
    method: string,
    url: string,
    options: {
      body?: unknown;
      headers?: Record<string, string>;
      token?: string | null;
      auth?: boolean;
      signal?: AbortSignal;
    },
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    if (this.transport === 'cookie') headers['X-Token-Transport'] = 'cookie';
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchFn(this.baseUrl + url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: this.transport === 'cookie' ? 'include' : 'same-origin',
        signal: options.signal,
      });
    } catch (error) {
      if ((error as { name?: string }).name === 'AbortError') throw error;
      throw new MailGuardNetworkError(error);
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (!response.ok)
      throw new MailGuardError(response.status, parsed as Partial<ErrorBody>, response.headers);
    return parsed as T;
  }

  // ---- the contract's routes, by name --------------------------------------------------------

  /** Mails a sign-in code (the same answer whether or not the email has an account). */
  requestCode(email: string) {
    return this.request('post', '/api/users/get-otp', { body: { email }, auth: false });
  }

  /** Signs in with the emailed code; the tokens stay in this client (and its tabs). */
  async signInWithCode(email: string, otp: string): Promise<AuthState> {
    const answer = await this.request('post', '/api/users/login', {
      body: { email, otp },
      auth: false,
    });
    this.adopt(answer, 'SIGNED_IN', true);
    return this.state;
  }

  async signInWithPassword(email: string, password: string): Promise<AuthState> {
    const answer = await this.request('post', '/api/users/login', {
      body: { email, password },
      auth: false,
    });
    this.adopt(answer, 'SIGNED_IN', true);
    return this.state;
  }

  register(body: BodyOf<'/api/users/register', 'post'>) {
    return this.request('post', '/api/users/register', { body, auth: false });
  }

  /** Confirms a registration with its code and signs the new account in. */
  async confirmRegistration(email: string, otp: string) {
    const answer = await this.request('post', '/api/users/verify-otp', {
      body: { email, otp },
      auth: false,
    });
    this.adopt(answer, 'SIGNED_IN', true);
    return answer.data[0];
  }

  forgotPassword(email: string) {
    return this.request('post', '/api/users/forgot-password', { body: { email }, auth: false });
  }

  resetPassword(body: BodyOf<'/api/users/reset-password', 'post'>) {
    return this.request('post', '/api/users/reset-password', { body, auth: false });
  }

  getMe() {
    return this.request('get', '/api/users/me');
  }

  updateMe(body: BodyOf<'/api/users/me', 'patch'>) {
    return this.request('patch', '/api/users/me', { body });
  }

  /** Deactivates the caller's own account (every session ends, this one too). */
  async deleteMe(): Promise<void> {
    await this.request('delete', '/api/users/me');
    this.signOutLocally(true);
  }

  changePassword(body: BodyOf<'/api/users/me/password', 'post'>) {
    return this.request('post', '/api/users/me/password', { body });
  }

  listMySessions() {
    return this.request('get', '/api/users/me/sessions');
  }

  revokeMySession(id: string) {
    return this.request('delete', '/api/users/me/sessions/{id}', { path: { id } });
  }

  listUsers(query: RequestOptions<'/api/users', 'get'>['query'] = {}) {
    return this.request('get', '/api/users', { query });
  }

  createUser(body: BodyOf<'/api/users', 'post'>) {
    return this.request('post', '/api/users', { body });
  }

  getUser(id: string) {
    return this.request('get', '/api/users/{id}', { path: { id } });
  }

  updateUser(id: string, body: BodyOf<'/api/users/{id}', 'patch'>) {
    return this.request('patch', '/api/users/{id}', { path: { id }, body });
  }

  deleteUser(id: string) {
    return this.request('delete', '/api/users/{id}', { path: { id } });
  }

  restoreUser(id: string) {
    return this.request('post', '/api/users/{id}/restore', { path: { id } });
  }

  unlockAccount(id: string) {
    return this.request('delete', '/api/admin/users/{id}/lockout', { path: { id } });
  }

  health() {
    return this.request('get', '/api/health', { auth: false });
  }

  ready() {
    return this.request('get', '/api/health/ready', { auth: false });
  }
}

export function createClient(options: MailGuardClientOptions): MailGuardClient {
  return new MailGuardClient(options);
}
