/**
 * Chart.js with what the Hyperparameters view draws on top of the workbench's line charts: parallel coordinates
 * (chartjs-chart-pcp's axes and scale, with the per-line styling of ./pcp-lines.ts) and scatter plots.
 */
import { ScatterController, type Chart } from 'chart.js';
import { LinearAxis, LogarithmicAxis, PCPScale } from 'chartjs-chart-pcp';
import { registerCharts } from '../charts/setup';
import { RowLogPcpController, RowPcpController, RowSegment } from './pcp-lines';

let registered = false;

export function registerHparamCharts(): typeof Chart {
  const ChartClass = registerCharts();
  if (!registered) {
    ChartClass.register(ScatterController, RowPcpController, RowLogPcpController, PCPScale);
    // The axes are scales drawn as elements: registered as elements, as chartjs-chart-pcp's README says.
    ChartClass.registry.addElements(LinearAxis, LogarithmicAxis, RowSegment);
    registered = true;
  }
  return ChartClass;
}
