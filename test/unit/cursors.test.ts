// Keyset cursors (src/db/keyset.ts): what a cursor encodes, and every malformed one refused.

import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/db/keyset.ts';

describe('cursors', () => {
  const position = { createdAt: new Date('2026-11-29T10:00:00.123Z'), id: '6f1d2a5e-0c3b-4c1e-9d7a-2b8f4e6a1c90' };

  it('round-trip a position', () => {
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it.each([
    ['empty', ''],
    ['not base64url of anything sensible', '!!!!'],
    ['without an id', Buffer.from('2026-11-29T10:00:00.123Z').toString('base64url')],
    ['with an id that is no UUID', Buffer.from('2026-11-29T10:00:00.123Z|42').toString('base64url')],
    ['with a date that does not round-trip', Buffer.from(`2026-11-29|${position.id}`).toString('base64url')],
    ['with extra parts', Buffer.from(`2026-11-29T10:00:00.123Z|${position.id}|x`).toString('base64url')],
    ['an offset cursor', Buffer.from('OffsetConnection:10').toString('base64')],
  ])('refuse one %s with BAD_USER_INPUT', (_label, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
