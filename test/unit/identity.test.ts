// Passwords, emails and usernames as accounts take them: the password rules, and each address in one spelling.

import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../src/infra/passwords.ts';
import { parseEmail, parseUsername } from '../../src/services/accounts/identity.ts';

describe('passwordProblem', () => {
  it.each([
    ['long enough password', 'ada@example.com', null],
    ['short', 'ada@example.com', /at least 8/],
    ['x'.repeat(73), 'ada@example.com', /at most 72 bytes/],
    ['é'.repeat(37), 'ada@example.com', /at most 72 bytes/],
    ['my ADA@EXAMPLE.COM pass', 'ada@example.com', /e-mail/],
  ])('%s (email %s)', (password, email, expected) => {
    const problem = passwordProblem(password, email);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});

describe('parseEmail and parseUsername', () => {
  it.each([
    ['  Ada.Lovelace@Example.COM ', 'ada.lovelace@example.com'],
    ['a@b.co', 'a@b.co'],
    // One mailbox, one spelling: the domain as UTS-46 maps it, the whole address in NFC.
    ['ada@\uff45xample.com', 'ada@example.com'],
    ['ADA@\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25\uff0e\uff23\uff2f\uff2d', 'ada@example.com'],
    ['ada@example\u3002com', 'ada@example.com'],
    ['ada@exampl\u0065\u0301.com', 'ada@exampl\u00e9.com'],
    ['ADA@EXAMPLE\u0301.COM', 'ada@exampl\u00e9.com'],
    ['ada@xn--exampl-gva.com', 'ada@exampl\u00e9.com'],
    ['e\u0301mile@example.com', '\u00e9mile@example.com'],
  ])('keep %j as %j', (input, stored) => {
    expect(parseEmail(input)).toBe(stored);
  });

  it.each([
    'no-at-sign',
    'two@@example.com',
    'no@dot',
    'spa ce@example.com',
    'zero\u200bwidth@example.com',
    'bell\u0007@example.com',
    `${'a'.repeat(250)}@x.io`,
    'x'.repeat(20_000_000),
    'ada@example.com.',
    'ada@example.com\uff0e',
    'ada@example..com',
    'ada@.example.com',
    'ada@exa%mple.com',
    'ada@xn--a.com',
    'ada@[127.0.0.1]',
  ])('refuse %j', (input) => {
    expect(() => parseEmail(input)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', extensions: { field: 'email' } }),
    );
  });

  it.each([
    ['Ada_L', 'ada_l'],
    ['a.b.c', 'a.b.c'],
  ])('keep username %j as %j', (input, stored) => {
    expect(parseUsername(input)).toBe(stored);
  });

  it.each(['ab', 'a'.repeat(31), 'with space', 'dash-ed', 'ümlaut'])('refuse username %j', (input) => {
    expect(() => parseUsername(input)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
