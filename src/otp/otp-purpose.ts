export const OTP_PURPOSES = [
  'login',
  'register',
  'reset',
  'email_change_current',
  'email_change_new',
] as const;
export type OtpPurpose = (typeof OTP_PURPOSES)[number];
