/**
 * The recording's clock: it runs only while the tape is shown (Hide stops it, Show restarts it,
 * so hidden work leaves no pause in a .cast), and PlaybackSpeed scales it (2 = twice as fast).
 * Milliseconds, monotonic, in the form CastWriter's `now` option takes.
 */
export class ShownClock {
  private shownMs = 0;
  private since: number | null;

  constructor(private readonly speed: number, private readonly real: () => number = () => performance.now(), shown = true) {
    this.since = shown ? real() : null;
  }

  get shown(): boolean { return this.since !== null; }

  show(): void { if (this.since === null) this.since = this.real(); }

  hide(): void {
    if (this.since === null) return;
    this.shownMs += this.real() - this.since;
    this.since = null;
  }

  now(): number {
    const running = this.since === null ? 0 : this.real() - this.since;
    return (this.shownMs + running) / this.speed;
  }
}
