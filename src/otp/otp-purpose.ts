export const OTP_PURPOSES = ['login', 'register', 'reset'] as const;
export type OtpPurpose = (typeof OTP_PURPOSES)[number];
