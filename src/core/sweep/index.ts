export * from './spec';
export * from './expand';
export * from './templates';
