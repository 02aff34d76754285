// Runs bcrypt off the event loop, in piscina's worker threads (src/infra/passwords.ts). Plain
// JavaScript: worker threads load it with Node's own loader, whatever runs the main thread.
import os from 'node:os';
import bcrypt from 'bcryptjs';

// Below the main thread's priority (Linux niceness applies per thread): requests keep their share of
// the CPU while passwords are being checked.
try {
  os.setPriority(10);
} catch {
  // Not allowed here: the default priority is fine.
}

export function hash({ password, cost }) {
  return bcrypt.hash(password, cost);
}

export function compare({ password, hash }) {
  return bcrypt.compare(password, hash);
}
