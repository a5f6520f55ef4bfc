import { Webhook as StandardWebhook } from 'standardwebhooks';
import { newMessageId, newWebhookSecret, signatureHeader } from './webhook-signature';

describe('webhook signatures (Standard Webhooks v1)', () => {
  it('makes whsec_ secrets of 32 random bytes and msg_ ids', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(newMessageId()).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
  });

  it('signs so that the standardwebhooks package verifies, with either of two secrets', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const id = newMessageId();
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type: 'webhook.test', timestamp: 'now', data: {} });
    const signature = signatureHeader([current, previous], id, timestamp, body);
    expect(signature.split(' ')).toHaveLength(2);
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    };
    for (const secret of [current, previous])
      expect(new StandardWebhook(secret).verify(body, headers)).toMatchObject({
        type: 'webhook.test',
      });
    expect(() => new StandardWebhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new StandardWebhook(current).verify(body + ' ', headers)).toThrow();
  });
});
