// The controller the harness reads the cluster's metadata from: c1, or with a controller quorum
// (controllers > 1) whichever voter is active now; null when none is (c1 down, or no quorum leader).
import type { ClusterLayout } from '../models/config.js';
import { Controller } from '../models/controller/controller.js';
import type { World } from '../sim/world.js';

export function activeController(world: World, layout: ClusterLayout): Controller | null {
  for (const id of layout.controllers ?? [layout.controller]) {
    const actor = world.actor(id);
    if (actor instanceof Controller && actor.isActive()) return actor;
  }
  return null;
}
