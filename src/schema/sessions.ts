// The viewer's sessions: listed, ended one by one, and a bearer session renewed with its refresh token.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.ts';
import type { SessionInfo } from '../services/accounts/sessions.ts';
import { AuthPayload, AuthTransportEnum, handOver } from './auth.ts';
import { idOf } from './ids.ts';

const SessionRef = builder.objectRef<SessionInfo>('Session').implement({
  description: 'One sign-in of the viewer, on one device or browser.',
  fields: (t) => ({
    // A global id like every other, but no Node: node(id) must not hand anyone a session.
    id: t.id({ description: 'Pass to revokeSession.', resolve: (session) => encodeGlobalID('Session', session.id) }),
    transport: t.expose('transport', {
      type: AuthTransportEnum,
      description: 'BEARER: a token in the Authorization header; COOKIE: the session cookie.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it signed in.' }),
    lastUsedAt: t.expose('lastUsedAt', {
      type: 'DateTime',
      description: 'When a request last used it, to within 5 minutes.',
    }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      description:
        'When it ends unless used: a cookie session slides on, a bearer session lasts as long as its refresh token.',
    }),
    userAgent: t.exposeString('userAgent', {
      nullable: true,
      description: 'The User-Agent of the sign-in (at most 512 characters), or null.',
    }),
    current: t.boolean({
      description: 'Whether this request was sent with it.',
      resolve: (session, _args, context) => session.id === context.sessionId,
    }),
  }),
});

builder.queryField('mySessions', (t) =>
  t.withAuth({ signedIn: true }).field({
    type: [SessionRef],
    description: "The viewer's sessions that have not ended, most recently used first. Signed in.",
    resolve: (_root, _args, context) => context.services.sessions.list(context.viewer.id),
  }),
);

builder.mutationFields((t) => ({
  revokeSession: t.withAuth({ signedIn: true }).boolean({
    description:
      "Ends one of the viewer's sessions (its access, cookie and refresh tokens) on every server instance; the current one too. Signed in. Errors: BAD_USER_INPUT (not a Session id), NOT_FOUND (no session of the viewer's).",
    args: { id: t.arg.globalID({ required: true, description: 'A Session id, from mySessions.' }) },
    resolve: async (_root, { id }, context) => {
      const sessionId = idOf(id, 'Session', 'id');
      await context.services.sessions.revoke(context.viewer.id, sessionId);
      if (sessionId === context.sessionId && context.sessionSource === 'cookie') context.sessionCookie.clear();
      return true;
    },
  }),
  refreshSession: t.field({
    type: AuthPayload,
    description:
      'Trades a refresh token for a new access token and a new refresh token; the one given dies. Anyone holding one. A refresh token presented a second time ends its whole session. Errors: REFRESH_TOKEN_INVALID.',
    args: {
      refreshToken: t.arg.string({
        required: true,
        description: 'From login, completeOAuthSignIn or an earlier refreshSession.',
      }),
    },
    resolve: async (_root, { refreshToken }, context) => {
      return handOver(context, await context.services.sessions.refresh(refreshToken));
    },
  }),
}));
