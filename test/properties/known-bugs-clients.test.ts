// The known-bug suite, part 2 (KAFKA.md anomalies 1 and 9–12): Jepsen's unclean election, durability
// without fsync, producer retries without idempotence, consumer commit order, a delayed EndTxn
// (KAFKA-17754; its fast two-seed check is kafka17754.test.ts). Part 1 is
// known-bugs.test.ts; anomaly 1 is here because its search is the longest, so the halves take about
// as long as each other.
import { KNOWN_BUGS } from '../../properties/known-bugs.js';
import { knownBugCases } from './known-bugs-cases.js';

knownBugCases(KNOWN_BUGS.filter((bug) => bug.number === 1 || bug.number >= 9));
