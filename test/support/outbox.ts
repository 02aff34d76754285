// The mails a server without SMTP_URL wrote to DATA_DIR/outbox/ (src/infra/mailer.ts), for reading
// their links the way a developer does.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export interface OutboxMail {
  file: string;
  /** The file's permission bits. */
  mode: number;
  to: string;
  subject: string;
  text: string;
}

/** Every mail in the folder's outbox, oldest first. */
export async function readOutbox(dataDir: string): Promise<OutboxMail[]> {
  const dir = path.join(dataDir, 'outbox');
  const names = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.eml')).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name);
      const [content, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
      const [head = '', ...body] = content.split('\n\n');
      const header = (field: string) => new RegExp(`^${field}: (.*)$`, 'm').exec(head)?.[1] ?? '';
      return { file, mode: info.mode & 0o777, to: header('To'), subject: header('Subject'), text: body.join('\n\n') };
    }),
  );
}

/** The token of the mail's reset or verification link. */
export function outboxToken(mail: OutboxMail, linkPath: '/reset-password' | '/verify'): string {
  const match = new RegExp(`${linkPath}\\?token=([A-Za-z0-9._%-]+)`).exec(mail.text);
  if (!match) throw new Error(`no ${linkPath} link in ${mail.file}:\n${mail.text}`);
  return decodeURIComponent(match[1]!);
}
