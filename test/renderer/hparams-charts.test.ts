import { describe, expect, it } from 'vitest';
import type { HparamAxis } from '../../src/core/api/contract';
import { axisTicks, canLog, drawnRows, pcpData, rampColor, scatterData } from '../../src/renderer/src/lib/hparams/charts';
import type { HparamRow } from '../../src/renderer/src/lib/hparams/rows';

const theme = { fg: '#1d2330', muted: '#5b6475', grid: '#d5dae3' };
const lr: HparamAxis = { name: 'learningRate', kind: 'number', values: [1e-4, 1e-3, 1e-2], log: true };
const objective: HparamAxis = { name: 'objective', kind: 'category', values: ['clip', 'kl-adaptive', null], log: false };

function row(id: number, learningRate: number, obj: string | null, final: number | null): HparamRow {
  return { id: `run:${id}`, label: `run ${id}`, group: `g${id}`, runIds: [id], params: { learningRate, objective: obj }, seed: 0, final, best: final, iqm: null };
}

const rows = [row(1, 1e-3, 'clip', 300), row(2, 1e-4, 'kl-adaptive', 100), row(3, 1e-2, null, null), row(4, 1e-2, 'clip', 500)];

describe('Hyperparameters charts', () => {
  it('ramps from blue through green to yellow', () => {
    expect(rampColor(0)).toBe('#414487');
    expect(rampColor(0.5)).toBe('#22a884');
    expect(rampColor(1)).toBe('#dde318');
    expect(rampColor(2)).toBe('#dde318');
    expect(rampColor(Number.NaN)).toBe('#414487');
  });

  it('draws the rows with a value, worst first, coloured by how good they are', () => {
    const drawn = drawnRows(rows, 'final', 'max', new Set(), theme);
    expect(drawn.rows.map((r) => r.runIds[0])).toEqual([2, 1, 4]);
    expect(drawn.values).toEqual([100, 300, 500]);
    expect(drawn.undrawn).toBe(1);
    expect(drawn.colors[2]).toBe('rgba(221, 227, 24, 0.85)'); // the best: the yellow end
    expect(drawn.colors[0]).toBe('rgba(65, 68, 135, 0.85)');
    // Lower is better: the lowest value is yellow and drawn last.
    const low = drawnRows(rows, 'final', 'min', new Set(), theme);
    expect(low.rows.map((r) => r.runIds[0])).toEqual([4, 1, 2]);
    expect(low.colors[2]).toBe('rgba(221, 227, 24, 0.85)');
  });

  it('fades the unselected rows and draws the selected ones wide and on top', () => {
    const drawn = drawnRows(rows, 'final', 'max', new Set([2]), theme);
    expect(drawn.rows.map((r) => r.runIds[0])).toEqual([1, 4, 2]);
    expect(drawn.widths).toEqual([1.5, 1.5, 3]);
    expect(drawn.colors.slice(0, 2)).toEqual(['rgba(91, 100, 117, 0.18)', 'rgba(91, 100, 117, 0.18)']);
    expect(drawn.colors[2]).toBe('#414487');
  });

  it('makes one pcp dataset per axis and one for the value, log where the axis says, categories by index', () => {
    const data = pcpData(rows, [lr, objective], { stat: 'final', goal: 'max', selection: new Set(), valueLabel: 'eval/mean_return · final', theme });
    expect(data.labels).toEqual(['run 2', 'run 1', 'run 4']);
    expect(data.datasets.map((d) => [d.type, d.label, d.data])).toEqual([
      ['hparamsLogPcp', 'learningRate', [1e-4, 1e-3, 1e-2]],
      ['hparamsPcp', 'objective', [1, 0, 0]],
      ['hparamsPcp', 'eval/mean_return · final', [100, 300, 500]],
    ]);
    const callback = axisTicks(objective, theme).callback as (v: number) => string;
    expect([0, 0.5, 1, 2, 3].map(callback)).toEqual(['clip', '', 'kl-adaptive', 'null', '']);
    // Every axis carries the same per-line styles (the segments ending on it take theirs from it).
    expect(data.datasets.every((d) => d.rowColors === data.drawn.colors && d.rowWidths === data.drawn.widths)).toBe(true);
  });

  it('labels a log axis at the powers of 10 and the tried values only, and a linear one as Chart.js does', () => {
    const tried: HparamAxis = { name: 'learningRate', kind: 'number', values: [1e-4, 3e-4, 2.5e-3], log: true };
    const callback = axisTicks(tried, theme).callback as (v: number) => string;
    // Chart.js's log ticks (1–9 × 10^k), with the floating-point noise its computation leaves.
    expect([1e-4, 2e-4, 3.0000000000000003e-4, 5e-4, 1e-3, 2e-3, 2.5e-3, 0.01].map(callback)).toEqual(['0.0001', '', '0.0003', '', '0.001', '', '0.0025', '0.01']);
    expect(axisTicks(tried, theme, false).callback).toBeUndefined();
  });

  it('scatters the value against one hyperparameter, on log x only where every value is positive', () => {
    const lrPoints = scatterData(rows, lr, { stat: 'final', goal: 'max', selection: new Set([4]), logX: true, theme });
    expect(lrPoints.points).toEqual([{ x: 1e-4, y: 100 }, { x: 1e-3, y: 300 }, { x: 1e-2, y: 500 }]);
    expect(lrPoints.radii).toEqual([4, 4, 6]);
    expect(lrPoints.logX).toBe(true);
    const byObjective = scatterData(rows, objective, { stat: 'final', goal: 'max', selection: new Set(), logX: true, theme });
    expect(byObjective.points.map((p) => p.x)).toEqual([1, 0, 0]);
    expect(byObjective.logX).toBe(false);
    expect(canLog({ name: 'entCoef', kind: 'number', values: [0, 0.01], log: false })).toBe(false);
  });
});
