/**
 * numpy's `SeedSequence` (numpy/random/bit_generator.pyx), the entropy mixer behind `np.random.default_rng(seed)`
 * and Gymnasium's `seeding.np_random(seed)`. Only what those need: an integer or a list of uint32 words as entropy,
 * no spawn key, pool size 4, and `generate_state`. All arithmetic is uint32 (wrapping), as numpy's.
 */

const DEFAULT_POOL_SIZE = 4;
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16; // 4 * 8 // 2

/** The uint32 words of a non-negative integer, least significant first (numpy's `_int_to_uint32_array`). */
export function intToUint32Words(seed: number): number[] {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`Seed must be a non-negative safe integer, got ${String(seed)}`);
  }
  if (seed === 0) return [0];
  const words: number[] = [];
  let n = seed;
  while (n > 0) {
    const low = n % 0x1_0000_0000;
    words.push(low);
    n = (n - low) / 0x1_0000_0000;
  }
  return words;
}

export class SeedSequence {
  /** The mixed entropy pool: DEFAULT_POOL_SIZE uint32 words. */
  readonly pool: Uint32Array;
  /** The entropy words the pool was mixed from. */
  readonly entropy: readonly number[];

  /** `entropy`: an integer seed, or uint32 words (least significant first) as numpy coerces a big integer. */
  constructor(entropy: number | readonly number[]) {
    this.entropy = typeof entropy === 'number' ? intToUint32Words(entropy) : [...entropy];
    for (const w of this.entropy) {
      if (!Number.isInteger(w) || w < 0 || w > 0xffffffff) throw new RangeError(`Entropy word out of uint32 range: ${w}`);
    }
    this.pool = new Uint32Array(DEFAULT_POOL_SIZE);
    this.mixEntropy(this.entropy);
  }

  private mixEntropy(entropyArray: readonly number[]): void {
    const mixer = this.pool;
    let hashConst = INIT_A;
    const hashmix = (input: number): number => {
      let value = (input ^ hashConst) >>> 0;
      hashConst = Math.imul(hashConst, MULT_A) >>> 0;
      value = Math.imul(value, hashConst) >>> 0;
      return (value ^ (value >>> XSHIFT)) >>> 0;
    };
    const mix = (x: number, y: number): number => {
      const result = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
      return (result ^ (result >>> XSHIFT)) >>> 0;
    };
    // Add in the entropy up to the pool size; past the entropy keep running the hash on zeros.
    for (let i = 0; i < mixer.length; i++) {
      mixer[i] = hashmix(i < entropyArray.length ? entropyArray[i] : 0);
    }
    // Mix all bits together so late bits can affect earlier bits.
    for (let iSrc = 0; iSrc < mixer.length; iSrc++) {
      for (let iDst = 0; iDst < mixer.length; iDst++) {
        if (iSrc !== iDst) mixer[iDst] = mix(mixer[iDst], hashmix(mixer[iSrc]));
      }
    }
    // Add any remaining entropy, mixing each new entropy word with each pool word.
    for (let iSrc = mixer.length; iSrc < entropyArray.length; iSrc++) {
      for (let iDst = 0; iDst < mixer.length; iDst++) {
        mixer[iDst] = mix(mixer[iDst], hashmix(entropyArray[iSrc]));
      }
    }
  }

  /**
   * `generate_state(nWords, np.uint32)`: nWords uint32 words. For numpy's `np.uint64` output, ask for twice as many
   * words and pair them little-endian (word 2k is the low half of uint64 k).
   */
  generateState(nWords: number): Uint32Array {
    const state = new Uint32Array(nWords);
    let hashConst = INIT_B;
    for (let iDst = 0; iDst < nWords; iDst++) {
      let dataVal = this.pool[iDst % this.pool.length];
      dataVal = (dataVal ^ hashConst) >>> 0;
      hashConst = Math.imul(hashConst, MULT_B) >>> 0;
      dataVal = Math.imul(dataVal, hashConst) >>> 0;
      state[iDst] = (dataVal ^ (dataVal >>> XSHIFT)) >>> 0;
    }
    return state;
  }
}
