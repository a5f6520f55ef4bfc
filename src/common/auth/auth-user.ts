/** Who is calling: set on the request by the JWT guard once the session is known to be live. */
export interface AuthUser {
  id: string;
  sessionId: string;
  isStaff: boolean;
}

/** What the request says about the device, recorded on sessions. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}
