// What ImageKit enforces, for test/support/fake-imagekit.ts: the upload API v2's JWT, the upload checks
// (`checks`) and the list API's search queries, as far as this app uses them. Where each rule comes from
// is in docs/decisions/0010-imagekit-direct-upload-tokens.md. Statuses follow ImageKit's error table
// (400 an invalid parameter, 403 an authentication failure); ImageKit does not publish the exact
// messages of the v2 refusals, so those are the fake's own, in ImageKit's { message, help } shape.
import jwt from 'jsonwebtoken';

/** An answer ImageKit refuses a request with. */
export class ImageKitRefusal extends Error {
  constructor(
    readonly status: 400 | 403,
    message: string,
  ) {
    super(message);
  }
}

// A token may live at most an hour ("expire ... must be less than one hour").
const MAX_TOKEN_LIFETIME_SECONDS = 3600;
// Claims jsonwebtoken adds itself, as in ImageKit's own example; every other claim is an upload parameter.
const JWT_CLAIMS = new Set(['iat', 'exp']);
// Form fields that are not upload parameters: the file itself and the token that signs the rest.
const UNSIGNED_FIELDS = new Set(['file', 'token']);

export interface UploadKeys {
  privateKey: string;
  publicKey: string;
  /** Tokens already presented, refused from then on even if that upload failed. */
  used: Set<string>;
}

/**
 * Checks a browser's v2 upload: `token` is a JWT signed HS256 with the private key, its header's kid is
 * the public key, it has not expired and was never sent before, and its payload holds exactly the form
 * fields sent (names and string values) besides iat and exp.
 */
export function verifyUploadToken(fields: Record<string, string>, keys: UploadKeys): void {
  const token = fields.token;
  if (!token) throw new ImageKitRefusal(403, 'Your request does not contain a token.');
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload !== 'object' || decoded.header.alg !== 'HS256') {
    throw new ImageKitRefusal(403, 'Your request contains an invalid token.');
  }
  if (decoded.header.kid !== keys.publicKey) throw new ImageKitRefusal(403, 'Your account cannot be authenticated.');
  try {
    jwt.verify(token, keys.privateKey, { algorithms: ['HS256'] });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw new ImageKitRefusal(403, 'The token has expired.');
    throw new ImageKitRefusal(403, 'Your request contains an invalid token.');
  }
  // Spent from here on, whatever happens to this upload.
  if (keys.used.has(token)) {
    throw new ImageKitRefusal(400, 'This token has been used before. Generate a new token for every upload.');
  }
  keys.used.add(token);
  const { iat, exp, ...rest } = decoded.payload;
  if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new ImageKitRefusal(400, 'The token must carry iat and exp, at most one hour apart.');
  }
  const signed = Object.entries(rest).filter(([name]) => !JWT_CLAIMS.has(name));
  const sent = Object.entries(fields).filter(([name]) => !UNSIGNED_FIELDS.has(name));
  for (const [name, value] of signed) {
    if (typeof value !== 'string') throw new ImageKitRefusal(400, `The token's ${name} must be a string.`);
    if (fields[name] !== value) {
      throw new ImageKitRefusal(400, `The ${name} parameter does not match the one in the token.`);
    }
  }
  const extra = sent.find(([name]) => !Object.hasOwn(rest, name));
  if (extra) throw new ImageKitRefusal(400, `The ${extra[0]} parameter is not in the token.`);
}

/** What upload checks look at. */
export interface CheckedFile {
  size: number;
  mime: string;
}

const SIZE_CLAUSE = /^"file\.size"\s*(<=|>=|<|>|=)\s*"?(\d+)"?$/;
const MIME_IN_CLAUSE = /^"file\.mime"\s+IN\s+\[(.*)\]$/;
const MIME_IS_CLAUSE = /^"file\.mime"\s*(=|:)\s*"([^"]*)"$/;

const compare = (left: number, op: string, right: number) =>
  op === '<'
    ? left < right
    : op === '<='
      ? left <= right
      : op === '>'
        ? left > right
        : op === '>='
          ? left >= right
          : left === right;

/**
 * Runs `checks` ("file.size" and "file.mime" clauses joined by AND, the ones this app sends) on the file.
 * A failing check refuses the upload with 400; a check the fake cannot read does too.
 */
export function runUploadChecks(checks: string | undefined, file: CheckedFile): void {
  if (checks === undefined) return;
  for (const clause of checks.split(/\s+AND\s+/)) {
    const text = clause.trim();
    let passes: boolean;
    const size = SIZE_CLAUSE.exec(text);
    const mimeIn = MIME_IN_CLAUSE.exec(text);
    const mimeIs = MIME_IS_CLAUSE.exec(text);
    if (size) passes = compare(file.size, size[1]!, Number(size[2]));
    else if (mimeIn) passes = parseStringList(mimeIn[1]!).includes(file.mime);
    else if (mimeIs) passes = mimeIs[1] === '=' ? file.mime === mimeIs[2] : file.mime.startsWith(mimeIs[2]!);
    else throw new ImageKitRefusal(400, `Invalid checks parameter: ${text}`);
    if (!passes) throw new ImageKitRefusal(400, `The file does not pass the upload check ${text}.`);
  }
}

function parseStringList(list: string): string[] {
  const items = list.split(',').map((item) => item.trim());
  if (items.some((item) => !/^"[^"]*"$/.test(item))) throw new ImageKitRefusal(400, `Invalid list: [${list}]`);
  return items.map((item) => item.slice(1, -1));
}

/** What a search query looks at in a listed asset. */
export interface SearchedAsset {
  type: 'file' | 'folder';
  name: string;
  createdAt: string;
}

const NAME_CLAUSE = /^name\s*=\s*"([^"]*)"$/;
const TYPE_CLAUSE = /^type\s*=\s*"(file|folder)"$/;
const CREATED_CLAUSE = /^createdAt\s*(<=|>=|<|>)\s*"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})"$/;

/**
 * A list API searchQuery (`name = "x"`, `type = "file"`, `createdAt < "YYYY-MM-DDTHH:MM:SS"` in UTC,
 * joined by AND) as a filter; anything else is refused with 400, as ImageKit refuses a query it cannot parse.
 */
export function searchFilter(query: string | null): (asset: SearchedAsset) => boolean {
  if (query === null) return () => true;
  const tests = query.split(/\s+AND\s+/).map((clause): ((asset: SearchedAsset) => boolean) => {
    const text = clause.trim();
    const name = NAME_CLAUSE.exec(text);
    if (name) return (asset) => asset.name === name[1];
    const type = TYPE_CLAUSE.exec(text);
    if (type) return (asset) => asset.type === type[1];
    const created = CREATED_CLAUSE.exec(text);
    if (created) {
      const at = Date.parse(`${created[2]}Z`);
      return (asset) => compare(Date.parse(asset.createdAt), created[1]!, at);
    }
    throw new ImageKitRefusal(400, `Invalid search query: ${text}`);
  });
  return (asset) => tests.every((test) => test(asset));
}
