/**
 * Chart.js with what the Hyperparameters view draws on top of the workbench's line charts: chartjs-chart-pcp's
 * parallel coordinates (its linear and logarithmic axes) and scatter plots.
 */
import { ScatterController, type Chart } from 'chart.js';
import { LinearAxis, LineSegment, LogarithmicAxis, LogarithmicParallelCoordinatesController, ParallelCoordinatesController, PCPScale } from 'chartjs-chart-pcp';
import { registerCharts } from '../charts/setup';

let registered = false;

export function registerHparamCharts(): typeof Chart {
  const ChartClass = registerCharts();
  if (!registered) {
    ChartClass.register(ScatterController, ParallelCoordinatesController, LogarithmicParallelCoordinatesController, PCPScale, LineSegment);
    // The axes are scales drawn as elements: registered as elements, as chartjs-chart-pcp's README says.
    ChartClass.registry.addElements(LinearAxis, LogarithmicAxis);
    registered = true;
  }
  return ChartClass;
}
