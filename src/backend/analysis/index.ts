/**
 * Analysis: everything computed from what an experiment store returns — grouping runs, per-run and aggregated
 * series (downsampling, smoothing, bootstrap bands), final-score summaries, hyperparameters against results, and exports (CSV, JSON bundles).
 * Pure functions over the `ExperimentStore` repository interface, so any store feeds them.
 */
export { ALL_RUNS, groupRuns, type RunGroup, type RunGrouping } from './grouping';
export { aggregateGroups, groupedSeries, readAxisSeries, readSeries, updateNumbers, type AggregatedGroupSeries, type AxisSeries, type AxisSeriesIndex, type AggregatedResult, type AggregatedSeriesQuery, type RunSeries, type SeriesQuery } from './series';
export { compareSeries, type CompareQuery } from './compare';
export { distributionAt } from './distribution';
export { summarize, type SummaryQuery } from './summary';
export { hparamsTable, type HparamsQuery } from './hparams';
export { runCsv, sweepCsv } from './csv';
export { BundleError, bundleSchema, exportBundle, importBundle, parseBundle, type BundleSelection, type ProximaBundle } from './bundle';
export { AnalysisError } from './errors';
