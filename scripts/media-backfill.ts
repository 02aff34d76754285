// Fills width, height, duration and BlurHash (and local videos' posters) of posts stored before uploads
// were measured: `npm run media:backfill`, with the server's own environment (DATABASE_URL, UPLOAD_DIR,
// the ImageKit keys). Safe to run while the server runs, to run twice, and to stop and run again.
import { loadConfig } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { closeHeicWorkers } from '../src/infra/media/heic.ts';
import { createLogger } from '../src/logger.ts';
import { createServices } from '../src/services/index.ts';

async function main(): Promise<number> {
  const config = loadConfig();
  // Warnings (a post that could not be read) go to stderr as JSON; progress goes to stdout.
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, (line) =>
    process.stderr.write(`${line}\n`),
  );
  await migrate({ url: config.databaseUrl });
  const services = createServices(config, logger);
  try {
    let last = 0;
    const result = await services.mediaBackfill.run({
      onProgress: ({ done, total, filled, failed }) => {
        // A line a second at most, and the last one always.
        if (done < total && Date.now() - last < 1000) return;
        last = Date.now();
        console.log(`${done}/${total} posts: ${filled} filled, ${failed} could not be read`);
      },
    });
    if (result.total === 0) console.log('nothing to fill: every post has its width, height, duration and BlurHash');
    else console.log(`done: ${result.filled} filled, ${result.failed} could not be read (see the warnings above)`);
    return result.failed > 0 ? 1 : 0;
  } finally {
    await services.close();
    await closeHeicWorkers();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exit(1);
  },
);
