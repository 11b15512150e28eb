/**
 * Which Learn figure is open, shared by the Learn view and the links to it from other views (`openLearn`).
 */
import { workbench } from '../state/workbench.svelte';
import type { LearnFigure } from './figures';

class LearnNavigation {
  figure = $state<LearnFigure>('clip');
}

export const learnNavigation = new LearnNavigation();

/** Opens the Learn view on `figure` (a chart's "Learn: …" link). */
export function openLearn(figure: LearnFigure): void {
  learnNavigation.figure = figure;
  workbench.view = 'learn';
}
