import { Module, RequestMethod } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { appConfig, AppConfig } from '../config/app.config';

/** Anything that could carry a secret is censored, wherever it appears in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.new_password',
  '*.confirm_password',
  '*.otp',
  '*.code',
  '*.token',
  '*.access',
  '*.refresh',
  '*.refresh_token',
  '*.access_key',
  '*.apiKey',
];

/** Structured JSON logs (pino) with the request id on every line of a request. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => ({
        // Named wildcard (path-to-regexp 8); the default `*` draws a deprecation warning at boot.
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        pinoHttp: [
          {
            level: config.logLevel,
            // Fastify assigned the id (and wrote it to this header); log lines and X-Request-Id agree.
            genReqId: (req: IncomingMessage) => String(req.headers['x-request-id']),
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            serializers: {
              req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url.split('?')[0],
                ip: req.remoteAddress,
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
            autoLogging: {
              ignore: (req: IncomingMessage) => req.url?.startsWith('/api/health') ?? false,
            },
          },
          config.logFile
            ? pino.destination({ dest: config.logFile, sync: false, mkdir: true })
            : pino.destination(1),
        ],
      }),
    }),
  ],
})
export class LoggingModule {}
