// Sign-in with Google, GitHub or any OpenID Connect provider: the providers a sign-in page shows, the
// one-time code a provider sign-in hands the frontend, and unlinking a provider.
import { builder } from '../builder.ts';
import { AuthPayload, AuthTransportEnum, assertMaySetCookie, handOver } from './auth.ts';

interface AuthProviderShape {
  id: string;
  name: string;
}

const AuthProviderRef = builder.objectRef<AuthProviderShape>('AuthProvider').implement({
  description: 'A provider people can sign in with, as a sign-in button shows it.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'google, github or oidc.' }),
    name: t.exposeString('name', { description: 'What the button says: Google, GitHub, or OAUTH_OIDC_NAME.' }),
    authorizeUrl: t.string({
      description:
        'Where the sign-in starts: send the browser there (a navigation, not fetch), with ?redirect=<a path on APP_URL>&transport=code|cookie. It comes back to APP_URL + redirect with ?oauth_code= (exchange it with completeOAuthSignIn) or ?oauth_error=<ErrorCode>, or with transport=cookie signed in by the session cookie.',
      resolve: (provider, _args, context) => `${context.services.config.publicUrl}/auth/oauth/${provider.id}/authorize`,
    }),
  }),
});

builder.queryField('authProviders', (t) =>
  t.field({
    type: [AuthProviderRef],
    description: 'The sign-in providers this server is configured with; empty when none. Anyone.',
    resolve: (_root, _args, context) => context.services.oauth.list(),
  }),
);

builder.mutationFields((t) => ({
  completeOAuthSignIn: t.field({
    type: AuthPayload,
    description:
      'Trades the one-time ?oauth_code= of a provider sign-in for a session, once and within 60 seconds: BEARER (a token and a refresh token) or COOKIE (the session cookie). Anyone holding the code; COOKIE from a trusted page with a preflight header. Errors: OAUTH_CODE_INVALID, OAUTH_ACCOUNT_INACTIVE, CSRF_REJECTED.',
    args: {
      code: t.arg.string({
        required: true,
        description: 'The oauth_code query parameter the frontend came back with.',
      }),
      transport: t.arg({
        type: AuthTransportEnum,
        defaultValue: 'BEARER',
        description: 'BEARER (apps) or COOKIE (web frontends); see AuthTransport.',
      }),
    },
    resolve: async (_root, { code, transport: asked }, context) => {
      // An explicit null means the default too.
      const transport = asked ?? 'BEARER';
      assertMaySetCookie(context, transport);
      return handOver(
        context,
        await context.services.oauth.complete(code, { transport, userAgent: context.userAgent }),
      );
    },
  }),
  unlinkProvider: t.withAuth({ signedIn: true }).boolean({
    description:
      "Unlinks the viewer's account at a provider: signing in there no longer signs in here. Signed in. Errors: NOT_FOUND (none linked), OAUTH_LAST_SIGN_IN_METHOD (it is the account's only way to sign in: set a password first).",
    args: {
      provider: t.arg.string({ required: true, description: 'google, github or oidc (see User.linkedProviders).' }),
    },
    resolve: async (_root, { provider }, context) => {
      await context.services.oauth.unlink(context.viewer.id, provider);
      return true;
    },
  }),
}));
