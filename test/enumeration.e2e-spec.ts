import { deactivate, PASSWORD, SignedIn, signInByCode, signUpWithPassword } from './support/auth';
import { mailsTo, uniqueEmail, waitForMail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const FRONTEND = 'https://app.example.com/auth/magic';

const SAMPLES = 80;
/**
 * The order of the four kinds in each round: a Williams square, in which every kind follows every
 * other exactly once per four rounds. A deliverable mail leaves work for the mail worker that
 * lands on the next request; with the rounds merely rotated, one kind followed the same
 * deliverable kind three rounds in four and was slower for it (13 ms of register's medians
 * under CI load), whatever the route did.
 */
const ORDERS = [
  [0, 1, 3, 2],
  [1, 2, 0, 3],
  [2, 3, 1, 0],
  [3, 0, 2, 1],
];
/** The widest gap between two kinds' median offsets from their rounds' means. */
const MAX_MEDIAN_GAP_MS = 10;

type Body = (email: string, locale: string) => Record<string, unknown>;

/** Mixed languages: the locale field, the stored locale and Accept-Language must change nothing. */
const LOCALES = ['en', 'de', 'fr', 'es', 'pt-BR'];
const ACCEPT_LANGUAGES = ['de-AT,de;q=0.9', 'pt', 'fr-CA, en;q=0.5', 'it', 'es-419'];

/** Name, path, body, and the status every email must get. */
const ROUTES: [string, string, Body, number][] = [
  ['get-otp', '/api/users/get-otp/', (email, locale) => ({ email, locale }), 200],
  [
    'register',
    '/api/users/register/',
    (email, locale) => ({ email, password: 'fresh-Pa55word!', full_name: 'Probe', locale }),
    200,
  ],
  ['forgot-password', '/api/users/forgot-password/', (email, locale) => ({ email, locale }), 200],
  ['password login', '/api/users/login/', (email) => ({ email, password: 'wrong-Pa55word!' }), 400],
  ['code login', '/api/users/login/', (email) => ({ email, otp: '000000' }), 400],
];

/** The headers an answer is compared on: all but those that differ on every request. */
function headersOf(headers: Headers): Record<string, string> {
  const varying = ['date', 'x-request-id', 'content-length'];
  return Object.fromEntries([...headers].filter(([name]) => !varying.includes(name)));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

describe('no account enumeration', () => {
  let t: TestApp;
  let admin: SignedIn;
  let existing: string;
  let inactive: string;
  let banned: string;
  const adminEmail = uniqueEmail('admin');
  const report: string[] = [];

  /** An admin bans the account through the API, as support staff would. */
  async function ban(id: string, until?: string): Promise<void> {
    const res = await t.post(
      `/api/admin/users/${id}/ban`,
      { reason: 'Enumeration test', ...(until ? { until } : {}) },
      { token: admin.access },
    );
    if (res.status !== 200) throw new Error(`ban answered ${res.status}: ${res.text}`);
  }

  beforeAll(async () => {
    t = await startTestApp({
      ADMIN_EMAIL: adminEmail,
      MAGIC_LINK_URL: FRONTEND,
      OTP_RESEND_SECONDS: '0',
      OTP_MAX_SENDS_PER_HOUR: '1000',
    });
    admin = await signInByCode(t, adminEmail);
    const signedUp = await signUpWithPassword(t, uniqueEmail('existing'), PASSWORD);
    existing = signedUp.email;
    // A stored language of its own, so every resolution step is exercised.
    await t.patch('/api/users/me', { locale: 'de' }, { token: signedUp.access });
    inactive = (await signUpWithPassword(t, uniqueEmail('inactive'), PASSWORD)).email;
    await deactivate(t, inactive);
    const bannedUser = await signUpWithPassword(t, uniqueEmail('banned'), PASSWORD);
    banned = bannedUser.email;
    await ban(bannedUser.id);
  });
  afterAll(async () => {
    if (report.length > 0) console.log(`median response times:\n${report.join('\n')}`);
    await t.close();
  });

  it.each(ROUTES)(
    '%s answers existing, unknown, inactive and banned emails identically, in every language',
    async (_, path, body, status) => {
      const answers = [];
      for (const [i, email] of [existing, uniqueEmail('unknown'), inactive, banned].entries()) {
        const res = await t.post(path, body(email, LOCALES[i + 1]), {
          headers: { 'accept-language': ACCEPT_LANGUAGES[i] },
        });
        answers.push({
          status: res.status,
          body: res.body,
          headers: headersOf(res.headers),
        });
      }
      expect(answers[0].status).toBe(status);
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      expect(answers[3]).toEqual(answers[0]);
    },
  );

  it.each(ROUTES.filter(([name]) => name !== 'code login'))(
    `%s takes as long for an existing email as for an unknown, inactive or banned one, languages mixed (medians of ${SAMPLES} interleaved samples)`,
    async (name, path, body, status) => {
      const kinds = ['existing', 'unknown', 'inactive', 'banned'] as const;
      type Kind = (typeof kinds)[number];
      const known: Partial<Record<Kind, string>> = { existing, inactive, banned };
      const emailOf = (kind: Kind) => known[kind] ?? uniqueEmail('probe');
      const times: Record<Kind, number[]> = { existing: [], unknown: [], inactive: [], banned: [] };
      let round = 0;
      const sample = async (kind: Kind) => {
        // Every kind goes through every locale field and Accept-Language, in turn.
        round += 1;
        const options = {
          headers: { 'accept-language': ACCEPT_LANGUAGES[round % ACCEPT_LANGUAGES.length] },
        };
        const locale = LOCALES[(round >> 1) % LOCALES.length];
        const started = performance.now();
        const res = await t.post(path, body(emailOf(kind), locale), options);
        const elapsed = performance.now() - started;
        expect(res.status).toBe(status);
        return elapsed;
      };
      // Warm up every path before measuring.
      for (const kind of kinds) await sample(kind);
      for (let i = 0; i < SAMPLES; i++) {
        for (const k of ORDERS[i % ORDERS.length]) times[kinds[k]].push(await sample(kinds[k]));
      }
      const medians = kinds.map((kind) => median(times[kind]));
      // Each kind against its own round (four requests a moment apart): load that comes and goes
      // over seconds (another test worker) slows a whole round and cancels out, while a kind that
      // is slower by itself stays just as far from its round's mean.
      const roundMeans = times.existing.map(
        (_, i) => kinds.reduce((sum, kind) => sum + times[kind][i], 0) / kinds.length,
      );
      const offsets = kinds.map((kind) => median(times[kind].map((ms, i) => ms - roundMeans[i])));
      const gap = Math.max(...offsets) - Math.min(...offsets);
      report.push(
        `  ${name}: ${kinds.map((kind, k) => `${kind} ${medians[k].toFixed(1)} ms (${offsets[k] >= 0 ? '+' : ''}${offsets[k].toFixed(1)})`).join(', ')}, widest gap ${gap.toFixed(1)} ms`,
      );
      expect(gap).toBeLessThanOrEqual(MAX_MEDIAN_GAP_MS);
    },
  );
  describe('a ban', () => {
    /** A code mail's code and link token, asked for while the account could still sign in. */
    async function codeMail(email: string): Promise<{ code: string; token: string }> {
      const before = (await mailsTo(t, email)).length;
      expect((await t.post('/api/users/get-otp/', { email })).status).toBe(200);
      const mail = await waitForMail(t, email, before);
      const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
      if (!mail.code || !token) throw new Error(`no code or link in: ${mail.text}`);
      return { code: mail.code, token };
    }

    const answerOf = async (res: Promise<{ status: number; body: unknown; headers: Headers }>) => {
      const { status, body, headers } = await res;
      return { status, body, headers: headersOf(headers) };
    };

    it('refuses the right password, a code, a link and a reset code issued before it like wrong ones', async () => {
      const user = await signUpWithPassword(t, uniqueEmail('bannedlater'), PASSWORD);
      const login = await codeMail(user.email);
      const beforeReset = (await mailsTo(t, user.email)).length;
      expect((await t.post('/api/users/forgot-password/', { email: user.email })).status).toBe(200);
      const reset = (await waitForMail(t, user.email, beforeReset)).code!;
      await ban(user.id);

      const unknown = uniqueEmail('unknown');
      const pairs: [Parameters<TestApp['post']>, Parameters<TestApp['post']>][] = [
        [
          ['/api/users/login/', { email: user.email, password: PASSWORD }],
          ['/api/users/login/', { email: unknown, password: PASSWORD }],
        ],
        [
          ['/api/users/login/', { email: user.email, otp: login.code }],
          ['/api/users/login/', { email: unknown, otp: login.code }],
        ],
        [
          ['/api/users/magic-link/verify', { token: login.token }],
          ['/api/users/magic-link/verify', { token: 'A'.repeat(43) }],
        ],
        [
          [
            '/api/users/reset-password/',
            { email: user.email, otp: reset, new_password: 'n3w-Pa55word!x' },
          ],
          [
            '/api/users/reset-password/',
            { email: unknown, otp: reset, new_password: 'n3w-Pa55word!x' },
          ],
        ],
      ];
      for (const [bannedCall, unknownCall] of pairs) {
        const bannedAnswer = await answerOf(t.post(...bannedCall));
        expect(bannedAnswer.status).toBe(400);
        expect(bannedAnswer).toEqual(await answerOf(t.post(...unknownCall)));
      }
      // Still refused: the reset did not change the password.
      expect(
        (await t.post('/api/users/login/', { email: user.email, password: PASSWORD })).status,
      ).toBe(400);
    });

    it('ends by itself at banned_until: the account signs in again with no unban', async () => {
      const user = await signUpWithPassword(t, uniqueEmail('timed'), PASSWORD);
      const until = new Date(Date.now() + 1500);
      await ban(user.id, until.toISOString());
      const refused = await t.post('/api/users/login/', { email: user.email, password: PASSWORD });
      expect(refused.status).toBe(400);
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, until.getTime() - Date.now() + 100)),
      );
      const login = await t.post('/api/users/login/', { email: user.email, password: PASSWORD });
      expect(login.status).toBe(200);
      const me = await t.get('/api/users/me', { token: login.body.access });
      expect(me.status).toBe(200);
      expect(me.body.banned_until).toBeNull();
    });
  });
});
