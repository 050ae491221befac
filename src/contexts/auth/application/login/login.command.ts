export interface LoginCommand {
  readonly email: string;
  readonly password: string;
  /** The client's address, for the per-IP rate limit. */
  readonly ip: string;
  /** The client's User-Agent, shown in its session list. */
  readonly userAgent?: string;
}
