import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { serializeRefreshCookie } from './refresh-cookie';
import { RefreshCookieConfig } from './refresh-cookie.settings';

/** What a successful answer does with the refresh cookie: take the token into it, or clear it. */
export type CookieAnswer = 'set' | 'clear';

/**
 * The answer side of the refresh cookie, as a Fastify preSerialization hook (configureApp adds
 * it): for a request RefreshCookieGuard marked, a successful answer moves its `refresh` into the
 * HttpOnly cookie (or clears the cookie). Refusals (4xx, 5xx) leave the cookie alone, so a failed
 * request never overwrites another tab's fresh cookie.
 */
@Injectable()
export class RefreshCookieAnswers {
  private readonly expected = new WeakMap<FastifyRequest, CookieAnswer>();

  constructor(private readonly cookie: RefreshCookieConfig) {}

  expect(request: FastifyRequest, answer: CookieAnswer): void {
    this.expected.set(request, answer);
  }

  register(fastify: FastifyInstance): void {
    fastify.addHook('preSerialization', (request, reply, payload: unknown, done) => {
      const answer = this.expected.get(request);
      if (!answer || reply.statusCode >= 400) return done(null, payload);
      if (answer === 'clear') {
        void reply.header('Set-Cookie', serializeRefreshCookie(this.cookie.settings, null));
        return done(null, payload);
      }
      if (!isTokenAnswer(payload)) return done(null, payload);
      const { refresh, ...rest } = payload;
      void reply.header('Set-Cookie', serializeRefreshCookie(this.cookie.settings, refresh));
      done(null, rest);
    });
  }
}

function isTokenAnswer(value: unknown): value is { refresh: string } & Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { refresh?: unknown }).refresh === 'string'
  );
}
