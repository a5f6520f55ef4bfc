import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AtomicStore } from '../cache/atomic-store';
import { rateLimitConfig, RateLimitConfig } from './rate-limit.config';
import { AppException } from '../common/errors/app.exception';
import { PerRoute } from '../common/guards/per-route';
import { RATE_LIMIT_KEY, RateLimitBucket } from './rate-limit.decorator';

const WINDOW_MS = 60_000;

/**
 * Counts requests per client IP and bucket in the shared store, so every instance counts
 * together. The IP is Fastify's `request.ip`, which honours X-Forwarded-For only as far as
 * TRUST_PROXY allows: a client cannot escape its budget by rotating that header.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly buckets = new PerRoute(([handler]) =>
    this.reflector.get<RateLimitBucket | undefined>(RATE_LIMIT_KEY, handler),
  );

  constructor(
    private readonly reflector: Reflector,
    private readonly store: AtomicStore,
    @Inject(rateLimitConfig.KEY) private readonly config: RateLimitConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const bucket = this.buckets.of(context);
    if (!bucket || !this.config.enabled) return true;
    return this.spend(bucket, context.switchToHttp().getRequest<FastifyRequest>().ip);
  }

  private async spend(bucket: RateLimitBucket, ip: string): Promise<boolean> {
    const { count, resetMs } = await this.store.increment(`rl:${bucket}:${ip}`, WINDOW_MS);
    if (count > this.limitOf(bucket)) throw AppException.rateLimited(resetMs / 1000);
    return true;
  }

  private limitOf(bucket: RateLimitBucket): number {
    switch (bucket) {
      case 'send':
        return this.config.sendPerMinute;
      case 'verify':
        return this.config.verifyPerMinute;
      case 'refresh':
        return this.config.refreshPerMinute;
    }
  }
}
