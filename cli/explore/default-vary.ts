// The default exploration (`npm start` = `ksim explore default`): when the `default` preset is
// explored without --vary, these settings are varied. They live here rather than in the preset
// because a scenario file describes one configuration; what to compare is the command's choice.
// 2 × 2 × 2 = 8 combinations; with DEFAULT_EXPLORE_SEEDS seeds each, 400 runs.

export const DEFAULT_PRESET = 'default';

export const DEFAULT_VARY: readonly string[] = [
  'broker.unclean.leader.election.enable=false,true',
  'broker.min.insync.replicas=1,2',
  'producers.acks=1,all',
];

/** Seeds per combination when --seeds is not given. */
export const DEFAULT_EXPLORE_SEEDS = 50;
