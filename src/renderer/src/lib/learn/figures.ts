/** The Learn view's figures, in the order the study notes explain the ideas (a leaf module: the view and links name them). */
export const LEARN_FIGURES = ['clip', 'epochs', 'beta', 'gae', 'temperature', 'trust'] as const;
export type LearnFigure = (typeof LEARN_FIGURES)[number];

/** Catalog key of each figure's title. */
export const figureTitleKey = (figure: LearnFigure): string => `learn.figure.${figure}`;

/**
 * The figure that explains a metric, for the "Learn: …" link on its chart (Compare): the home of that mapping.
 * Metrics no figure explains are absent.
 */
export const FIGURE_OF_METRIC: Readonly<Record<string, LearnFigure>> = Object.freeze({
  'train/clip_fraction': 'clip',
  'train/clip_range': 'clip',
  'train/ratio_mean': 'clip',
  'train/ratio_max': 'epochs',
  'train/approx_kl': 'epochs',
  'train/approx_kl_k1': 'epochs',
  'train/epochs_done': 'epochs',
  'train/beta': 'beta',
  'train/kl_after_update': 'beta',
  'train/kl_divergence_loss': 'trust',
  'train/kl_target': 'trust',
  'train/step_fraction': 'trust',
  'train/line_search_steps': 'trust',
  'train/is_line_search_success': 'trust',
});

/** The figure explaining `metric`, or null. */
export function learnFigureOf(metric: string): LearnFigure | null {
  return Object.hasOwn(FIGURE_OF_METRIC, metric) ? FIGURE_OF_METRIC[metric]! : null;
}
