/**
 * Sweep spec files for the CLI: JSON (`.json`) or YAML (`.yaml`, `.yml`; other extensions are tried as JSON, then
 * YAML). Errors say which file, where (line:column for syntax errors) and which field.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { parseSweepSpec, type SpecIssue, type SweepSpec } from '../../core/sweep/spec';

export class SweepSpecFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
    readonly issues: SpecIssue[] = [],
  ) {
    super(message);
    this.name = 'SweepSpecFileError';
  }
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SweepSpecFileError(path, `${path}: invalid JSON: ${(err as Error).message}`);
  }
}

function parseYaml(path: string, text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const where = first.linePos ? ` at line ${first.linePos[0].line}, column ${first.linePos[0].col}` : '';
    throw new SweepSpecFileError(path, `${path}: invalid YAML${where}: ${first.message.split('\n')[0]}`);
  }
  return doc.toJS();
}

/** Reads and validates a sweep spec file; throws SweepSpecFileError with the file name and field paths. */
export function loadSweepSpecFile(path: string): SweepSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SweepSpecFileError(path, `${path}: cannot read the sweep spec: ${(err as Error).message}`);
  }
  const ext = extname(path).toLowerCase();
  let data: unknown;
  if (ext === '.json') data = parseJson(path, text);
  else if (ext === '.yaml' || ext === '.yml') data = parseYaml(path, text);
  else {
    try {
      data = JSON.parse(text);
    } catch {
      data = parseYaml(path, text);
    }
  }
  const result = parseSweepSpec(data);
  if (!result.ok) {
    throw new SweepSpecFileError(path, `${path}: invalid sweep spec:\n${result.issues.map((i) => `  ${i.path || '(spec)'}: ${i.message}`).join('\n')}`, result.issues);
  }
  return result.spec;
}
