import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSweepSpecFile, SweepSpecFileError } from '../../../src/backend/store/spec-file';
import { tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const write = (name: string, text: string): string => {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
};

describe('loadSweepSpecFile', () => {
  it('reads the same spec from JSON and YAML', () => {
    const json = write('s.json', JSON.stringify({ name: 'x', env: 'CartPole-v1', preset: 'zoo', grid: { objective: ['clip', 'kl-adaptive'] }, seeds: [1, 2], overrides: { totalTimesteps: 4096 } }));
    const yaml = write(
      's.yaml',
      ['name: x', 'env: CartPole-v1', 'preset: zoo', 'grid:', '  objective: [clip, kl-adaptive]', 'seeds: [1, 2]', 'overrides:', '  totalTimesteps: 4096', ''].join('\n'),
    );
    expect(loadSweepSpecFile(yaml)).toEqual(loadSweepSpecFile(json));
    expect(loadSweepSpecFile(json).overrides).toEqual({ totalTimesteps: 4096 });
    const random = write('r.yml', 'name: r\nenv: Pendulum-v1\npreset: zoo\nrandom:\n  learning_rate: {min: 1.0e-4, max: 1.0e-2, log: true}\nsamples: 3\nseeds: [0]\n');
    expect(loadSweepSpecFile(random).random).toEqual({ learningRate: { min: 1e-4, max: 1e-2, log: true } });
  });

  it('reports syntax errors with the file and position, and spec errors with the field', () => {
    const badJson = write('bad.json', '{"name": "x",');
    expect(() => loadSweepSpecFile(badJson)).toThrow(SweepSpecFileError);
    expect(() => loadSweepSpecFile(badJson)).toThrow(/bad\.json: invalid JSON/);
    const badYaml = write('bad.yaml', 'name: x\ngrid: [unclosed\n');
    expect(() => loadSweepSpecFile(badYaml)).toThrow(/bad\.yaml: invalid YAML at line \d+, column \d+/);
    const badSpec = write('spec.yaml', 'name: x\nenv: CartPole-v1\npreset: zoo\ngrid:\n  objective: []\nseeds: [1]\n');
    try {
      loadSweepSpecFile(badSpec);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SweepSpecFileError);
      expect((err as SweepSpecFileError).message).toContain('grid.objective: expected a non-empty array');
      expect((err as SweepSpecFileError).issues).toEqual([{ path: 'grid.objective', message: 'expected a non-empty array', coded: expect.objectContaining({ code: expect.any(String) }) }]);
    }
    expect(() => loadSweepSpecFile(join(tmp.dir, 'missing.json'))).toThrow(/missing\.json: cannot read/);
  });
});
