import { describe, expect, it } from 'vitest';
import type { ReplayFrame } from '../../src/core/api/contract';
import { decisionFrames, densityCurve, frameDistribution, gaeCurves, gaeEpisode, tempered } from '../../src/renderer/src/lib/learn/episode';

const frame = (t: number, reward: number, value: number | null, end: Partial<ReplayFrame> = {}): ReplayFrame => ({
  t,
  state: [],
  observation: [],
  action: t === 0 ? null : 0,
  reward,
  return: 0,
  terminated: false,
  truncated: false,
  value,
  probs: value === null ? undefined : [0.25, 0.75],
  ...end,
});

describe('gaeEpisode', () => {
  it('reads r_t from frame t + 1 and V(s_t) from frame t, without a bootstrap after a terminal', () => {
    const frames = [frame(0, 0, 0.5), frame(1, 1, 0.5), frame(2, 1, 0.5), frame(3, 1, null, { terminated: true })];
    const episode = gaeEpisode(frames)!;
    expect(episode).toMatchObject({ rewards: [1, 1, 1], values: [0.5, 0.5, 0.5], terminated: true, bootstrapMissing: false });
    const curves = gaeCurves(episode, 0.9, 0.5);
    // Hand-worked in test/core/math/returns.test.ts: TD(0) 0.95, 0.95, 0.5; MC 2.21, 1.4, 0.5; λ = ½ 1.47875, 1.175, 0.5.
    [0.95, 0.95, 0.5].forEach((v, i) => expect(curves.td0[i]).toBeCloseTo(v, 5));
    [2.21, 1.4, 0.5].forEach((v, i) => expect(curves.monteCarlo[i]).toBeCloseTo(v, 5));
    [1.47875, 1.175, 0.5].forEach((v, i) => expect(curves.gae[i]).toBeCloseTo(v, 5));
  });

  it('bootstraps a truncated episode from its last frame, and says when that value is missing', () => {
    const truncated = [frame(0, 0, 0.5), frame(1, 1, 2, { truncated: true })];
    expect(gaeEpisode(truncated)).toMatchObject({ lastValue: 2, terminated: false, bootstrapMissing: false });
    expect(gaeEpisode([frame(0, 0, 0.5), frame(1, 1, null, { truncated: true })])).toMatchObject({ lastValue: 0, bootstrapMissing: true });
  });

  it('is null without steps or without V(s)', () => {
    expect(gaeEpisode([frame(0, 0, 0.5)])).toBeNull();
    expect(gaeEpisode([frame(0, 0, null), frame(1, 1, null, { terminated: true })])).toBeNull();
  });
});

describe('tempered distributions of a frame', () => {
  it('tempers the stored probabilities and gives their entropy', () => {
    const d = frameDistribution(frame(0, 0, 1))!;
    const half = tempered(d, 0.5);
    expect(half.kind).toBe('categorical');
    if (half.kind === 'categorical') [0.1, 0.9].forEach((p, i) => expect(half.probs[i]).toBeCloseTo(p, 12));
    expect(half.entropy).toBeCloseTo(-(0.1 * Math.log(0.1) + 0.9 * Math.log(0.9)), 12);
    expect(tempered(d, 0).entropy).toBe(0);
  });

  it('scales a Gaussian std by √T and draws its density on a fixed window', () => {
    const g = tempered({ kind: 'gaussian', mean: [0.5], std: [0.2] }, 4);
    expect(g.kind === 'gaussian' && g.std[0]).toBeCloseTo(0.4, 12);
    const curve = densityCurve(0.5, 0.4, 0.2, 4);
    expect(curve[0]!.x).toBeCloseTo(0.5 - 1.6, 12);
    expect(curve.at(-1)!.x).toBeCloseTo(0.5 + 1.6, 12);
    expect(Math.max(...curve.map((p) => p.y))).toBeCloseTo(1 / (0.4 * Math.sqrt(2 * Math.PI)), 12);
  });

  it('lists the frames the policy decided at', () => {
    expect(decisionFrames([frame(0, 0, 1), frame(1, 1, null, { terminated: true })])).toEqual([0]);
  });
});
