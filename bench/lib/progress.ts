/**
 * The progress display, on stderr (stdout stays free for whoever pipes the run). On a terminal one
 * status line is redrawn in place; otherwise (CI, a log file) plain lines are printed, fewer of them.
 */
export class Progress {
  private readonly tty = Boolean(process.stderr.isTTY);
  private step = 0;
  private total = 0;
  private title = '';
  private phaseText = '';
  private window = 0;
  private lastPlainTick = 0;
  private readonly startedAt = performance.now();

  constructor(private readonly quiet = false) {}

  plan(total: number): void {
    this.total = total;
  }

  begin(title: string): void {
    this.step += 1;
    this.title = title;
    this.phase('starting');
    if (!this.tty) this.line(`${this.prefix()} ${title}`);
  }

  phase(text: string): void {
    this.phaseText = text;
    this.window = 0;
    if (this.tty) this.draw();
    else if (text !== 'starting') this.line(`${this.prefix()}   ${text}`);
  }

  measuring(durationSeconds: number): void {
    this.window = durationSeconds;
    this.lastPlainTick = 0;
    this.phaseText = 'measuring';
    this.draw();
  }

  tick(elapsedSeconds: number, ok: number): void {
    const rate = elapsedSeconds > 0 ? ok / elapsedSeconds : 0;
    if (this.tty) {
      const width = 20;
      const filled = Math.min(width, Math.round((elapsedSeconds / Math.max(this.window, 0.001)) * width));
      this.phaseText = `▕${'█'.repeat(filled)}${'░'.repeat(width - filled)}▏ ${elapsedSeconds.toFixed(0)}/${this.window} s  ${rate.toFixed(0)} ok/s`;
      this.draw();
    } else if (elapsedSeconds - this.lastPlainTick >= 5) {
      this.lastPlainTick = elapsedSeconds;
      this.line(`${this.prefix()}   ${elapsedSeconds.toFixed(0)}/${this.window} s  ${rate.toFixed(0)} ok/s`);
    }
  }

  /** A finished scenario (or any note): printed as a line of its own, above the status line. */
  line(text: string): void {
    if (this.quiet) return;
    if (this.tty) process.stderr.write('\r\x1b[K');
    process.stderr.write(`${text}\n`);
    this.draw();
  }

  finish(): void {
    if (this.tty && !this.quiet) process.stderr.write('\r\x1b[K');
  }

  private prefix(): string {
    const width = String(this.total).length;
    return `[${String(this.step).padStart(width)}/${this.total}]`;
  }

  private draw(): void {
    if (!this.tty || this.quiet || this.step === 0) return;
    const elapsed = Math.round((performance.now() - this.startedAt) / 1000);
    const text = `${this.prefix()} ${this.title} · ${this.phaseText}  (${elapsed} s)`;
    process.stderr.write(`\r\x1b[K${text.slice(0, (process.stderr.columns || 120) - 1)}`);
  }
}
