import { deactivate, PASSWORD, signUpWithPassword } from './support/auth';
import { uniqueEmail } from './support/mailbox';
import { startTestApp, TestApp } from './support/test-app';

const SAMPLES = 40;
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

describe('no account enumeration', () => {
  let t: TestApp;
  let existing: string;
  let inactive: string;
  const report: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ OTP_RESEND_SECONDS: '0', OTP_MAX_SENDS_PER_HOUR: '1000' });
    const signedUp = await signUpWithPassword(t, uniqueEmail('existing'), PASSWORD);
    existing = signedUp.email;
    // A stored language of its own, so every resolution step is exercised.
    await t.patch('/api/users/me', { locale: 'de' }, { token: signedUp.access });
    inactive = (await signUpWithPassword(t, uniqueEmail('inactive'), PASSWORD)).email;
    await deactivate(t, inactive);
  });
  afterAll(async () => {
    if (report.length > 0) console.log(`median response times:\n${report.join('\n')}`);
    await t.close();
  });

  it.each(ROUTES)(
    '%s answers existing, unknown and inactive emails identically, in every language',
    async (_, path, body, status) => {
      const answers = [];
      for (const [i, email] of [existing, uniqueEmail('unknown'), inactive].entries()) {
        const res = await t.post(path, body(email, LOCALES[i + 1]), {
          headers: { 'accept-language': ACCEPT_LANGUAGES[i] },
        });
        answers.push({
          status: res.status,
          body: res.body,
          retryAfter: res.headers.get('retry-after'),
        });
      }
      expect(answers[0].status).toBe(status);
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
    },
  );

  it.each(ROUTES.filter(([name]) => name !== 'code login'))(
    '%s takes as long for an existing email as for an unknown or inactive one, languages mixed (medians of 40 interleaved samples)',
    async (name, path, body, status) => {
      const kinds = ['existing', 'unknown', 'inactive'] as const;
      type Kind = (typeof kinds)[number];
      const emailOf = (kind: Kind) =>
        kind === 'existing' ? existing : kind === 'inactive' ? inactive : uniqueEmail('probe');
      const times: Record<Kind, number[]> = { existing: [], unknown: [], inactive: [] };
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
        // Rotate which goes first so none always runs right after another.
        for (let j = 0; j < kinds.length; j++) {
          const kind = kinds[(i + j) % kinds.length];
          times[kind].push(await sample(kind));
        }
      }
      const medians = kinds.map((kind) => median(times[kind]));
      const gap = Math.max(...medians) - Math.min(...medians);
      report.push(
        `  ${name}: ${kinds.map((kind, k) => `${kind} ${medians[k].toFixed(1)} ms`).join(', ')}, widest gap ${gap.toFixed(1)} ms`,
      );
      expect(gap).toBeLessThanOrEqual(MAX_MEDIAN_GAP_MS);
    },
  );
});
