import { describe, expect, it } from 'vitest';
import { createAdamState } from '../../../src/trainer/nn/adam';
import { rmspropStep } from '../../../src/trainer/nn/rmsprop';

describe('rmspropStep', () => {
  it('follows torch.optim.RMSprop (ε outside the square root) after clip_grad_norm_, over several steps', () => {
    // Hand-computed with v ← αv + (1 − α)g², θ ← θ − lr·g/(√v + ε), α 0.9, ε 1e-3, lr 0.01; the third step's
    // gradient (norm 5) is clipped to norm 0.1 first: g · 0.1/(5 + 1e-6).
    const params = Float32Array.from([1, -2, 0.5]);
    const state = createAdamState(3);
    const norms = [
      rmspropStep(params, [0.1, -0.2, 0], state, 0.01, 0.9, 1e-3, null),
      rmspropStep(params, [0.3, 0.1, -0.4], state, 0.01, 0.9, 1e-3, null),
    ];
    expect(Array.from(params)).toEqual([0.9394954505, -1.983399404, 0.5313747375].map((x) => expect.closeTo(x, 6)));
    expect(Array.from(state.v)).toEqual([0.0099, 0.0046, 0.016].map((x) => expect.closeTo(x, 8)));
    norms.push(rmspropStep(params, [3, 4, 0], state, 0.01, 0.9, 1e-3, 0.1));
    expect(Array.from(params)).toEqual([0.9333277418, -1.994805561, 0.5313747375].map((x) => expect.closeTo(x, 6)));
    expect(Array.from(state.v)).toEqual([0.00927, 0.00478, 0.0144].map((x) => expect.closeTo(x, 8)));
    // The returned norm is the one before clipping; the step count is kept; m (Adam's) stays untouched.
    expect(norms).toEqual([Math.sqrt(0.05), Math.sqrt(0.26), 5].map((x) => expect.closeTo(x, 12)));
    expect(state.t).toBe(3);
    expect(Array.from(state.m)).toEqual([0, 0, 0]);
  });

  it('first step moves each parameter by about lr/√(1 − α) against its gradient sign, not by lr·g', () => {
    const params = Float32Array.from([0, 0]);
    rmspropStep(params, [1e-2, -3], createAdamState(2), 7e-4, 0.99, 1e-5, null);
    // |g|/(√0.01·|g| + ε) ≈ 10 for |g| ≫ ε.
    expect(params[0]).toBeCloseTo((-7e-4 * 1e-2) / (0.1 * 1e-2 + 1e-5), 9);
    expect(params[1]).toBeCloseTo((7e-4 * 3) / (0.1 * 3 + 1e-5), 9);
  });
});
