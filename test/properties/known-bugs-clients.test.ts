// The known-bug suite, part 2 (KAFKA.md anomalies 9–11): durability without fsync, producer retries
// without idempotence, consumer commit order. Part 1 is known-bugs.test.ts.
import { KNOWN_BUGS } from '../../properties/known-bugs.js';
import { knownBugCases } from './known-bugs-cases.js';

knownBugCases(KNOWN_BUGS.filter((bug) => bug.number >= 9));
