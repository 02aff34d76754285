// Docs that name a file must name one that exists: README.md and the decision records cite source
// files, tests and scripts by path, and a rename that forgets them leaves readers on a dead trail.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.join(import.meta.dirname, '..', '..');
const documents = [
  'README.md',
  ...readdirSync(path.join(root, 'docs/decisions')).map((name) => `docs/decisions/${name}`),
];

// A path into the repository: a known top folder, then path characters. Placeholders (<domain>) and
// globs (*) are patterns, not paths, and are left out.
const CITED = /(?<![\w/.-])((?:src|test|bench|scripts|prisma|docs|\.ci)\/[\w./@-]*[\w/])/g;

function citedPaths(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(CITED)) {
    const cited = match[1]!;
    // The whole word the path stands in: a pattern (src/schema/<domain>.ts, test/client-*.test.ts), a
    // shell variable ($name) or a link's label ([docs/decisions/0010]) is no citation of a file.
    const word = /^[^\s`'"()]+/.exec(text.slice(match.index!))?.[0] ?? cited;
    if (/[<*$\]]/.test(word) || cited.includes('..')) continue;
    found.add(cited.replace(/[.]$/, ''));
  }
  return [...found];
}

describe('paths cited in the docs', () => {
  it.each(documents)('%s cites only paths that exist', (document) => {
    const missing = citedPaths(readFileSync(path.join(root, document), 'utf8')).filter(
      (cited) => !existsSync(path.join(root, cited)),
    );
    expect(missing).toEqual([]);
  });

  it('finds the paths a document cites (the check itself can fail)', () => {
    expect(
      citedPaths('see src/db/keyset.ts, src/schema/<domain>.ts, test/client-*.test.ts, [docs/x](docs/decisions/)'),
    ).toEqual(['src/db/keyset.ts', 'docs/decisions/']);
  });
});

describe('decision records', () => {
  it.each(documents.filter((document) => /\/\d{4}-/.test(document)))(
    '%s says when it was made and whether it holds',
    (document) => {
      const text = readFileSync(path.join(root, document), 'utf8');
      expect(text).toMatch(/^Date: \d{4}-\d{2}-\d{2}$/m);
      expect(text).toMatch(/^Status: (accepted|superseded|deprecated)\b/m);
    },
  );
});
