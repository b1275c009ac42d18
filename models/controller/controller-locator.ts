// Which controller a broker or producer talks to. With one controller (the default) always c1; with
// a quorum (controllers > 1) the one last known to be active, as Kafka's brokers follow the
// metadata quorum's leader (RaftManager's leader hint, NOT_CONTROLLER answers): a refusal naming the
// leader moves there, a refusal naming none, a broken connection or a silence moves to the next
// controller in c1…cN order.
import type { NodeId } from '../../sim/env.js';
import type { ClusterLayout } from '../config.js';

export class ControllerLocator {
  private readonly controllers: readonly NodeId[];
  private index = 0;

  constructor(layout: ClusterLayout) {
    this.controllers = layout.controllers ?? [layout.controller];
  }

  /** Is there more than one controller to choose from? */
  get quorum(): boolean {
    return this.controllers.length > 1;
  }

  current(): NodeId {
    return this.controllers[this.index]!;
  }

  /** A NOT_CONTROLLER answer from `from`, naming the leader it knows of. */
  notController(from: NodeId, leader: NodeId | null): void {
    if (from !== this.current()) return;
    const hinted = leader === null || leader === from ? -1 : this.controllers.indexOf(leader);
    if (hinted >= 0) this.index = hinted;
    else this.next();
  }

  /** The current controller is unreachable or silent: try the next one. */
  next(): void {
    this.index = (this.index + 1) % this.controllers.length;
  }
}
