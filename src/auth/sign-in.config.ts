import { configToken } from '../config/config-token';
import { EnvReader } from '../config/env-parser';

/** Magic links and new sign-in notices (API.md "Magic link beside the code", "New sign-in notice"). */
export interface SignInConfig {
  /** The frontend page a login-code mail links to (`?token=<t>`); absent: no link in the mail. */
  magicLinkUrl: string | undefined;
  /** Mail `new-sign-in` when a session opens from a network and browser not seen in 90 days. */
  notifyNewSignIn: boolean;
}

export const signInConfig = configToken('signIn');

export function readSignInConfig(r: EnvReader): SignInConfig {
  return {
    magicLinkUrl: r.url('MAGIC_LINK_URL', ['http', 'https']),
    notifyNewSignIn: r.bool('NOTIFY_NEW_SIGNIN', true),
  };
}
