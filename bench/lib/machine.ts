import { availableParallelism, cpus, loadavg, release, totalmem, type as osType } from 'node:os';

export interface Machine {
  readonly cores: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly os: string;
  readonly memoryGb: number;
  /** 1, 5 and 15-minute load averages when the run started: other work on the machine. */
  readonly loadAverageAtStart: readonly number[];
}

export function describeMachine(): Machine {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    os: `${osType()} ${release()}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverageAtStart: loadavg().map((value) => Number(value.toFixed(2))),
  };
}
