/**
 * The headers every answer carries, whoever writes it: the onSend hook for routed requests, the
 * router's and the HTTP parser's error handlers (framework-errors.ts) for the rest.
 */
export function securityHeaders(requestId: string): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'X-Request-Id': requestId,
  };
}
