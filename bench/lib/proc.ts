import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU and memory of the processes a scenario involves, read from /proc (Linux only; elsewhere every
 * reading is empty and the report says so). CPU is utime + stime of every thread of a process,
 * so the libuv pool's argon2 work counts as well; 100 % is one core busy for the whole window.
 */

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every mainstream Linux build

export interface ProcessReading {
  readonly cpuTicks: number;
  readonly rssBytes: number;
}

export function readProcess(pid: number): ProcessReading | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return { cpuTicks: utime + stime, rssBytes: rss ? Number(rss[1]) * 1024 : 0 };
  } catch {
    return null; // gone, or not Linux
  }
}

/** One labelled group of processes: a fixed pid, or a set found again at every sample. */
export interface ProcessGroup {
  readonly label: string;
  readonly pids: () => readonly number[];
}

export const singleProcess = (label: string, pid: number): ProcessGroup => ({ label, pids: () => [pid] });

export interface ProcessUsage {
  readonly label: string;
  /** Share of one core over the window (200 = two cores busy). */
  readonly cpuPercent: number;
  readonly rssAvgMb: number;
  readonly rssMaxMb: number;
  /** How many processes the group held at its largest. */
  readonly processes: number;
}

interface GroupState {
  readonly group: ProcessGroup;
  readonly firstTicks: Map<number, number>;
  readonly lastTicks: Map<number, number>;
  readonly rssSamples: number[];
  maxProcesses: number;
}

/** Samples every group every `intervalMs` until `stop()`, which returns the usage over the window. */
export class ProcessSampler {
  private readonly states: GroupState[];
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = performance.now();

  constructor(groups: readonly ProcessGroup[], intervalMs = 500) {
    this.states = groups.map((group) => ({
      group,
      firstTicks: new Map(),
      lastTicks: new Map(),
      rssSamples: [],
      maxProcesses: 0,
    }));
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), intervalMs);
  }

  stop(): ProcessUsage[] {
    clearInterval(this.timer);
    this.sample(false);
    const seconds = (performance.now() - this.startedAt) / 1000;
    return this.states.map((state) => {
      let ticks = 0;
      for (const [pid, last] of state.lastTicks) ticks += last - (state.firstTicks.get(pid) ?? 0);
      const rss = state.rssSamples;
      return {
        label: state.group.label,
        cpuPercent: seconds > 0 ? (ticks / CLOCK_TICKS_PER_SECOND / seconds) * 100 : 0,
        rssAvgMb: rss.length ? rss.reduce((a, b) => a + b, 0) / rss.length / 2 ** 20 : 0,
        rssMaxMb: rss.length ? Math.max(...rss) / 2 ** 20 : 0,
        processes: state.maxProcesses,
      };
    });
  }

  private sample(first: boolean): void {
    for (const state of this.states) {
      let rss = 0;
      let count = 0;
      for (const pid of state.group.pids()) {
        const reading = readProcess(pid);
        if (!reading) continue;
        count += 1;
        rss += reading.rssBytes;
        // A process that appears mid-window (a new pool connection) counts from zero: all its CPU is ours.
        if (!state.firstTicks.has(pid)) state.firstTicks.set(pid, first ? reading.cpuTicks : 0);
        state.lastTicks.set(pid, reading.cpuTicks);
      }
      if (count > 0) state.rssSamples.push(rss);
      state.maxProcesses = Math.max(state.maxProcesses, count);
    }
  }
}

interface ProcEntry {
  readonly pid: number;
  readonly comm: string;
  readonly cmdline: string;
}

function listProcesses(): ProcEntry[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const entries: ProcEntry[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const comm = readFileSync(`/proc/${name}/comm`, 'utf8').trim();
      if (comm !== 'postgres' && comm !== 'beam.smp') continue;
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      entries.push({ pid: Number(name), comm, cmdline });
    } catch {
      // exited while we looked
    }
  }
  return entries;
}

/**
 * The PostgreSQL server as far as this run uses it: the backends (and autovacuum workers) of the
 * bench's own database plus the shared background processes. Backends of other databases (other
 * work on the machine) are left out.
 */
export function postgresGroup(databases: readonly string[]): ProcessGroup {
  return {
    label: 'postgres',
    pids: () =>
      listProcesses()
        .filter((p) => p.comm === 'postgres')
        .filter((p) => {
          const isSession = / \d+\.\d+\.\d+\.\d+\(\d+\)| \[local\]|autovacuum worker/.test(p.cmdline);
          return !isSession || databases.some((db) => p.cmdline.includes(` ${db} `) || p.cmdline.endsWith(` ${db}`));
        })
        .map((p) => p.pid),
  };
}

/** The RabbitMQ node (the Erlang VM). Shared with anything else using the broker. */
export function rabbitmqGroup(): ProcessGroup {
  return {
    label: 'rabbitmq',
    pids: () =>
      listProcesses()
        .filter((p) => p.comm === 'beam.smp' && p.cmdline.includes('rabbit'))
        .map((p) => p.pid),
  };
}
