/** Builds what the scenarios need through the public API, reading codes from the dev mailbox. */

const BATCH = 1000;
export const BENCH_PASSWORD = 'Bench-Passw0rd-2026!';

interface Answer {
  status: number;
  json: { access: string; refresh: string } | null;
}

async function post(base: string, path: string, body: unknown): Promise<Answer> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as Answer['json'] };
}

async function codesFor(base: string, emails: string[]): Promise<Map<string, string>> {
  const res = await fetch(`${base}/dev/mailbox?limit=${Math.min(BATCH, emails.length + 10)}`, {
    headers: { accept: 'application/json' },
  });
  const { data } = (await res.json()) as { data: { to: string; code: string | null }[] };
  const codes = new Map<string, string>();
  for (const mail of data) if (mail.code && !codes.has(mail.to)) codes.set(mail.to, mail.code);
  return codes;
}

async function inParallel<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** Requests `count` login codes and returns (email, code) pairs ready to be used once each. */
export async function loginCodes(
  base: string,
  count: number,
  tag: string,
): Promise<{ email: string; otp: string }[]> {
  const pairs: { email: string; otp: string }[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const emails = Array.from(
      { length: Math.min(BATCH, count - start) },
      (_, i) => `${tag}.${start + i}@bench.example.com`,
    );
    await inParallel(emails, 20, async (email) => {
      const res = await post(base, '/api/users/get-otp/', { email });
      if (res.status !== 200) throw new Error(`get-otp answered ${res.status}`);
    });
    const codes = await codesFor(base, emails);
    for (const email of emails) {
      const otp = codes.get(email);
      if (!otp) throw new Error(`no code mailed to ${email}`);
      pairs.push({ email, otp });
    }
  }
  return pairs;
}

export async function sessions(
  base: string,
  count: number,
  tag: string,
): Promise<{ access: string; refresh: string }[]> {
  const pairs = await loginCodes(base, count, tag);
  const result: { access: string; refresh: string }[] = [];
  await inParallel(pairs, 10, async ({ email, otp }) => {
    const res = await post(base, '/api/users/login/', { email, otp });
    if (res.status !== 200 || !res.json) throw new Error(`login answered ${res.status}`);
    result.push({ access: res.json.access, refresh: res.json.refresh });
  });
  return result;
}

/** Registers and confirms accounts with a password. */
export async function passwordAccounts(base: string, count: number): Promise<string[]> {
  const emails = Array.from({ length: count }, (_, i) => `member.${i}@bench.example.com`);
  for (const email of emails) {
    const res = await post(base, '/api/users/register/', {
      email,
      password: BENCH_PASSWORD,
      full_name: 'Bench Member',
    });
    if (res.status !== 200) throw new Error(`register answered ${res.status}`);
  }
  const codes = await codesFor(base, emails);
  for (const email of emails) {
    const res = await post(base, '/api/users/confirm-otp/', { email, otp: codes.get(email) });
    if (res.status !== 201) throw new Error(`confirm-otp answered ${res.status}`);
  }
  return emails;
}
