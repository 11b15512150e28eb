/** The Learn view's figures, in the order the study notes explain the ideas (a leaf module: the view and links name them). */
export const LEARN_FIGURES = ['clip', 'epochs', 'beta', 'gae', 'temperature', 'trust'] as const;
export type LearnFigure = (typeof LEARN_FIGURES)[number];

/** Catalog key of each figure's title. */
export const figureTitleKey = (figure: LearnFigure): string => `learn.figure.${figure}`;
