/**
 * TensorBoard's scalar smoothing: a debiased exponential moving average
 * (tensorboard/plugins/scalar/vz_line_chart2/line-chart.ts `resmoothDataset`).
 *
 * last ← last·w + (1−w)·y, shown as last / (1 − w^k) after k finite values, so the start is not pulled to 0.
 * Non-finite values pass through unsmoothed and do not advance the average; a constant series is returned as is.
 */
export function debiasedEma(ys: ArrayLike<number>, weight: number): Float64Array {
  if (!(weight >= 0 && weight <= 1)) throw new Error(`smoothing weight must be in [0, 1], got ${weight}`);
  const out = new Float64Array(ys.length);
  let constant = true;
  for (let i = 1; i < ys.length; i++) {
    if (ys[i] !== ys[0]) {
      constant = false;
      break;
    }
  }
  let last = 0;
  let numAccum = 0;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (constant || !Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    last = last * weight + (1 - weight) * y;
    numAccum++;
    const debias = weight === 1 ? 1 : 1 - Math.pow(weight, numAccum);
    out[i] = last / debias;
  }
  return out;
}
