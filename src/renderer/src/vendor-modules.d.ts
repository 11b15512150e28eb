// Types for the two untyped packages the exports use, limited to what Proxima calls.

declare module 'svgcanvas' {
  /** A Canvas 2D context that records drawing calls as SVG elements (a maintained fork of canvas2svg). */
  export class Context {
    constructor(options: { width: number; height: number; enableMirroring?: boolean; document?: Document });
    width: number;
    height: number;
    /** The context is its own canvas. */
    readonly canvas: Context;
    /** The drawing so far as an SVG document's text. */
    getSerializedSvg(fixNamedEntities?: boolean): string;
    getSvg(): SVGSVGElement;
  }
}

declare module 'gifenc' {
  export type Palette = number[][];
  export interface GifEncoder {
    writeFrame(
      index: Uint8Array,
      width: number,
      height: number,
      options?: { palette?: Palette; delay?: number; repeat?: number; transparent?: boolean; dispose?: number },
    ): void;
    finish(): void;
    bytes(): Uint8Array;
  }
  export function GIFEncoder(options?: { initialCapacity?: number; auto?: boolean }): GifEncoder;
  /** Up to `maxColors` colours for `rgba` (flat RGBA bytes). */
  export function quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number, options?: { format?: 'rgb565' | 'rgb444' | 'rgba4444' }): Palette;
  /** Each pixel of `rgba` as the index of its nearest palette colour. */
  export function applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: Palette, format?: 'rgb565' | 'rgb444' | 'rgba4444'): Uint8Array;
}
