/** The workbench's views, in tab order (a leaf module: state, shortcuts and the header all name them). */
export type View = 'runs' | 'new-sweep' | 'compare' | 'summary' | 'hparams' | 'detail' | 'replay' | 'about';

export const VIEWS: { id: View; label: string }[] = [
  { id: 'runs', label: 'Runs' },
  { id: 'new-sweep', label: 'New sweep' },
  { id: 'compare', label: 'Compare' },
  { id: 'summary', label: 'Summary' },
  { id: 'hparams', label: 'Hyperparameters' },
  { id: 'detail', label: 'Run detail' },
  { id: 'replay', label: 'Replay' },
  { id: 'about', label: 'About' },
];
