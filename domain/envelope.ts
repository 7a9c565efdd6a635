/** The SMTP envelope (RFC 5321): what the transaction says, not what the headers say. */
export interface Envelope {
  /** Reverse-path; '' for the null sender `<>`. */
  mailFrom: string;
  rcptTo: string[];
}

/** What a check or delivery needs to know about the SMTP session. */
export interface SessionInfo {
  id: string;
  remoteAddress: string;
  clientHostname: string;
  heloName: string;
  secure: boolean;
  /** Set for authenticated submission. */
  user?: { id: string; address: string };
}
