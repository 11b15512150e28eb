/**
 * Metric points in PostgreSQL's binary COPY format (the manual's "COPY … Binary Format"), for
 * `COPY metrics (run_id, key_id, step, seq, value, wall_time) FROM STDIN (FORMAT binary)`: the 19-byte header
 * (signature, flags 0, no extension), per row a field count and each field as a length and its big-endian bytes
 * (int4, int4, int8, int4, float8, float8; length -1 for NULL), and the -1 trailer. Binary rather than text: the
 * client writes doubles as 8 bytes instead of their shortest decimal form, and the server reads them without
 * float8in's parsing.
 */

/** Columns of one batch, one entry per point. `values` and `wallTimes` hold null for NULL (NaN is stored as NULL). */
export interface MetricColumns {
  runIds: number[];
  keyIds: number[];
  steps: number[];
  seqs: number[];
  values: (number | null)[];
  wallTimes: (number | null)[];
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_BYTES = SIGNATURE.length + 8;
/** Field count, then (length, bytes) for int4, int4, int8, int4, float8, float8. */
const ROW_BYTES = 2 + (4 + 4) * 3 + (4 + 8) * 3;
const INT4_MAX = 2 ** 31 - 1;
const INT4_MIN = -(2 ** 31);
const TWO_32 = 2 ** 32;

const isInt4 = (n: number): boolean => Number.isInteger(n) && n >= INT4_MIN && n <= INT4_MAX;

/**
 * Whether every point fits the binary columns exactly: run, key and seq ids as int4, steps as safe integers (int8).
 * A batch that does not is written through the text path, whose casts reject it with the server's error as before.
 */
export function fitsBinaryCopy(columns: MetricColumns): boolean {
  const { runIds, keyIds, steps, seqs } = columns;
  for (let i = 0; i < steps.length; i++) {
    if (!isInt4(runIds[i]) || !isInt4(keyIds[i]) || !isInt4(seqs[i]) || !Number.isSafeInteger(steps[i])) return false;
  }
  return true;
}

/** The whole COPY payload (header, rows, trailer) of `columns`; call fitsBinaryCopy first. */
export function encodeMetricsCopy(columns: MetricColumns): Buffer {
  const { runIds, keyIds, steps, seqs, values, wallTimes } = columns;
  const n = steps.length;
  const buf = Buffer.allocUnsafe(HEADER_BYTES + n * ROW_BYTES + 2);
  SIGNATURE.copy(buf, 0);
  buf.writeInt32BE(0, SIGNATURE.length);
  buf.writeInt32BE(0, SIGNATURE.length + 4);
  let o = HEADER_BYTES;
  const int4 = (v: number): void => {
    buf.writeInt32BE(4, o);
    buf.writeInt32BE(v, o + 4);
    o += 8;
  };
  const float8 = (v: number | null): void => {
    if (v === null) {
      buf.writeInt32BE(-1, o);
      o += 4;
      return;
    }
    buf.writeInt32BE(8, o);
    buf.writeDoubleBE(v, o + 4);
    o += 12;
  };
  for (let i = 0; i < n; i++) {
    buf.writeInt16BE(6, o);
    o += 2;
    int4(runIds[i]);
    int4(keyIds[i]);
    // int8 as two 32-bit halves (exact for safe integers, negative ones included).
    const step = steps[i];
    const high = Math.floor(step / TWO_32);
    buf.writeInt32BE(8, o);
    buf.writeInt32BE(high, o + 4);
    buf.writeUInt32BE(step - high * TWO_32, o + 8);
    o += 12;
    int4(seqs[i]);
    float8(values[i]);
    float8(wallTimes[i]);
  }
  buf.writeInt16BE(-1, o);
  o += 2;
  return buf.subarray(0, o);
}
