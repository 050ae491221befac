import type { SessionLink, SessionLinks } from './postgres-session-links.js';

/** SessionLinks in memory, for unit tests; the contract suite holds it to the PostgreSQL one. */
export class MemorySessionLinks implements SessionLinks {
  private readonly links: SessionLink[] = [];

  async link(link: SessionLink): Promise<void> {
    const index = this.links.findIndex((known) => known.grantId === link.grantId);
    if (index >= 0) this.links.splice(index, 1);
    this.links.push(link);
  }

  async sessionOfGrant(grantId: string): Promise<string | null> {
    return this.links.find((link) => link.grantId === grantId)?.sessionId ?? null;
  }

  async sessionOfBrowser(sessionUid: string): Promise<string | null> {
    return this.links.findLast((link) => link.sessionUid === sessionUid)?.sessionId ?? null;
  }

  async releaseGrantsOf(sessionId: string): Promise<string[]> {
    const released = this.links.filter((link) => link.sessionId === sessionId);
    for (const link of released) this.links.splice(this.links.indexOf(link), 1);
    return released.map((link) => link.grantId);
  }
}
