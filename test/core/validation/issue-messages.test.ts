import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { safeParseTrainConfig } from '../../../src/core/training/config';
import { issuesOf, requestSchemas } from '../../../src/core/api/contract';
import { englishText, formatMessage } from '../../../src/core/validation/coded-messages';
import { domainErrors, numberBounds, rangeText, subjectOf } from '../../../src/core/validation/issue-messages';

/** The messages a config with these fields gets, by field. */
function configMessages(fields: Record<string, unknown>): Record<string, string> {
  const result = safeParseTrainConfig({ algorithm: 'ppo', ...fields });
  if (result.ok) return {};
  return Object.fromEntries(result.issues.map((i) => [i.path.join('.'), i.message]));
}

describe('validation messages in domain words', () => {
  it('names the field and its whole range for a config number out of bounds', () => {
    expect(configMessages({ gamma: 1.5 })).toEqual({ gamma: 'gamma must be between 0 and 1 (got 1.5)' });
    expect(configMessages({ learningRate: -0.1 })).toEqual({ learningRate: 'learningRate must be greater than 0 (got -0.1)' });
    expect(configMessages({ entCoef: -1 })).toEqual({ entCoef: 'entCoef must be at least 0 (got -1)' });
    expect(configMessages({ totalTimesteps: 0 })).toEqual({ totalTimesteps: 'totalTimesteps must be greater than 0 and at most 1,000,000,000 (got 0)' });
    expect(configMessages({ nEnvs: 2.5 })).toEqual({ nEnvs: 'nEnvs must be a whole number (got 2.5)' });
    expect(configMessages({ objective: 'clipped' })).toEqual({ objective: 'objective must be one of clip, kl-adaptive, kl-fixed, clip+kl, none (got "clipped")' });
    expect(configMessages({ normalizeObs: 'yes' })).toEqual({ normalizeObs: 'normalizeObs must be true or false (got "yes")' });
    const a2c = safeParseTrainConfig({ algorithm: 'a2c', rmsPropAlpha: 1 });
    expect(a2c.ok ? [] : a2c.issues.map((i) => i.message)).toEqual(['rmsPropAlpha must be at least 0 and less than 1 (got 1)']);
    const trpo = safeParseTrainConfig({ algorithm: 'trpo', lineSearchShrinkingFactor: 0 });
    expect(trpo.ok ? [] : trpo.issues.map((i) => i.message)).toEqual(['lineSearchShrinkingFactor must be greater than 0 and less than 1 (got 0)']);
    // Never the validator's own wording.
    for (const message of Object.values(configMessages({ gamma: 2, clipRange: 0, nSteps: -3, batchSize: 'x' }))) {
      expect(message).not.toMatch(/Too (big|small)|expected number|Invalid (input|option)|<=|>=/);
    }
  });

  it('reads a schema’s bounds, nullable and whole-number schemas included', () => {
    expect(numberBounds(z.number().min(0).max(1))).toEqual({ integer: false, min: { value: 0, inclusive: true }, max: { value: 1, inclusive: true } });
    expect(numberBounds(z.number().int().positive().nullable())).toEqual({ integer: true, min: { value: 0, inclusive: false } });
    expect(numberBounds(z.string())).toBeNull();
    expect(rangeText({ min: { value: 0, inclusive: false }, max: { value: 1, inclusive: true } })).toBe('greater than 0 and at most 1');
    expect(rangeText({})).toBe('');
    expect(subjectOf(['grid', 'clipRange', 1])).toBe('grid.clipRange value 2');
  });

  it('keeps messages a schema’s author wrote, and words the validator’s for API requests', () => {
    const schema = z.object({ ids: z.array(z.number()).min(1, 'select at least one run'), n: z.number().int().max(10) });
    const issues = schema.safeParse({ ids: [], n: 11 }, { error: domainErrors() }).error!.issues;
    expect(issues.map((i) => i.message)).toEqual(['select at least one run', 'n must be at most 10 (got 11)']);
    // As the API service validates requests (src/backend/api/service.ts).
    const request = requestSchemas['sweeps.preview'].safeParse({ name: 'x', env: 'CartPole-v1', preset: 'zoo', seeds: [-1], samples: 0 }, { error: domainErrors() });
    expect(issuesOf(request.error!)).toEqual([
      { path: 'samples', message: 'samples must be greater than 0 (got 0)' },
      { path: 'seeds.0', message: 'seeds value 1 must be at least 0 (got -1)' },
    ]);
    expect(issuesOf(requestSchemas['runs.get'].safeParse({}, { error: domainErrors() }).error!)).toEqual([
      { path: 'runId', message: 'runId is missing', coded: { code: 'missing', params: { field: 'runId' } } },
    ]);
  });

  it('gives each worded issue a code whose English text is its message, the value given and list items included', () => {
    const gamma = safeParseTrainConfig({ algorithm: 'ppo', gamma: 1.5 });
    expect(gamma.ok ? null : gamma.issues).toEqual([
      { path: ['gamma'], message: 'gamma must be between 0 and 1 (got 1.5)', coded: { code: 'range', params: { field: 'gamma', bounds: { code: 'between', params: { min: 0, max: 1 } }, got: 1.5 } } },
    ]);
    const many = safeParseTrainConfig({ algorithm: 'ppo', totalTimesteps: 0, nEnvs: 2.5, objective: 'clipped', normalizeObs: 'yes', piLayers: [64, 0], vfLayers: [] });
    expect(many.ok).toBe(false);
    for (const issue of many.ok ? [] : many.issues) {
      expect(issue.coded, issue.message).toBeDefined();
      expect(englishText(issue.coded!)).toBe(issue.message);
    }
    const trpo = safeParseTrainConfig({ algorithm: 'trpo', groupSize: 8, bogus: 1 });
    expect(trpo.ok ? [] : trpo.issues.map((i) => i.coded?.code)).toEqual(['belongsTo', 'unknownConfigFields']);
    // As the API service validates requests: the subject of a list item is a phrase of its own.
    const request = requestSchemas['sweeps.preview'].safeParse({ name: 'x', env: 'CartPole-v1', preset: 'zoo', seeds: [-1], samples: 1 }, { error: domainErrors(), reportInput: true });
    expect(issuesOf(request.error!)).toEqual([
      {
        path: 'seeds.0',
        message: 'seeds value 1 must be at least 0 (got -1)',
        coded: { code: 'range', params: { field: { code: 'item', params: { field: 'seeds', n: 1 } }, bounds: { code: 'atLeast', params: { min: 0 } }, got: -1 } },
      },
    ]);
    // A schema author's own message has no code (its words are not the code's).
    const custom = z.object({ ids: z.array(z.number()).min(1, 'select at least one run') }).safeParse({ ids: [] }, { error: domainErrors(), reportInput: true });
    expect(issuesOf(custom.error!)).toEqual([{ path: 'ids', message: 'select at least one run' }]);
  });

  it('formats the plural and nested parts of the English messages', () => {
    expect(formatMessage('unknown {count, plural, one {field} other {fields}} {keys}', { count: '2', keys: 'a, b' })).toBe('unknown fields a, b');
    expect(formatMessage('at least {limit, plural, one {# value} other {# values}}', { limit: '1' })).toBe('at least 1 value');
    expect(englishText({ code: 'range', params: { field: 'lr', bounds: { code: 'atMost', params: { max: 1e-8 } }, got: 10_000_000, trial: 'seed=1' } })).toBe(
      'lr must be at most 1e-8 (got 10,000,000) (trial seed=1)',
    );
  });
});
