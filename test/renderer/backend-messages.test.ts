/**
 * The backend's own messages as the interface shows them: every code has a message in English and Chinese that takes
 * its values, the English through the catalog is the backend's `message` (which the CLI and the logs keep), and the
 * config's cross-field rules and limits, other-algorithm hints, the sweep checks, the API's not-found / conflict /
 * internal failures and the Summary's warnings each carry their code.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrials } from '../../src/backend/api/sweeps';
import { ApiFailure } from '../../src/backend/api/handlers';
import { ApiService } from '../../src/backend/api/service';
import { scoreWarnings, scoreWarningsCoded } from '../../src/backend/analysis/summary';
import { openStore } from '../../src/backend/store/open-store';
import { ApiCallError, type ApiError, type ApiIssue, type ApiResult, type SweepRequest } from '../../src/core/api/contract';
import { CORE_MESSAGE_KEYS } from '../../src/core/i18n/core-messages';
import { parseSweepSpec } from '../../src/core/sweep/spec';
import { safeParseTrainConfig } from '../../src/core/training/config';
import { CODED_MESSAGES, englishText, MESSAGE_CODES, type Coded } from '../../src/core/validation/coded-messages';
import { errorText } from '../../src/renderer/src/lib/api/errors';
import { CATALOGS } from '../../src/renderer/src/lib/i18n/catalogs';
import { codedText } from '../../src/renderer/src/lib/i18n/core-texts';
import type { Locale, Translate } from '../../src/renderer/src/lib/i18n/locales';
import { fakeTrainerLauncher } from '../support/fake-launcher';

/** A catalog's `t` as svelte-i18n formats (ICU, tags ignored); throws on a missing key rather than showing it. */
function translator(locale: Locale): Translate {
  return (key, values) => {
    const message = CATALOGS[locale][key];
    if (message === undefined) throw new Error(`${locale}: no message ${key}`);
    return String(new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }).format(values));
  };
}
const en = translator('en');
const zh = translator('zh-CN');
const han = /\p{Script=Han}/u;

/** The argument names of an ICU message, plural ones with their kind. */
function argumentsOf(elements: MessageFormatElement[], out = new Map<string, 'plural' | 'text'>()): Map<string, 'plural' | 'text'> {
  for (const e of elements) {
    if (e.type === TYPE.argument) out.set(e.value, out.get(e.value) ?? 'text');
    if (e.type === TYPE.plural) {
      out.set(e.value, 'plural');
      for (const option of Object.values(e.options)) argumentsOf(option.value, out);
    }
  }
  return out;
}

/** The config's issues, as the backend sends them. */
function configIssues(config: Record<string, unknown>): { message: string; coded?: Coded }[] {
  const result = safeParseTrainConfig(config);
  return result.ok ? [] : result.issues;
}

/** Each issue worded from its code: English as its message, Chinese in Han script with its values. */
function expectWorded(issue: { message: string; coded?: Coded }, code: string): string {
  expect(issue.coded?.code, issue.message).toBe(code);
  expect(codedText(issue.coded!, en)).toBe(issue.message);
  expect(englishText(issue.coded!)).toBe(issue.message);
  const chinese = codedText(issue.coded!, zh);
  expect(chinese).toMatch(han);
  expect(chinese).not.toMatch(/[{}]/);
  return chinese;
}

function rejectedIssues(request: SweepRequest): ApiIssue[] {
  try {
    resolveTrials(request);
  } catch (error) {
    if (error instanceof ApiFailure) return error.issues ?? [];
    throw error;
  }
  throw new Error('the sweep was accepted');
}

describe('backend message codes', () => {
  it('each take their values in English and Chinese (no placeholder left, every text value shown)', () => {
    // The `got` and `trial` wrappers are applied by `formatCoded` around a message (tested in core-messages.test.ts).
    for (const code of MESSAGE_CODES.filter((c) => c !== 'withGot' && c !== 'inTrial')) {
      const args = argumentsOf(parse(CODED_MESSAGES[code], { ignoreTag: true }));
      const params: Coded['params'] = {};
      for (const [name, kind] of args) params[name] = kind === 'plural' ? 2 : `‹${name}›`;
      const coded: Coded = { code, params };
      for (const [locale, t] of [['en', en], ['zh-CN', zh]] as const) {
        const text = codedText(coded, t);
        expect(text, `${locale} ${code}`).not.toMatch(/[{}]|undefined/);
        for (const [name, kind] of args) if (kind === 'text') expect(text, `${locale} ${code} shows ${name}`).toContain(`‹${name}›`);
        if (locale === 'zh-CN' && !/^(both|item)$/.test(code)) expect(text, code).toMatch(han);
      }
      // The English catalog formats as the backend words it.
      expect(codedText(coded, en), code).toBe(englishText(coded));
      expect(CATALOGS['zh-CN'][CORE_MESSAGE_KEYS.error(code)], code).toBeDefined();
    }
  });

  it('give the config’s cross-field rules, schema limits and other-algorithm hints, English unchanged', () => {
    const [divide] = configIssues({ algorithm: 'ppo', nSteps: 2048, nEnvs: 1, batchSize: 60 });
    expect(divide!.message).toBe('batchSize 60 does not divide nSteps × nEnvs = 2048');
    expect(expectWorded(divide!, 'batchSizeDivides')).toBe('batchSize 60 不能整除 nSteps × nEnvs = 2048');
    const [rollout] = configIssues({ algorithm: 'ppo', nSteps: 20_000, nEnvs: 1000, batchSize: 20_000 });
    expect(rollout!.message).toBe('nSteps × nEnvs = 20,000,000 transitions per rollout; at most 10,000,000');
    expectWorded(rollout!, 'rolloutLimit');

    const [width] = configIssues({ algorithm: 'ppo', piLayers: [64, 5000] });
    expect(width!.message).toBe('at most 4,096 units per layer');
    expect(expectWorded(width!, 'limitUnits')).toBe('每层至多 4,096 个单元');
    const [depth] = configIssues({ algorithm: 'ppo', piLayers: Array.from({ length: 17 }, () => 8) });
    expect(depth!.message).toBe('at most 16 layers');
    expectWorded(depth!, 'limitLayers');

    const [hinted] = configIssues({ algorithm: 'trpo', entCoef: 0.01 });
    expect(hinted!.message).toBe("belongs to PPO/A2C/REINFORCE/GRPO; this config's algorithm is TRPO (sb3-contrib TRPO has no entropy bonus)");
    expect(expectWorded(hinted!, 'belongsToHint')).toBe('属于 PPO/A2C/REINFORCE/GRPO；此配置的算法是 TRPO（sb3-contrib 的 TRPO 没有熵奖励（entropy bonus））');
    const [algorithm] = configIssues({ algorithm: 'sac' });
    expect(algorithm!.message).toBe('expected one of ppo, a2c, trpo, reinforce, grpo (got "sac")');
    expectWorded(algorithm!, 'unknownAlgorithm');
  });

  it('give the sweep spec’s and the sweeps API’s checks, a trial’s name kept', () => {
    const spec = parseSweepSpec({ name: 's', env: 'CartPole-v1', preset: 'zoo', seeds: [1, 1], colour: 'red' });
    expect(spec.ok).toBe(false);
    const specIssues = spec.ok ? [] : spec.issues;
    expect(specIssues.map((i) => [i.path, i.message])).toEqual([
      ['colour', 'unknown field'],
      ['seeds.1', 'duplicate seed 1'],
    ]);
    expect(expectWorded(specIssues[1]!, 'duplicateSeed')).toBe('种子 1 重复');
    const noSeeds = parseSweepSpec({ name: 's', env: 'CartPole-v1', preset: 'zoo', seeds: [] });
    expectWorded((noSeeds.ok ? [] : noSeeds.issues)[0]!, 'expectedSeeds');

    const base: SweepRequest = { name: 's', env: 'CartPole-v1', preset: 'zoo', seeds: [0] };
    const [unknown, instead] = rejectedIssues({ ...base, grid: { colour: [1, 2] }, overrides: { env_id: 'x' } });
    expect(unknown).toMatchObject({ path: 'grid.colour', message: 'unknown config field "colour"' });
    expect(expectWorded(unknown!, 'unknownConfigField')).toBe('未知的配置字段 "colour"');
    expect(instead).toMatchObject({ path: 'overrides.env_id', message: 'set env instead' });
    expectWorded(instead!, 'setInstead');
    const [env] = rejectedIssues({ ...base, env: 'Nope-v0' });
    expect(env!.message).toMatch(/^unknown environment; known: CartPole-v1, /);
    expect(expectWorded(env!, 'unknownEnv')).toMatch(/^未知环境；已知：CartPole-v1, /);
    const [trial] = rejectedIssues({ ...base, grid: { batchSize: [60] }, overrides: { nSteps: 2048, nEnvs: 1 } });
    expect(trial!.message).toBe('batchSize 60 does not divide nSteps × nEnvs = 2048 (trial batchSize=60)');
    expect(expectWorded(trial!, 'batchSizeDivides')).toBe('batchSize 60 不能整除 nSteps × nEnvs = 2048（试验 batchSize=60）');
  });

  it('give the Summary’s warnings, the English sentences unchanged', () => {
    const groups = [
      { key: 'objective=clip', runIds: [1, 2, 3], scores: [500, 500, 500] },
      { key: 'objective=kl-adaptive', runIds: [4, 5], scores: [500] },
    ];
    const coded = scoreWarningsCoded('eval/mean_return', groups);
    expect(coded.map(englishText)).toEqual(scoreWarnings('eval/mean_return', groups));
    expect(coded.map((c) => c.code)).toEqual(['allScoresEqual', 'tooFewScores', 'scoresMissing']);
    expect(codedText(coded[1]!, en)).toBe('objective=kl-adaptive has one score: too few for its IQM and interval to mean much — run at least 3 seeds.');
    expect(codedText(coded[1]!, zh)).toBe('objective=kl-adaptive 只有 1 个分数：太少，它的 IQM 和置信区间说明不了什么——至少运行 3 个种子。');
    expect(codedText(coded[2]!, zh)).toBe('5 个运行中有 1 个还没有最终的 eval/mean_return，已被略去。');
  });
});

describe('the API’s failures', () => {
  let service: ApiService;
  const fail = async (method: string, params: unknown): Promise<ApiError> => {
    const result = (await service.handle(method, params)) as ApiResult<unknown>;
    if (result.ok) throw new Error(`${method} succeeded`);
    return result.error;
  };

  beforeAll(async () => {
    const store = await openStore(join(mkdtempSync(join(tmpdir(), 'proxima-backend-messages-')), 'p.db'));
    service = new ApiService({ host: 'web', store, launcher: fakeTrainerLauncher(), concurrency: 1 });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('are coded (not found, unknown method), English unchanged, and errorText words them in the UI language', async () => {
    const missing = await fail('runs.get', { runId: 12345 });
    expect(missing).toMatchObject({ code: 'not-found', message: 'run 12345 does not exist', coded: { code: 'runNotFound', params: { runId: '12345' } } });
    expect(errorText(new ApiCallError(missing), zh)).toBe('运行 12345 不存在');
    expect(errorText(new ApiCallError(missing), en)).toBe('run 12345 does not exist');
    const cancel = await fail('sweeps.cancel', { sweepId: 7 });
    expect(cancel).toMatchObject({ code: 'not-found', message: 'sweep 7 does not exist', coded: { code: 'sweepNotFound' } });
    const method = await fail('runs.frobnicate', {});
    expect(method.message).toBe('unknown API method "runs.frobnicate"');
    expect(errorText(new ApiCallError(method), zh)).toBe('未知的 API 方法 "runs.frobnicate"');
  });

  it('word an unexpected error as a sentence of the UI language around its own text; a coded issue list by its issues', () => {
    const internal: ApiError = { code: 'internal', message: 'SQLITE_BUSY', coded: { code: 'internalError', params: { detail: 'SQLITE_BUSY' } } };
    expect(errorText(new ApiCallError(internal), zh)).toBe('后端出错：SQLITE_BUSY');
    const issues: ApiError = {
      code: 'bad-request',
      message: 'seeds.1: duplicate seed 1',
      issues: [{ path: 'seeds.1', message: 'duplicate seed 1', coded: { code: 'duplicateSeed', params: { seed: '1' } } }],
    };
    expect(errorText(new ApiCallError(issues), zh)).toBe('seeds.1: 种子 1 重复');
    // Without a code, the backend's own message.
    expect(errorText(new ApiCallError({ code: 'conflict', message: 'busy' }), zh)).toBe('busy');
  });
});
