import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

/** Messages of the cycle rule for each of the files (written into a fresh folder under src/). */
async function cycleMessages(dir: string, files: Record<string, string>): Promise<Record<string, string[]>> {
  for (const [name, code] of Object.entries(files)) writeFileSync(join(dir, name), code);
  const results = await eslint.lintFiles(Object.keys(files).map((name) => join(dir, name)));
  return Object.fromEntries(
    results.map((r) => [r.filePath.slice(dir.length + 1), r.messages.filter((m) => m.ruleId === 'import-x/no-cycle').map((m) => m.message)]),
  );
}

describe('the import cycle rule', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(root, 'src/backend/cycle-probe-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects a cycle through a value import, however long', async () => {
    const messages = await cycleMessages(dir, {
      'a.ts': "import { b } from './b';\nexport const a = (): number => b + 1;\n",
      'b.ts': "import { c } from './c';\nexport const b = c;\n",
      'c.ts': "import { a } from './a';\nexport const c = 1;\nexport const useA = (): number => a();\n",
    });
    for (const file of ['a.ts', 'b.ts', 'c.ts']) expect(messages[file]).toEqual([expect.stringMatching(/Dependency cycle/)]);
  });

  it('accepts type-only imports back and imports that form no cycle', async () => {
    const messages = await cycleMessages(dir, {
      'types.ts': "export interface Shape { n: number }\nexport class Failure extends Error {}\n",
      'service.ts': "import { handler } from './handler';\nexport interface Parts { n: number }\nexport const run = (): number => handler({ n: 1 });\n",
      'handler.ts': "import { Failure } from './types';\nimport type { Parts } from './service';\nexport const handler = (p: Parts): number => {\n  if (p.n < 0) throw new Failure();\n  return p.n;\n};\n",
    });
    expect(messages).toEqual({ 'types.ts': [], 'service.ts': [], 'handler.ts': [] });
  });

  it('finds no cycle in src/ (besides the probes above)', async () => {
    const results = (await eslint.lintFiles(['src'])).filter((r) => !r.filePath.startsWith(dir));
    const cycles = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'import-x/no-cycle').map((m) => `${r.filePath}:${m.line}`));
    expect(cycles).toEqual([]);
  });
});
