// The world's configuration and its validation. Values usually come from a user's scenario file,
// so a bad one is a UserError that names the key.
import type { DiskConfig } from './disk.js';
import { UserError } from './errors.js';
import type { NetworkConfig } from './network.js';
import type { TraceRecord } from './trace-record.js';

export type { DiskConfig } from './disk.js';
export type { NetworkConfig } from './network.js';

export interface WorldConfig {
  /** The root seed: every random decision of the run derives from it. */
  seed: number;
  network: NetworkConfig;
  disk: DiskConfig;
  /** Most events one world may run: a run that exceeds it stops with 'budget-exhausted'. */
  maxEvents: number;
  /** Keep full trace records (for files and renderers); the hash is computed either way. */
  recordTrace: boolean;
  /**
   * Where to keep them, when the caller wants them even if the run fails: the array fills as the
   * run goes, so a run that ends in an assertion still leaves the records up to it.
   */
  traceInto?: TraceRecord[];
}

export function validateWorldConfig(config: WorldConfig): void {
  if (!Number.isFinite(config.seed)) bad('seed', config.seed, 'a finite number');
  if (!Number.isInteger(config.maxEvents) || config.maxEvents <= 0) bad('maxEvents', config.maxEvents, 'a positive integer');
  const net = config.network;
  nonNegative('network.latencyMinUs', net.latencyMinUs);
  nonNegative('network.latencyMaxUs', net.latencyMaxUs);
  if (net.latencyMaxUs < net.latencyMinUs) {
    bad('network.latencyMaxUs', net.latencyMaxUs, `at least latencyMinUs (${net.latencyMinUs})`);
  }
  if (!(net.nicMbps > 0) || !Number.isFinite(net.nicMbps)) bad('network.nicMbps', net.nicMbps, 'a positive number');
  probability('network.dropProbability', net.dropProbability);
  probability('network.duplicateProbability', net.duplicateProbability);
  probability('network.reorderProbability', net.reorderProbability);
  nonNegative('disk.writeUs', config.disk.writeUs);
  nonNegative('disk.fsyncUs', config.disk.fsyncUs);
  nonNegative('disk.dirtyExpireUs', config.disk.dirtyExpireUs);
}

function nonNegative(key: string, v: number): void {
  if (!(v >= 0) || !Number.isFinite(v)) bad(key, v, 'a finite number >= 0');
}

function probability(key: string, v: number): void {
  if (!(v >= 0 && v <= 1)) bad(key, v, 'a probability in [0, 1]');
}

function bad(key: string, value: unknown, expected: string): never {
  throw new UserError(`${key}: expected ${expected}, got ${String(value)}`);
}
