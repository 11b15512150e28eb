import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    ["import { app } from 'electron';\nexport const a = app;", /Only src\/main and src\/preload/],
    ["import { readFileSync } from 'node:fs';\nexport const r = readFileSync;", /no Node built-ins/],
    ["import App from '../renderer/src/App.svelte';\nexport const x = App;", /Only src\/renderer/],
    ["import * as tf from '@tensorflow/tfjs-core';\nexport const t = tf;", /tfjs lives only/],
    ["import Database from 'better-sqlite3';\nexport const d = Database;", /SQLite lives only/],
  ])('rejects %s in src/core', async (code, message) => {
    const messages = await restrictedImports('src/core/probe.ts', code);
    expect(messages.some((m) => message.test(m))).toBe(true);
  });

  it('accepts a pure import in src/core', async () => {
    expect(await restrictedImports('src/core/probe.ts', "import { z } from 'zod';\nexport const s = z.string();")).toEqual([]);
  });

  it('keeps electron out of the backend and tfjs out of the renderer', async () => {
    expect(await restrictedImports('src/backend/probe.ts', "import { app } from 'electron';\nexport const a = app;")).toHaveLength(1);
    expect(
      await restrictedImports('src/renderer/src/probe.ts', "import * as tf from '@tensorflow/tfjs-core';\nexport const t = tf;"),
    ).toHaveLength(1);
    expect(await restrictedImports('src/backend/probe.ts', "import '../trainer/process';")).toHaveLength(1);
  });
});
