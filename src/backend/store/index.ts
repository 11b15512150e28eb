/** The experiment store: the repository interface, its SQLite implementation, and sweep-spec files. */
export * from './types';
export { openStore, defaultDbPath } from './open-store';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store';
export { loadSweepSpecFile, SweepSpecFileError } from './spec-file';
export { SCHEMA_VERSION, APPLICATION_ID } from './schema';
