import { builder } from '../builder.ts';
import './scalars.ts';
import './error-codes.ts';
import './post.ts';
import './imagekit.ts';
import './user.ts';
import './avatar.ts';
import './upload-limits.ts';
import './auth.ts';
import './sessions.ts';
import './oauth.ts';
import './account.ts';
import './admin.ts';
import './social.ts';
import './comments.ts';
import './safety.ts';
import './moderation.ts';
import './live.ts';
import './notifications.ts';

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({ description: 'Live updates, over Server-Sent Events (README "Live updates").' });

export const schema = builder.toSchema({ sortSchema: false });
