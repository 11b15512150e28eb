/**
 * Hyperparameters in queryable form: the resolved config flattened to `key → scalar` rows of `run_params`.
 * Encoding in (num_value, text_value): number → (n, NULL); string → (NULL, s); boolean → (0|1, 'false'|'true');
 * null → (NULL, NULL). Booleans thus compare numerically (`normalizeObs=1`) and as text (`normalizeObs=true`).
 */
import type { ParamValue } from '../../core/runs/run-query';

/** Flattens nested plain objects with dots; arrays and other non-scalars become JSON text. */
export function flattenParams(config: Record<string, unknown>, prefix = '', out: Record<string, ParamValue> = {}): Record<string, ParamValue> {
  for (const [key, value] of Object.entries(config)) {
    const name = prefix + key;
    if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
      out[name] = value;
    } else if (value !== undefined && typeof value === 'object' && !Array.isArray(value)) {
      flattenParams(value as Record<string, unknown>, `${name}.`, out);
    } else if (value !== undefined) {
      out[name] = JSON.stringify(value);
    }
  }
  return out;
}

export function encodeParam(value: ParamValue): [number | null, string | null] {
  if (typeof value === 'boolean') return [value ? 1 : 0, value ? 'true' : 'false'];
  if (typeof value === 'number') return [value, null];
  if (typeof value === 'string') return [null, value];
  return [null, null];
}

export function decodeParam(num: number | null, text: string | null): ParamValue {
  if (num !== null && text !== null) return text === 'true';
  if (num !== null) return num;
  return text;
}
