// SOCIAL_ACTIONS_MAX_PER_HOUR counted atomically in Redis, shared by instances (test/likes.test.ts counts it
// in memory): the cases of test/support/social-limit-cases.ts.
import { TEST_REDIS_URL } from '../support/server.ts';
import { describeSocialActionLimit } from '../support/social-limit-cases.ts';

describeSocialActionLimit([['in Redis', { REDIS_URL: TEST_REDIS_URL }]]);
