// fontkit ships no types; the pack only needs to parse a font once and hand it to pdfkit.
declare module 'fontkit' {
  /** A parsed font, as pdfkit's `registerFont` accepts it. */
  export interface Font {
    layout(text: string): unknown;
    /** Height above the baseline, in font units. */
    readonly ascent: number;
    readonly unitsPerEm: number;
  }
  /** Parses a TTF, OTF, WOFF or WOFF2 file. */
  export function create(buffer: Uint8Array): Font;
}
