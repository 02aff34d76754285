// How often one account may follow, like and comment: SOCIAL_ACTIONS_MAX_PER_HOUR for all three
// together (unfollows and unlikes included), and COMMENT_MAX_PER_HOUR for comments on top, counted
// before the write (so requests sent together cannot slip past), all or none, in memory or in Redis like
// every other limit (src/infra/rate-limits/limiters.ts).
import { type Count, consumeTogether, type RateLimits } from '../../infra/rate-limits/limiters.ts';

export interface SocialLimitSettings {
  /** Follows, likes and comments per account per hour; 0 turns the limit off. */
  actionsPerHour: number;
  /** Comments per account per hour; 0 turns the limit off. */
  commentsPerHour: number;
}

export type SocialAction = 'follow' | 'like' | 'comment';

export function createSocialLimits(rateLimits: RateLimits, { actionsPerHour, commentsPerHour }: SocialLimitSettings) {
  const actions =
    actionsPerHour > 0
      ? rateLimits.limiter('social-actions', {
          points: actionsPerHour,
          durationSeconds: 3600,
          message: `At most ${actionsPerHour} follows, likes and comments an hour.`,
        })
      : null;
  const comments =
    commentsPerHour > 0
      ? rateLimits.limiter('comments', {
          points: commentsPerHour,
          durationSeconds: 3600,
          message: `At most ${commentsPerHour} comments an hour.`,
        })
      : null;

  return {
    /** Counts one action by the user, or throws RATE_LIMITED (counting nothing). */
    async count(userId: string, action: SocialAction): Promise<void> {
      const counts: Count[] = [];
      if (actions) counts.push({ limiter: actions, subject: userId });
      if (action === 'comment' && comments) counts.push({ limiter: comments, subject: userId });
      if (counts.length > 0) await consumeTogether(counts);
    },
  };
}

export type SocialLimits = ReturnType<typeof createSocialLimits>;
