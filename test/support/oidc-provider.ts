// A real OpenID Connect provider on a loopback port: oauth2-mock-server, speaking the protocol (discovery,
// JWKS, signed ID tokens, PKCE checked at the token endpoint). It signs in whoever `signInAs` names.
import { OAuth2Server } from 'oauth2-mock-server';

export interface OidcAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  preferred_username?: string;
}

export interface TestOidcProvider {
  issuer: string;
  server: OAuth2Server;
  /** The account the next sign-ins are, until changed: its claims go into every token it signs. */
  signInAs(account: OidcAccount): void;
  /** Changes the next ID token as it is signed (a wrong nonce, another audience...), once. */
  tamperOnce(change: (payload: Record<string, unknown>) => void): void;
  stop(): Promise<void>;
}

export async function startOidcProvider(): Promise<TestOidcProvider> {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  let account: OidcAccount = { sub: 'nobody' };
  // After the mock's own claims (it would say sub "johndoe"): the account signed in.
  server.service.on('beforeTokenSigning', (token) => Object.assign(token.payload, account));
  // Its userinfo endpoint answers for the same account.
  server.service.on('beforeUserinfo', (response: { body: unknown }) => {
    response.body = { ...account };
  });
  return {
    issuer: server.issuer.url!,
    server,
    signInAs(next) {
      account = next;
    },
    tamperOnce(change) {
      // The access token is signed first, then the ID token: the second signing is the ID token's.
      let signings = 0;
      const listener = (token: { payload: Record<string, unknown> }) => {
        signings += 1;
        if (signings < 2) return;
        change(token.payload);
        server.service.off('beforeTokenSigning', listener);
      };
      server.service.on('beforeTokenSigning', listener);
    },
    stop: () => server.stop(),
  };
}
