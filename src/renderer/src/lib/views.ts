/** The workbench's views, in tab order (a leaf module: state, shortcuts and the header all name them). */
export type View = 'runs' | 'new-sweep' | 'compare' | 'summary' | 'hparams' | 'detail' | 'replay' | 'learn' | 'about';

/** Each view with the catalog key of its tab's label. */
export const VIEWS: { id: View; labelKey: string }[] = [
  { id: 'runs', labelKey: 'view.runs' },
  { id: 'new-sweep', labelKey: 'view.newSweep' },
  { id: 'compare', labelKey: 'view.compare' },
  { id: 'summary', labelKey: 'view.summary' },
  { id: 'hparams', labelKey: 'view.hparams' },
  { id: 'detail', labelKey: 'view.detail' },
  { id: 'replay', labelKey: 'view.replay' },
  { id: 'learn', labelKey: 'view.learn' },
  { id: 'about', labelKey: 'view.about' },
];
