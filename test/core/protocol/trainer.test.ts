import { describe, expect, it } from 'vitest';
import { parseTrainerMessage } from '../../../src/core/protocol/trainer';

const update = { type: 'update', runId: 1, step: 256, metrics: { 'train/approx_kl': 0.01 } };

describe('the trainer’s update message', () => {
  it('carries seq-indexed distribution points, NaN included, or none', () => {
    const hist = Array.from({ length: 34 }, (_, i) => (i === 17 ? 1 : 0));
    const parsed = parseTrainerMessage({ ...update, distributions: { 'learn/ratio_hist': hist, 'learn/epoch_ratio_q50': [1, NaN] } });
    expect(parsed.ok && parsed.message.type === 'update' && parsed.message.distributions?.['learn/ratio_hist']).toEqual(hist);
    expect(parseTrainerMessage(update).ok).toBe(true);
  });

  it('refuses an ordinary key, a non-number or an over-long series among the distributions', () => {
    const bad = (distributions: unknown) => parseTrainerMessage({ ...update, distributions });
    const refused = bad({ 'train/approx_kl': [0.01] });
    expect(refused.ok ? '' : refused.error).toMatch(/key in record[\s\S]*distributions/);
    expect(bad({ 'learn/ratio_hist': ['x'] }).ok).toBe(false);
    expect(bad({ 'learn/ratio_hist': new Array(5_000).fill(0) }).ok).toBe(false);
  });
});
