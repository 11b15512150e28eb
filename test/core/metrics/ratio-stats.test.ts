import { describe, expect, it } from 'vitest';
import {
  epochRatioStats,
  isDistributionKey,
  LEARN_METRIC,
  LEARN_METRIC_MEANINGS,
  RatioRecorder,
  ratioBin,
  ratioBinRange,
  ratioHistogram,
  RATIO_HISTOGRAM_SIZE,
} from '../../../src/core/metrics/ratio-stats';
import { METRIC } from '../../../src/core/metrics/keys';

const f32 = (xs: number[]): Float32Array => Float32Array.from(xs);

describe('ratio histogram', () => {
  it('puts r < 0.5 in bin 0, [0.5, 1.5) in 32 equal bins, r ≥ 1.5 in bin 33', () => {
    expect(RATIO_HISTOGRAM_SIZE).toBe(34);
    expect(ratioBin(0.1)).toBe(0);
    expect(ratioBin(0.4999)).toBe(0);
    expect(ratioBin(0.5)).toBe(1);
    expect(ratioBin(0.53125)).toBe(2); // 0.5 + 1/32: the second bin's lower edge
    expect(ratioBin(1)).toBe(17); // (1 − 0.5)·32 = 16 bins below it
    expect(ratioBin(1.4999999)).toBe(32);
    expect(ratioBin(1.5)).toBe(33);
    expect(ratioBin(40)).toBe(33);
    expect(ratioBin(NaN)).toBe(-1);
    expect(ratioBinRange(0)).toEqual([-Infinity, 0.5]);
    expect(ratioBinRange(17)).toEqual([1, 1.03125]);
    expect(ratioBinRange(33)).toEqual([1.5, Infinity]);
  });

  it('holds fractions that sum to 1, NaN ratios counting in no bin', () => {
    const h = ratioHistogram(f32([0.2, 1, 1, 1.01, 2]));
    expect(Array.from(h.entries()).filter(([, v]) => v > 0)).toEqual([[0, 0.2], [17, 0.6], [33, 0.2]]);
    expect(h.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const withNaN = ratioHistogram(f32([1, NaN]));
    expect(withNaN[17]).toBe(0.5);
    expect(withNaN.reduce((a, b) => a + b, 0)).toBe(0.5);
  });
});

describe('epoch ratio statistics', () => {
  it('quantiles by linear interpolation between order statistics (numpy default), hand-worked', () => {
    // Sorted 0.5, 0.75, 1, 1.25, 1.5; position p·(n − 1) = 4p: q05 at 0.2 → 0.5 + 0.2·0.25, q95 at 3.8 → 1.25 + 0.8·0.25.
    const s = epochRatioStats(f32([1, 1.5, 0.5, 1.25, 0.75]), 0.2);
    expect(s.quantiles[0]).toBeCloseTo(0.55, 12);
    expect(s.quantiles.slice(1, 4)).toEqual([0.75, 1, 1.25]);
    expect(s.quantiles[4]).toBeCloseTo(1.45, 12);
    // np.quantile([0.5, 1, 1.5, 2], 0.25) = 0.875 (position 0.75), median 1.25.
    const even = epochRatioStats(f32([2, 0.5, 1.5, 1]), 0.2);
    expect(even.quantiles[1]).toBe(0.875);
    expect(even.quantiles[2]).toBe(1.25);
    expect(even.samples).toBe(4);
  });

  it('does not reorder its input', () => {
    const ratios = f32([3, 1, 2]);
    epochRatioStats(ratios, 0.2);
    expect(Array.from(ratios)).toEqual([3, 1, 2]);
  });

  it('k3 KL and the clip fraction', () => {
    const s = epochRatioStats(f32([1, 2]), 0.2);
    expect(s.approxKl).toBeCloseTo((2 - 1 - Math.log(2)) / 2, 12); // k3(1) = 0
    expect(epochRatioStats(f32([1, 1.1, 1.3, 0.7, 0.9]), 0.2).clipFraction).toBe(0.4);
    expect(epochRatioStats(f32([1, 1.1, 1.3, 0.7, 0.9]), 0.05).clipFraction).toBe(0.8);
  });

  it('is NaN for an empty epoch', () => {
    const s = epochRatioStats(new Float32Array(0), 0.2);
    expect(s.quantiles.every(Number.isNaN)).toBe(true);
    expect(s.approxKl).toBeNaN();
  });
});

describe('RatioRecorder', () => {
  it('one point per epoch under each learn/epoch_* key and the last epoch’s histogram', () => {
    const rec = new RatioRecorder(4, 0.2);
    rec.add([1, 1]);
    rec.add([1, 1]);
    rec.endEpoch();
    rec.add(new Float64Array([0.4, 1, 1.6, 99]), 3); // a minibatch array longer than its rows
    rec.endEpoch();
    expect(rec.epochCount).toBe(2);
    const m = rec.metrics();
    expect(m[LEARN_METRIC.epochRatioQ50]).toEqual([1, 1]);
    expect(m[LEARN_METRIC.epochApproxKl]![0]).toBe(0);
    expect(m[LEARN_METRIC.epochClipFraction]).toEqual([0, 2 / 3]);
    const hist = m[LEARN_METRIC.ratioHist]!;
    expect(hist).toHaveLength(34);
    expect([hist[0], hist[17], hist[33]]).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(Object.keys(m).sort()).toEqual(Object.keys(LEARN_METRIC_MEANINGS).sort());
  });

  it('refuses more ratios than an epoch holds', () => {
    const rec = new RatioRecorder(2, 0.2);
    expect(() => rec.add([1, 1, 1])).toThrow(RangeError);
  });
});

describe('isDistributionKey', () => {
  it('marks the histogram and the per-epoch keys, and no ordinary metric', () => {
    for (const key of Object.values(LEARN_METRIC)) expect(isDistributionKey(key)).toBe(true);
    expect(isDistributionKey('learn/epoch_anything_later')).toBe(true);
    for (const key of Object.values(METRIC)) expect(isDistributionKey(key)).toBe(false);
  });
});
