// How often one account may follow, like and comment: SOCIAL_ACTIONS_MAX_PER_HOUR for all three
// together, and COMMENT_MAX_PER_HOUR for comments on top, counted before the write (so requests sent
// together cannot slip past), in memory or in Redis like every other limit.
import { AppError, ErrorCode } from '../../errors.ts';
import type { CounterKey, CounterStore } from '../../infra/rate-limits/counters.ts';

export interface SocialLimitsDeps {
  store: CounterStore;
  /** Follows, unfollows, likes, unlikes and comments per account per hour; 0 turns the limit off. */
  actionsPerHour: number;
  /** Comments per account per hour; 0 turns the limit off. */
  commentsPerHour: number;
}

export type SocialAction = 'follow' | 'like' | 'comment';

export function createSocialLimits({ store, actionsPerHour, commentsPerHour }: SocialLimitsDeps) {
  return {
    /** Counts one action by the user, or throws RATE_LIMITED (counting nothing). */
    async count(userId: string, action: SocialAction): Promise<void> {
      const limited: { key: CounterKey; limit: number; what: string }[] = [];
      if (actionsPerHour > 0) {
        limited.push({
          key: { kind: 'social-actions', subject: userId, windowSeconds: 3600 },
          limit: actionsPerHour,
          what: `At most ${actionsPerHour} follows, likes and comments an hour.`,
        });
      }
      if (action === 'comment' && commentsPerHour > 0) {
        limited.push({
          key: { kind: 'comments', subject: userId, windowSeconds: 3600 },
          limit: commentsPerHour,
          what: `At most ${commentsPerHour} comments an hour.`,
        });
      }
      if (limited.length === 0) return;
      const counts = await store.hit(limited.map((entry) => entry.key));
      const overAt = limited.findIndex((entry, i) => (counts[i]?.count ?? 0) > entry.limit);
      const over = limited[overAt];
      if (!over) return;
      await store.undo(limited.map((entry) => entry.key));
      const retryAfterSeconds = counts[overAt]?.resetInSeconds ?? 3600;
      throw new AppError(ErrorCode.RATE_LIMITED, `${over.what} Try again in ${retryAfterSeconds} seconds.`, {
        retryAfterSeconds,
      });
    },
  };
}

export type SocialLimits = ReturnType<typeof createSocialLimits>;
