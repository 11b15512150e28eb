/** The experiment store: the repository interface, its SQLite and PostgreSQL implementations, and sweep-spec files. */
export * from './types';
export { openStore, defaultDbPath } from './open-store';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store';
export { PostgresStore, type PostgresStoreOptions } from './postgres-store';
export { isPostgresUrl, maskSecrets, maskUrl } from './store-url';
export { loadSweepSpecFile, SweepSpecFileError } from './spec-file';
export { SCHEMA_VERSION, APPLICATION_ID } from './schema';
