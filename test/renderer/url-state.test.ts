import { describe, expect, it } from 'vitest';
import { decodeState, encodeState, MAX_SMOOTHING, navigationKey, readForm, type LinkState } from '../../src/renderer/src/lib/url-state';

type View = 'runs' | 'new-sweep' | 'compare' | 'detail';
const VIEWS: View[] = ['runs', 'new-sweep', 'compare', 'detail'];

const defaults: LinkState<View> = {
  view: 'runs',
  selection: [],
  sweepId: null,
  detailRunId: null,
  replayRunId: null,
  compare: {
    metrics: ['eval/mean_return', 'rollout/ep_return_mean'],
    groupBy: null,
    x: 'step',
    smoothing: 0.6,
    band: 'std',
    logY: false,
    showRuns: false,
    hidden: [],
    xRange: null,
  },
  learn: { figure: 'clip', runs: {}, steps: {}, recording: null },
  form: { name: '', env: '', algorithms: ['ppo'], preset: '', seeds: '0, 1, 2', samples: '8', fields: {} },
};

const changed: LinkState<View> = {
  view: 'compare',
  selection: [4, 12, 7],
  sweepId: 3,
  detailRunId: 12,
  replayRunId: 7,
  compare: {
    metrics: ['train/approx_kl', 'eval/mean_return'],
    groupBy: ['objective', 'entCoef'],
    x: 'wall',
    smoothing: 0.85,
    band: 'ci95',
    logY: true,
    showRuns: true,
    hidden: ['objective=clip, entCoef=0.01', 'a&b=c #1 100%'],
    xRange: { min: 1024.5, max: 1e6 },
  },
  learn: { figure: 'trust', runs: { clip: 4, trpo: 9, ppo: 4 }, steps: { clip: 8192 }, recording: 3 },
  form: {
    name: 'clip vs KL ü',
    env: 'CartPole-v1',
    algorithms: ['ppo', 'a2c'],
    preset: 'zoo',
    seeds: '0-4',
    samples: '8',
    fields: {
      objective: { mode: 'grid', text: 'clip, kl-adaptive', low: '', high: '', log: false },
      learningRate: { mode: 'random', text: '', low: '1e-5', high: '1e-3', log: true },
    },
  },
};

const decode = (hash: string) => decodeState(hash, defaults, VIEWS);

describe('URL state codec', () => {
  it('round-trips every field, the form only when asked for', () => {
    expect(decode(encodeState(changed, defaults, true))).toEqual(changed);
    expect(decode(`#${encodeState(changed, defaults, false)}`)).toEqual({ ...changed, form: null });
  });

  it('writes only what differs from the defaults, and keeps metric keys readable', () => {
    expect(encodeState(defaults, defaults, true)).toBe('view=runs');
    const hash = encodeState({ ...defaults, view: 'compare', selection: [1, 2], compare: { ...defaults.compare, metrics: ['train/approx_kl'], smoothing: 0.9 } }, defaults, false);
    expect(hash).toBe('view=compare&runs=1,2&metric=train/approx_kl&smooth=0.9');
  });

  it("keeps the Learn view's figure, picked runs and updates, and recording; drops unknown slots and bad ids", () => {
    const learn = { figure: 'epochs', runs: { epochs: 2, beta: 5 }, steps: { epochs: 4096 }, recording: 7 } as const;
    const hash = encodeState({ ...defaults, view: 'runs', learn }, defaults, false);
    expect(hash).toBe('view=runs&fig=epochs&lruns=epochs:2,beta:5&lsteps=epochs:4096&lrec=7');
    expect(decode(hash).learn).toEqual(learn);
    expect(decode('fig=nope&lruns=clip:0,gae:3,trpo:x,ppo:8&lsteps=beta:10,clip:-1,epochs:256&lrec=-2').learn).toEqual({
      figure: 'clip',
      runs: { ppo: 8 },
      steps: { epochs: 256 },
      recording: null,
    });
  });

  it('tells an empty list from an absent one', () => {
    const empty: LinkState<View> = { ...defaults, compare: { ...defaults.compare, metrics: [], groupBy: [] } };
    const hash = encodeState(empty, defaults, false);
    expect(hash).toBe('view=runs&metric=&group=');
    expect(decode(hash).compare).toMatchObject({ metrics: [], groupBy: [] });
    expect(decode('view=runs').compare).toMatchObject({ metrics: defaults.compare.metrics, groupBy: null });
  });

  it('falls back field by field on corrupt values and keeps the rest', () => {
    const state = decode('view=nope&runs=3,-1,abc,3,0,2.5,,7&sweep=-2&run=NaN&replay=5&smooth=NaN&x=epoch&band=ci95&logy=maybe&seeds=1&zoom=5,1&metric=eval/mean_return&metric=');
    expect(state.view).toBe('runs');
    expect(state.selection).toEqual([3, 7]);
    expect(state.sweepId).toBeNull();
    expect(state.detailRunId).toBeNull();
    expect(state.replayRunId).toBe(5);
    expect(state.compare).toEqual({ ...defaults.compare, metrics: ['eval/mean_return'], band: 'ci95', showRuns: true });
    expect(state.form).toBeNull();
  });

  it('rejects smoothing outside the slider, an empty number and an inverted or partial zoom', () => {
    for (const smooth of ['1.5', '-0.1', '', ' ', '0x1', 'Infinity', '1e400']) expect(decode(`smooth=${smooth}`).compare.smoothing).toBe(0.6);
    expect(decode(`smooth=${MAX_SMOOTHING}`).compare.smoothing).toBe(MAX_SMOOTHING);
    expect(decode('smooth=0').compare.smoothing).toBe(0);
    for (const zoom of ['5,1', '3,3', '1', '1,2,3', 'a,b', ',']) expect(decode(`zoom=${zoom}`).compare.xRange).toBeNull();
    expect(decode('zoom=-2.5,1e3').compare.xRange).toEqual({ min: -2.5, max: 1000 });
  });

  it('never throws on garbage, and what it returns is always usable', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const alphabet = 'view=compare&runs,sweep=run%E0%A4%A-1.5e9smooth#zoom=form={"[]}metric/hide+ \u0000ü';
    const samples = ['', '#', '&&&', '=', '%', '%zz=1', 'view', 'form=', 'form=null', 'form=[1]', 'form={"fields":5}', 'x'.repeat(100_000)];
    const pick = (text: string): string => text[Math.floor(random() * text.length)] ?? '';
    for (let i = 0; i < 300; i++) samples.push(Array.from({ length: Math.floor(random() * 80) }, () => pick(alphabet)).join(''));
    // A valid hash edited by hand: characters replaced, dropped or inserted.
    const valid = encodeState(changed, defaults, true);
    for (let i = 0; i < 300; i++) {
      const chars = [...valid];
      for (let edit = 0; edit < 1 + Math.floor(random() * 4); edit++) chars.splice(Math.floor(random() * chars.length), Math.floor(random() * 3), ...(random() < 0.5 ? [pick(alphabet)] : []));
      samples.push(chars.join(''));
    }
    for (const sample of samples) {
      const state = decode(sample);
      expect(VIEWS).toContain(state.view);
      expect(state.selection.every((id) => Number.isSafeInteger(id) && id > 0)).toBe(true);
      for (const id of [state.sweepId, state.detailRunId, state.replayRunId]) expect(id === null || (Number.isSafeInteger(id) && id > 0)).toBe(true);
      expect(state.compare.smoothing).toBeGreaterThanOrEqual(0);
      expect(state.compare.smoothing).toBeLessThanOrEqual(MAX_SMOOTHING);
      expect(['step', 'update', 'wall']).toContain(state.compare.x);
      expect(['std', 'ci95', 'minmax']).toContain(state.compare.band);
      if (state.compare.xRange) expect(state.compare.xRange.min).toBeLessThan(state.compare.xRange.max);
      if (state.form) expect(state.form.algorithms.length).toBeGreaterThan(0);
      // What was read writes back and reads again as the same state (a form equal to the default one is left out).
      const again = decode(encodeState({ ...state, form: state.form ?? defaults.form }, defaults, true));
      expect({ ...again, form: again.form ?? defaults.form }).toEqual({ ...state, form: state.form ?? defaults.form });
    }
  });

  it('reads a corrupt form field by field', () => {
    const form = readForm(
      {
        name: 'kept',
        env: 42,
        algorithms: ['sac', 'a2c', 'a2c'],
        seeds: 5,
        fields: { learningRate: { mode: 'value', text: '1e-3' }, broken: { mode: 'sometimes', text: 'x' }, other: 'nope' },
        extra: true,
      },
      defaults.form,
    );
    expect(form).toEqual({
      ...defaults.form,
      name: 'kept',
      algorithms: ['a2c'],
      fields: { learningRate: { mode: 'value', text: '1e-3', low: '', high: '', log: false } },
    });
    expect(readForm({ algorithms: ['sac'] }, defaults.form)?.algorithms).toEqual(['ppo']);
    for (const value of [null, 'form', 3, [defaults.form]]) expect(readForm(value, defaults.form)).toBeNull();
    expect(decode('form={not json').form).toBeNull();
  });

  it('carries nothing it does not know, such as a token', () => {
    const state = decode('token=secret&view=compare&x=update');
    expect(encodeState({ ...state, form: defaults.form }, defaults, true)).toBe('view=compare&x=update');
  });

  it('counts a change of view or of the run shown as navigation, and nothing else', () => {
    const base = navigationKey(changed);
    expect(navigationKey({ ...changed, view: 'detail' })).not.toBe(base);
    expect(navigationKey({ ...changed, detailRunId: 13 })).not.toBe(base);
    expect(navigationKey({ ...changed, replayRunId: null })).not.toBe(base);
    expect(navigationKey({ ...changed, selection: [1], compare: { ...changed.compare, smoothing: 0 } } as LinkState<View>)).toBe(base);
  });
});
