/** Types for the two encoders' CommonJS packages (neither ships any): only what encode.ts uses. */
declare module 'gifenc' {
  export type Palette = number[][];
  export interface FrameOptions {
    palette?: Palette;
    /** Milliseconds (written in hundredths). */
    delay?: number;
    /** -1 once, 0 forever. */
    repeat?: number;
    first?: boolean;
  }
  export interface Encoder {
    writeFrame(index: Uint8Array, width: number, height: number, opts?: FrameOptions): void;
    finish(): void;
    bytes(): Uint8Array;
    bytesView(): Uint8Array;
  }
  const gifenc: {
    GIFEncoder(opts?: { auto?: boolean; initialCapacity?: number }): Encoder;
    quantize(rgba: Uint8Array, maxColors: number, opts?: { format?: 'rgb565' | 'rgb444' | 'rgba4444' }): Palette;
    applyPalette(rgba: Uint8Array, palette: Palette, format?: 'rgb565' | 'rgb444' | 'rgba4444'): Uint8Array;
  };
  export default gifenc;
}

declare module 'upng-js' {
  export interface DecodedImage {
    width: number;
    height: number;
    depth: number;
    ctype: number;
    frames: { rect: { x: number; y: number; width: number; height: number }; delay: number; dispose: number; blend: number }[];
    tabs: Record<string, unknown>;
  }
  const UPNG: {
    /** `ps` 0: lossless; `dels`: each frame's delay in ms. */
    encode(bufs: ArrayBuffer[], w: number, h: number, ps: number, dels?: number[]): ArrayBuffer;
    decode(buf: ArrayBuffer | Uint8Array): DecodedImage;
    toRGBA8(img: DecodedImage): ArrayBuffer[];
  };
  export default UPNG;
}
