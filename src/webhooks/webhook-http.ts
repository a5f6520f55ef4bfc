import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup, literalRefused, RefusedTargetError } from './webhook-target';

export interface PostResult {
  /** The receiver's status, or null when no answer came (refused, unreachable, timed out). */
  status: number | null;
  error?: string;
  refused?: boolean;
  durationMs: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs one delivery: no redirects followed, the target checked again after DNS resolution (and
 * connected to the checked address), a hard deadline over the whole exchange.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; allowPrivate: boolean; signal: AbortSignal },
): Promise<PostResult> {
  const started = Date.now();
  const done = (result: Omit<PostResult, 'durationMs'>): PostResult => ({
    ...result,
    durationMs: Date.now() - started,
  });
  if (literalRefused(url, options.allowPrivate)) {
    return Promise.resolve(
      done({
        status: null,
        refused: true,
        error: new RefusedTargetError(new URL(url).host).message,
      }),
    );
  }
  return new Promise((resolve) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: guardedLookup(options.allowPrivate),
      signal: options.signal,
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`timed out after ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    let settled = false;
    const finish = (result: Omit<PostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done(result));
    };
    req.on('response', (res) => {
      let received = 0;
      // The answer's body is read (so the connection ends cleanly) and thrown away.
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) res.destroy();
      });
      res.on('end', () => finish({ status: res.statusCode ?? null }));
      res.on('close', () => finish({ status: res.statusCode ?? null }));
      res.on('error', () => finish({ status: res.statusCode ?? null }));
    });
    req.on('error', (error) =>
      finish({
        status: null,
        error: error.message,
        refused: error instanceof RefusedTargetError,
      }),
    );
    req.end(body);
  });
}
