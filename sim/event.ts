// The one record type in the event queue. A single class with few fields keeps every queue access
// monomorphic and every event small (the comparator and dispatch run millions of times per second,
// and every event is an allocation); each kind uses the fields documented on it and leaves the rest
// at their defaults. Dispatch switches on `kind` instead of calling a closure, so the hot paths
// (timer, deliver) allocate one object per event and nothing else.

/** A cancelled event: skipped when it comes due. */
export const EV_CANCELLED = -1;
/** A harness event or a held callback: runs `fn`. */
export const EV_CALL = 0;
/** A node's timer: `fn`, `id` = its slot in the Env, `ref` = the TimerId. */
export const EV_TIMER = 1;
/**
 * A message arriving: `node` = receiver, `from` = sender, `id`, `epoch` = connection, `ref` = message,
 * `life` = the connection's generation (network.ts; not a life stamp: deliveries check `epoch`).
 */
export const EV_DELIVER = 2;
/** A disk operation completing: `ref` = its DiskOp (the disk reuses both together), `fn` = done. */
export const EV_DISK = 3;
/** Background write-back of one file: `ref` = the file, `id` = its dirty generation. */
export const EV_WRITEBACK = 4;
/** A scheduled fault step: `ref` = the step; or a fault call (World.scheduleFaultCall): `fn`. */
export const EV_FAULT = 5;

/** Node index for events that belong to no node. */
export const NO_NODE = -1;

export class SimEvent {
  time = 0;
  seq = 0;
  from = NO_NODE;
  epoch = 0;
  id = 0;
  ref: unknown = null;
  fn: (() => void) | null = null;

  constructor(
    public kind: number,
    /** The node the event belongs to (timers, disk) or is addressed to (deliver). */
    public node: number,
    /** The node's life stamp when scheduled: a different stamp at dispatch means the process died. */
    public life: number,
  ) {}
}
