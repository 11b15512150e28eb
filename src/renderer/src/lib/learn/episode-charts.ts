/**
 * Chart.js with what the Learn view's episode figures draw on top of the workbench's line charts: bars of a
 * categorical policy's action probabilities (the entropy and temperature figure).
 */
import { BarController, BarElement, CategoryScale, type Chart } from 'chart.js';
import { registerCharts } from '../charts/setup';

let registered = false;

export function registerEpisodeCharts(): typeof Chart {
  const ChartClass = registerCharts();
  if (!registered) {
    ChartClass.register(BarController, BarElement, CategoryScale);
    registered = true;
  }
  return ChartClass;
}
