// The protocol switches (scenario key `protocol`): one per fix in the history of Kafka's replication
// protocol, and `protocol.version`, a Kafka release that sets every switch as that release shipped
// it. An explicit switch overrides the release. Release facts, from Kafka's git history (the first
// release tag that contains each commit):
// - KIP-101, epoch-based truncation (ReplicaFetcherThread.maybeTruncate): 0.11.0.0.
// - KIP-279, the common-prefix walk (KAFKA-6361, commit 9679c44): 2.0.0.
// - KAFKA-7164, truncate after a missed leader change (commit 69283b4): 2.1.0, backported to 2.0.1.
// - KAFKA-7128, join the ISR only past the leader's epoch start (commit 70c5163): 2.1.0, backported to 2.0.1.
// - KIP-320, epoch fencing of fetches and epoch queries (KAFKA-7395, commit bcef30d): 2.1.0.
// - KIP-966, eligible leader replicas: off by default in 3.9 and 4.0 (a preview in 4.0), on by
//   default on new clusters from 4.1 (Kafka's operations docs, "Eligible Leader Replicas").
// - KIP-890, transactions server-side defense. Part 1, the partition leader verifies with the
//   coordinator that a transactional produce belongs to an open transaction (KAFKA-14402, commit
//   29a1a16; transaction.partition.verification.enable): 3.6.0, offset commits verified too in
//   3.7.0 (KAFKA-15449, commit b6c7855). It stops hanging transactions but not KAFKA-17754, whose
//   delayed EndTxn or produce carries the epoch of the transaction it lands in. Part 2, an epoch
//   bump on every EndTxn (KAFKA-14562, commit ede0c94, transaction.version 2): 4.0.0, on by default
//   on new clusters with 4.0 clients. ksim models part 2 (`transactionEpochBump`); part 1 is not
//   modelled (docs/model.md).
// "2.0" is 2.0.0, before the backports.

export const KAFKA_VERSIONS = ['0.10', '0.11', '2.0', '2.1', '3.9', '4.0', '4.1'] as const;
export type KafkaVersion = (typeof KAFKA_VERSIONS)[number];

export const TRUNCATIONS = ['high-watermark', 'epoch-end-offset', 'leader-epoch'] as const;

/**
 * protocol.replication: Kafka's ISR replication, or each partition's replicas as a Raft group
 * (models/raft/). Not a fix in Kafka's history, so no release sets it: isr unless given.
 */
export const REPLICATIONS = ['isr', 'raft'] as const;
/**
 * How a follower truncates before it fetches: to its own high watermark (before KIP-101); to the
 * leader's end offset for the follower's latest epoch (KIP-101 as shipped in 0.11); to the largest
 * common prefix, walking back epoch by epoch (KIP-279, 2.0).
 */
export type Truncation = (typeof TRUNCATIONS)[number];

/** Every switch, resolved. */
export interface ProtocolSwitches {
  readonly truncation: Truncation;
  /** KIP-320: fetches and epoch queries carry the sender's leader epoch and are fenced on a mismatch; consumers validate their positions. */
  readonly epochFencing: boolean;
  /** KAFKA-7164: a follower truncates on every new leader epoch, even when the leader is the one it already follows. */
  readonly truncateOnEpochChange: boolean;
  /** KAFKA-7128: a follower joins the ISR only once it has fetched past the start of the leader's current epoch. */
  readonly isrJoinPastEpochStart: boolean;
  /** KIP-966 (broker.eligible.leader.replicas.enable). */
  readonly eligibleLeaderReplicas: boolean;
  /** KIP-890 part 2 (transaction.version 2): every EndTxn bumps the producer epoch, fencing delayed requests of earlier transactions (KAFKA-17754). */
  readonly transactionEpochBump: boolean;
}

const PRE_KIP_101: ProtocolSwitches = {
  truncation: 'high-watermark', epochFencing: false, truncateOnEpochChange: false, isrJoinPastEpochStart: false, eligibleLeaderReplicas: false,
  transactionEpochBump: false,
};
const FIXES_OF_2_1: ProtocolSwitches = {
  truncation: 'leader-epoch', epochFencing: true, truncateOnEpochChange: true, isrJoinPastEpochStart: true, eligibleLeaderReplicas: false,
  transactionEpochBump: false,
};
const FIXES_OF_4_0: ProtocolSwitches = { ...FIXES_OF_2_1, transactionEpochBump: true };

/** Each release's switches, as it shipped (its defaults). */
export const RELEASE_SWITCHES: ReadonlyMap<KafkaVersion, ProtocolSwitches> = new Map<KafkaVersion, ProtocolSwitches>([
  ['0.10', PRE_KIP_101],
  ['0.11', { ...PRE_KIP_101, truncation: 'epoch-end-offset' }],
  ['2.0', { ...PRE_KIP_101, truncation: 'leader-epoch' }],
  ['2.1', FIXES_OF_2_1],
  ['3.9', FIXES_OF_2_1],
  ['4.0', FIXES_OF_4_0],
  ['4.1', { ...FIXES_OF_4_0, eligibleLeaderReplicas: true }],
]);

/** The switches with no version given: today's Kafka with ELR off (its default before 4.1). */
const DEFAULT_SWITCHES: ProtocolSwitches = FIXES_OF_4_0;

/** What the scenario says, before resolution: undefined where a key is absent. */
export interface ProtocolInput {
  readonly version?: KafkaVersion | null | undefined;
  readonly truncation?: Truncation | undefined;
  readonly epochFencing?: boolean | undefined;
  readonly truncateOnEpochChange?: boolean | undefined;
  readonly isrJoinPastEpochStart?: boolean | undefined;
  readonly transactionEpochBump?: boolean | undefined;
}

/** A switch set explicitly that cannot work with the truncation chosen: key and reason. */
export interface ProtocolConflict {
  readonly key: 'epochFencing' | 'isrJoinPastEpochStart';
  readonly message: string;
}

/**
 * Resolves the switches: the version's (or the defaults), then each explicit key. The two fixes
 * that read the leader-epoch cache (KIP-320's fencing and consumer validation, KAFKA-7128's epoch
 * start) do not exist with high-watermark truncation, which keeps no such cache: left implicit they
 * turn off; set to true explicitly they are a conflict.
 */
export function resolveProtocol(p: ProtocolInput, explicitElr: boolean | undefined): { switches: ProtocolSwitches; conflicts: ProtocolConflict[] } {
  const base = p.version === undefined || p.version === null ? DEFAULT_SWITCHES : RELEASE_SWITCHES.get(p.version)!;
  const truncation = p.truncation ?? base.truncation;
  const epochs = truncation !== 'high-watermark';
  const conflicts: ProtocolConflict[] = [];
  const needsEpochs = (key: ProtocolConflict['key'], fix: string): boolean => {
    const explicit = p[key];
    if (explicit === true && !epochs) conflicts.push({ key, message: `${fix} needs leader epochs: protocol.truncation is "high-watermark"` });
    return explicit ?? (epochs && base[key]);
  };
  const switches: ProtocolSwitches = {
    truncation,
    epochFencing: needsEpochs('epochFencing', 'epoch fencing (KIP-320)'),
    truncateOnEpochChange: p.truncateOnEpochChange ?? base.truncateOnEpochChange,
    isrJoinPastEpochStart: needsEpochs('isrJoinPastEpochStart', 'joining the ISR past the epoch start (KAFKA-7128)'),
    eligibleLeaderReplicas: explicitElr ?? base.eligibleLeaderReplicas,
    transactionEpochBump: p.transactionEpochBump ?? base.transactionEpochBump,
  };
  return { switches, conflicts };
}
