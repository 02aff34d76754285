// Runs the prisma CLI (JS engine, offline) with test/support/prisma.config.ts against a database.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { currentRunTag } from './database.ts';

const root = path.join(import.meta.dirname, '..', '..');
const PRISMA = path.join(root, 'node_modules', '.bin', 'prisma');
const CONFIG = path.join(import.meta.dirname, 'prisma.config.ts');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function prismaCli(args: string[], databaseUrl: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      PRISMA,
      [...args, '--config', CONFIG],
      {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          TEST_RUN_TAG: currentRunTag(),
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
