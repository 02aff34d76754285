// Tokens for uploads straight from a browser to ImageKit's upload API v2. The token is a JWT that
// signs every upload parameter the browser will send, and ImageKit refuses an upload whose fields
// differ from it: the browser cannot choose another folder or file name, overwrite a file, or skip the
// size and type checks. (The v1 signature signed only a token and an expiry, so a browser holding one
// could overwrite any file.) The protocol, and where it is documented, is in
// docs/decisions/0010-imagekit-direct-upload-tokens.md.
import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { ImageKitConfig } from '../../config.ts';

/** What one browser upload may be. */
export interface DirectUploadRules {
  /** The folder the file must go to. */
  folder: string;
  /** The name the browser asked for (a display name); it is cleaned and made unique. */
  requestedName: string | null | undefined;
  /** The MIME types ImageKit may accept, checked by ImageKit on the file's bytes. */
  mimeTypes: readonly string[];
}

/** Everything a browser needs for one upload, and the exact form fields it must send. */
export interface UploadAuth {
  uploadUrl: string;
  token: string;
  /** Unix time in seconds: the token's exp. */
  expire: number;
  publicKey: string;
  urlEndpoint: string;
  folder: string;
  fileName: string;
  maxBytes: number;
  /** The form fields, token included, in the order to send them; the file goes last as `file`. */
  fields: { name: string; value: string }[];
}

// The v1 helper's default lifetime, kept; ImageKit takes at most an hour.
export const UPLOAD_TOKEN_LIFETIME_SECONDS = 30 * 60;
const MAX_STEM_LENGTH = 100;

/**
 * The name a direct upload is signed for: the requested file's base name in the characters ImageKit
 * keeps (letters, digits, ".", "_", "-"; it would turn anything else into "_" itself), with a random
 * part so that two tokens asked for in the same second never come out identical (ImageKit refuses a
 * token it has seen, and identical payloads signed in the same second make identical tokens).
 */
export function directUploadName(requested: string | null | undefined): string {
  const base = (requested ?? '')
    .replace(/^.*[\\/]/, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '');
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot).slice(0, 11) : '';
  const stem = (dot > 0 ? base.slice(0, dot) : base).slice(0, MAX_STEM_LENGTH) || 'upload';
  return `${stem}-${randomBytes(4).toString('hex')}${ext}`;
}

/** The upload checks ImageKit runs on the file before storing it ("file.size", "file.mime"). */
export function uploadChecks(maxBytes: number, mimeTypes: readonly string[]): string {
  return `"file.size" <= ${maxBytes} AND "file.mime" IN [${mimeTypes.map((type) => JSON.stringify(type)).join(', ')}]`;
}

/**
 * Signs one upload: HS256 with the private key, the public key as kid, and the upload parameters as
 * the payload, each as a string, beside iat and exp. A unique name and no overwriting: nothing a browser
 * sends can replace an existing file.
 */
export function signDirectUpload(config: ImageKitConfig, rules: DirectUploadRules): UploadAuth {
  const fileName = directUploadName(rules.requestedName);
  const parameters = {
    fileName,
    folder: rules.folder,
    useUniqueFileName: 'true',
    overwriteFile: 'false',
    checks: uploadChecks(config.directUploadMaxBytes, rules.mimeTypes),
  };
  const token = jwt.sign(parameters, config.privateKey, {
    algorithm: 'HS256',
    expiresIn: UPLOAD_TOKEN_LIFETIME_SECONDS,
    header: { alg: 'HS256', typ: 'JWT', kid: config.publicKey },
  });
  const { exp } = jwt.decode(token) as { exp: number };
  return {
    uploadUrl: config.directUploadUrl,
    token,
    expire: exp,
    publicKey: config.publicKey,
    urlEndpoint: config.urlEndpoint,
    folder: rules.folder,
    fileName,
    maxBytes: config.directUploadMaxBytes,
    fields: [...Object.entries(parameters), ['token', token] as const].map(([name, value]) => ({ name, value })),
  };
}
