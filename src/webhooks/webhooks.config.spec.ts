import { EnvReader } from '../config/env-parser';
import { readWebhooksConfig } from './webhooks.config';

function read(env: Record<string, string>) {
  const reader = new EnvReader(env);
  return { config: readWebhooksConfig(reader), errors: reader.errors };
}

describe('webhooks config', () => {
  it('defaults to the contract: private targets refused, the real schedule, a 10 s timeout', () => {
    expect(read({})).toEqual({
      config: {
        allowPrivateNetworks: false,
        retryScale: 1,
        timeoutMs: 10_000,
        workerIntervalMs: 1000,
      },
      errors: [],
    });
  });

  it('takes a fractional retry scale and names a bad one', () => {
    expect(read({ WEBHOOK_RETRY_SCALE: '0.001' }).config.retryScale).toBe(0.001);
    for (const bad of ['0', '-1', 'fast', '1000'])
      expect(read({ WEBHOOK_RETRY_SCALE: bad }).errors).toEqual([
        `WEBHOOK_RETRY_SCALE must be a number above 0 and at most 100 (got "${bad}")`,
      ]);
  });

  it('names a bad switch or timeout', () => {
    const { errors } = read({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'maybe', WEBHOOK_TIMEOUT_MS: '5' });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^WEBHOOK_ALLOW_PRIVATE_NETWORKS/);
    expect(errors[1]).toMatch(/^WEBHOOK_TIMEOUT_MS/);
  });
});
