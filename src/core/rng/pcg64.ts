/**
 * numpy's PCG64 bit generator (numpy/random/src/pcg64: pcg_setseq_128_xsl_rr_64), exact to the bit, and the
 * `Generator.random()` double built on it. The 128-bit state and increment live in eight 16-bit limbs (least
 * significant first) so that every product fits a double exactly: no BigInt in the hot path.
 */
import { SeedSequence } from './seed-sequence';

// PCG_DEFAULT_MULTIPLIER_128 = 0x2360ED051FC65DA4_4385DF649FCCF645, in 16-bit limbs, least significant first.
const M0 = 0xf645;
const M1 = 0x9fcc;
const M2 = 0xdf64;
const M3 = 0x4385;
const M4 = 0x5da4;
const M5 = 0x1fc6;
const M6 = 0xed05;
const M7 = 0x2360;
const LIMB = 65536;
const INV_LIMB = 1 / 65536;
const TWO_POW_21 = 2097152;
const TWO_POW_MINUS_53 = 1 / 9007199254740992;

/** A 128-bit value as hex (for inspection and checkpoints). */
function limbsToHex(limbs: Float64Array): string {
  let hex = '';
  for (let i = 7; i >= 0; i--) hex += limbs[i].toString(16).padStart(4, '0');
  return hex;
}

function hexToLimbs(hex: string, out: Float64Array): void {
  if (!/^[0-9a-fA-F]{1,32}$/.test(hex)) throw new Error(`Not a 128-bit hex value: ${hex}`);
  const padded = hex.padStart(32, '0');
  for (let i = 0; i < 8; i++) out[7 - i] = parseInt(padded.slice(4 * i, 4 * i + 4), 16);
}

/** The serializable state of a `Pcg64Generator`: 128-bit state and increment as hex. */
export interface Pcg64State {
  state: string;
  inc: string;
}

export class Pcg64Generator {
  private readonly s = new Float64Array(8);
  private readonly inc = new Float64Array(8);
  /** Spare standard normal from the polar method (not part of numpy's stream). */
  private spareNormal: number | null = null;

  /**
   * numpy's `PCG64(seedSequence)`: `generate_state(4, uint64)` gives [initstate_hi, initstate_lo, initseq_hi,
   * initseq_lo]; then pcg_setseq_128_srandom_r.
   */
  constructor(seedSequence: SeedSequence) {
    const w = seedSequence.generateState(8);
    // uint64 k = w[2k] | w[2k+1] << 32; PCG_128BIT_CONSTANT(high, low) takes uint64 0 as the high half.
    const initState = new Uint32Array([
      w[2] & 0xffff, w[2] >>> 16, w[3] & 0xffff, w[3] >>> 16,
      w[0] & 0xffff, w[0] >>> 16, w[1] & 0xffff, w[1] >>> 16,
    ]);
    const initSeq = [
      w[6] & 0xffff, w[6] >>> 16, w[7] & 0xffff, w[7] >>> 16,
      w[4] & 0xffff, w[4] >>> 16, w[5] & 0xffff, w[5] >>> 16,
    ];
    // inc = (initseq << 1) | 1, modulo 2^128.
    let carry = 1;
    for (let i = 0; i < 8; i++) {
      const v = initSeq[i] * 2 + carry;
      this.inc[i] = v & 0xffff;
      carry = v >>> 16;
    }
    carry = 0;
    this.step();
    carry = 0;
    for (let i = 0; i < 8; i++) {
      const v = this.s[i] + initState[i] + carry;
      this.s[i] = v & 0xffff;
      carry = v >>> 16;
    }
    this.step();
  }

  /** `np.random.Generator(np.random.PCG64(seed))` for an integer seed, or for explicit entropy words. */
  static fromSeed(seed: number | readonly number[]): Pcg64Generator {
    return new Pcg64Generator(new SeedSequence(seed));
  }

  /** Advances the LCG: state = state * M + inc (mod 2^128). */
  private step(): void {
    const s = this.s;
    const inc = this.inc;
    const s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3], s4 = s[4], s5 = s[5], s6 = s[6], s7 = s[7];
    // Column sums of the limb products: each product < 2^32, each column < 2^35, exact in a double. Carries by
    // Math.floor (a rounding instruction), not `%`, which V8 compiles to a slow fmod call.
    let t = s0 * M0 + inc[0];
    let carry = Math.floor(t * INV_LIMB);
    s[0] = t - carry * LIMB;
    t = carry + s0 * M1 + s1 * M0 + inc[1];
    carry = Math.floor(t * INV_LIMB);
    s[1] = t - carry * LIMB;
    t = carry + s0 * M2 + s1 * M1 + s2 * M0 + inc[2];
    carry = Math.floor(t * INV_LIMB);
    s[2] = t - carry * LIMB;
    t = carry + s0 * M3 + s1 * M2 + s2 * M1 + s3 * M0 + inc[3];
    carry = Math.floor(t * INV_LIMB);
    s[3] = t - carry * LIMB;
    t = carry + s0 * M4 + s1 * M3 + s2 * M2 + s3 * M1 + s4 * M0 + inc[4];
    carry = Math.floor(t * INV_LIMB);
    s[4] = t - carry * LIMB;
    t = carry + s0 * M5 + s1 * M4 + s2 * M3 + s3 * M2 + s4 * M1 + s5 * M0 + inc[5];
    carry = Math.floor(t * INV_LIMB);
    s[5] = t - carry * LIMB;
    t = carry + s0 * M6 + s1 * M5 + s2 * M4 + s3 * M3 + s4 * M2 + s5 * M1 + s6 * M0 + inc[6];
    carry = Math.floor(t * INV_LIMB);
    s[6] = t - carry * LIMB;
    t = carry + s0 * M7 + s1 * M6 + s2 * M5 + s3 * M4 + s4 * M3 + s5 * M2 + s6 * M1 + s7 * M0 + inc[7];
    // Only the low 16 bits of the top column survive (mod 2^128); t < 2^36, so this floor is exact too.
    s[7] = t - Math.floor(t * INV_LIMB) * LIMB;
  }

  /** High word of the last output (set by `next64`). */
  private outHi = 0;
  /** Low word of the last output (set by `next64`). */
  private outLo = 0;

  /** One 64-bit output (XSL-RR of the stepped state) into outHi/outLo. */
  private next64(): void {
    this.step();
    const s = this.s;
    // xsl: high 64 bits xor low 64 bits; rr: rotate right by the top 6 bits of the state.
    let hi = (((s[7] ^ s[3]) << 16) | (s[6] ^ s[2])) >>> 0;
    let lo = (((s[5] ^ s[1]) << 16) | (s[4] ^ s[0])) >>> 0;
    let rot = s[7] >>> 10;
    if (rot >= 32) {
      const tmp = hi;
      hi = lo;
      lo = tmp;
      rot -= 32;
    }
    if (rot !== 0) {
      const newHi = ((hi >>> rot) | (lo << (32 - rot))) >>> 0;
      lo = ((lo >>> rot) | (hi << (32 - rot))) >>> 0;
      hi = newHi;
    }
    this.outHi = hi;
    this.outLo = lo;
  }

  /** The next raw 64-bit output as a BigInt (numpy's `bit_generator.random_raw()`). */
  nextUint64(): bigint {
    this.next64();
    return (BigInt(this.outHi) << 32n) | BigInt(this.outLo);
  }

  /** numpy `Generator.random()`: (next_uint64 >> 11) * 2^-53, a double in [0, 1). */
  random(): number {
    this.next64();
    return (this.outHi * TWO_POW_21 + (this.outLo >>> 11)) * TWO_POW_MINUS_53;
  }

  /** numpy `Generator.uniform(low, high)` for one value: low + (high - low) * random(). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }

  /** Uniform integer in [0, n) for 1 <= n <= 2^32 (not numpy's Lemire stream; bias below n / 2^53). */
  integer(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 0x1_0000_0000) throw new RangeError(`integer(n) needs 1 <= n <= 2^32, got ${n}`);
    return Math.floor(this.random() * n);
  }

  /** Standard normal by Marsaglia's polar method (correct distribution; not numpy's ziggurat stream). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    let u: number;
    let v: number;
    let r2: number;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      r2 = u * u + v * v;
    } while (r2 >= 1 || r2 === 0);
    const factor = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.spareNormal = v * factor;
    return u * factor;
  }

  /** The generator's state as hex, to checkpoint and restore a stream. */
  getState(): Pcg64State {
    return { state: limbsToHex(this.s), inc: limbsToHex(this.inc) };
  }

  setState(state: Pcg64State): void {
    hexToLimbs(state.state, this.s);
    hexToLimbs(state.inc, this.inc);
    if ((this.inc[0] & 1) === 0) throw new Error('PCG64 increment must be odd');
    this.spareNormal = null;
  }
}
