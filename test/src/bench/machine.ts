import { cpus, totalmem } from 'node:os';

/** One line naming the machine a benchmark ran on: cores, CPU model, memory, Node. */
export function machineLine(): string {
  return `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
