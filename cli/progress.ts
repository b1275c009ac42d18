// Progress on stderr: a bar with rate and ETA on a terminal, plain lines (every 10%) otherwise, so
// CI logs stay short and stdout stays clean for results and JSON. Wall-clock time is fine here:
// it measures the host, never the simulation.
import cliProgress from 'cli-progress';

export interface Progress {
  /** One more unit finished. */
  tick(): void;
  /** Finishes the display (the bar stays on screen with its final numbers). */
  done(): void;
}

function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}

class BarProgress implements Progress {
  private readonly bar: cliProgress.SingleBar;
  private readonly startedMs = performance.now();
  private value = 0;

  constructor(label: string, total: number, unit: string) {
    this.bar = new cliProgress.SingleBar({
      stream: process.stderr,
      format: `${label} {bar} {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}`,
      hideCursor: true,
      fps: 5,
    }, cliProgress.Presets.shades_classic);
    this.bar.start(total, 0, { rate: '0.0' });
  }

  tick(): void {
    this.value++;
    const seconds = (performance.now() - this.startedMs) / 1000;
    this.bar.update(this.value, { rate: (this.value / Math.max(seconds, 1e-3)).toFixed(1) });
  }

  done(): void {
    this.bar.stop();
  }
}

class LineProgress implements Progress {
  private readonly startedMs = performance.now();
  private value = 0;
  private nextTenth = 1;

  constructor(private readonly label: string, private readonly total: number, private readonly unit: string) {}

  tick(): void {
    this.value++;
    if (this.value * 10 < this.nextTenth * this.total) return;
    while (this.value * 10 >= this.nextTenth * this.total) this.nextTenth++;
    const seconds = (performance.now() - this.startedMs) / 1000;
    const rate = this.value / Math.max(seconds, 1e-3);
    const eta = this.value >= this.total ? '' : `, ETA ${formatEta((this.total - this.value) / rate)}`;
    const percent = Math.floor((100 * this.value) / this.total);
    process.stderr.write(`${this.label}: ${this.value}/${this.total} ${this.unit} (${percent}%), ${rate.toFixed(1)} ${this.unit}/s${eta}\n`);
  }

  done(): void {}
}

/** A bar when stderr is a terminal, plain lines otherwise. */
export function startProgress(label: string, total: number, unit: string): Progress {
  return process.stderr.isTTY ? new BarProgress(label, total, unit) : new LineProgress(label, total, unit);
}

/** Shrinking reports (runs, steps) after every run: overwrite one line on a terminal, else a line every 25 runs. */
export function shrinkProgress(label: string): { update: (runs: number, steps: number) => void; done: () => void } {
  const tty = process.stderr.isTTY;
  let last = '';
  return {
    update(runs, steps) {
      last = `${label}: ${runs} runs, smallest failing script ${steps} step${steps === 1 ? '' : 's'}`;
      if (tty) process.stderr.write(`\r${last}\u001b[K`);
      else if (runs % 25 === 0) process.stderr.write(`${last}\n`);
    },
    done() {
      if (tty && last !== '') process.stderr.write('\n');
    },
  };
}

/** Wall-clock seconds a run goes on before its progress shows: short runs stay quiet. */
const RUN_PROGRESS_AFTER_S = 2;

/**
 * One run's progress in simulated time (load phase, then settle): nothing for the first two
 * seconds, then one line kept up to date on a terminal, or a line every tenth of the load phase
 * (and one as the settle phase begins) otherwise.
 */
export function runProgress(label: string): { update: (phase: 'load' | 'settle', simulatedUs: number, durationUs: number) => void; done: () => void } {
  const tty = process.stderr.isTTY;
  const startedMs = performance.now();
  let shown = false;
  let lastTenth = -1;
  let settling = false;
  return {
    update(phase, simulatedUs, durationUs) {
      const elapsed = (performance.now() - startedMs) / 1000;
      if (elapsed < RUN_PROGRESS_AFTER_S) return;
      const simulated = (simulatedUs / 1e6).toFixed(1);
      const line = phase === 'load'
        ? `${label}: ${simulated} of ${(durationUs / 1e6).toFixed(1)} simulated s, load phase (${Math.round(elapsed)} s elapsed)`
        : `${label}: ${simulated} simulated s, settle phase: waiting for quiescence and the final drain (${Math.round(elapsed)} s elapsed)`;
      if (tty) {
        process.stderr.write(`\r${line}\u001b[K`);
        shown = true;
        return;
      }
      const tenth = phase === 'load' && durationUs > 0 ? Math.floor((10 * simulatedUs) / durationUs) : 10;
      if (phase === 'load' ? tenth > lastTenth : !settling) process.stderr.write(`${line}\n`);
      lastTenth = Math.max(lastTenth, tenth);
      if (phase === 'settle') settling = true;
    },
    done() {
      if (tty && shown) process.stderr.write('\r\u001b[K');
    },
  };
}
