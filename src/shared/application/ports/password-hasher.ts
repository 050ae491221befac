export interface PasswordHasher {
  hash(plain: string): Promise<string>;
  verify(hash: string, plain: string): Promise<boolean>;
  /** True when the hash was made with other parameters or another algorithm (rehash on login). */
  needsRehash(hash: string): boolean;
}
