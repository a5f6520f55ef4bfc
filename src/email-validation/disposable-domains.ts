import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';
import { EmailCheck, REASONS } from './email-check';

// The disposable-email-domains community list (~9k domains) as packaged on npm; built once.
let blocklist: Set<string> | undefined;

/** True for a listed domain or any subdomain of one (`x.mailinator.com`). */
export function isDisposableDomain(domain: string): boolean {
  blocklist ??= disposableEmailBlocklistSet();
  const labels = domain.toLowerCase().split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    if (blocklist.has(labels.slice(i).join('.'))) return true;
  }
  return false;
}

export const disposableDomainCheck: EmailCheck = {
  check: (email) =>
    Promise.resolve(
      isDisposableDomain(email.slice(email.lastIndexOf('@') + 1)) ? REASONS.disposable : undefined,
    ),
};
