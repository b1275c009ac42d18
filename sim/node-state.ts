// Node lifecycle states as small integers for the hot paths, with the public names of world.ts.

export const ST_UP = 0;
export const ST_CRASHED = 1;
export const ST_POWERED_OFF = 2;
export const ST_PAUSED = 3;

export type NodeState = 'up' | 'crashed' | 'powered-off' | 'paused';

export const NODE_STATE_NAMES: readonly NodeState[] = ['up', 'crashed', 'powered-off', 'paused'];

/** True when the process is gone (crashed or the machine powered off). */
export function isDown(state: number): boolean {
  return state === ST_CRASHED || state === ST_POWERED_OFF;
}
