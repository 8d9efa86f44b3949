import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { create as parseFont, type Font } from 'fontkit';

/** The scripts the pack has a font for; every other character is set in the Latin face. */
export type PackScript = 'latin' | 'arabic' | 'bengali' | 'cjk';

/** Regular or bold, the two weights the pack uses. */
export type PackWeight = 'regular' | 'bold';

/** A stretch of text set in one font. */
export interface PackTextRun {
  text: string;
  script: PackScript;
}

/** Options for {@link writePackText}: pdfkit's text options plus the weight and size. */
export interface PackTextOptions extends PDFKit.Mixins.TextOptions {
  weight?: PackWeight;
  size?: number;
}

const require = createRequire(import.meta.url);

/** Folder of a font package's files, found from its entry point (their `exports` hide package.json). */
function packageDir(name: string, up: number): string {
  let dir = path.dirname(require.resolve(name));
  for (let i = 0; i < up; i += 1) dir = path.dirname(dir);
  return dir;
}

/**
 * The font files, all Noto and all OFL-1.1, shipped inside npm packages so nothing is fetched:
 * Noto Sans for Latin, Greek and Cyrillic, Noto Naskh Arabic, Noto Sans Bengali, and Noto Sans
 * Hans (simplified Chinese, GB2312, with kana) for CJK.
 */
function fontFile(script: PackScript, weight: PackWeight): string {
  const bold = weight === 'bold';
  switch (script) {
    case 'latin':
      return path.join(
        packageDir('@embedpdf/fonts-latin', 1),
        'fonts',
        bold ? 'NotoSans-Bold.ttf' : 'NotoSans-Regular.ttf',
      );
    case 'arabic':
      return path.join(
        packageDir('@embedpdf/fonts-arabic', 1),
        'fonts',
        bold ? 'NotoNaskhArabic-Bold.ttf' : 'NotoNaskhArabic-Regular.ttf',
      );
    case 'bengali':
      return path.join(
        packageDir('@expo-google-fonts/noto-sans-bengali', 0),
        bold ? '700Bold/NotoSansBengali_700Bold.ttf' : '400Regular/NotoSansBengali_400Regular.ttf',
      );
    case 'cjk':
      return path.join(
        packageDir('@embedpdf/fonts-sc', 1),
        'fonts',
        bold ? 'NotoSansHans-Bold.otf' : 'NotoSansHans-Regular.otf',
      );
  }
}

// Parsed once per process and shared by every pack (parsing per document cost ~0.5 s); the
// CJK faces are 8 MB each, so they are read only when a pack needs them.
const parsedFonts = new Map<string, Font>();

function fontName(script: PackScript, weight: PackWeight): string {
  return `pack-${script}-${weight}`;
}

const registered = new WeakMap<PDFKit.PDFDocument, Set<string>>();
// pdfkit does not expose the current font size, so the pack keeps it (12 is pdfkit's default).
const fontSizes = new WeakMap<PDFKit.PDFDocument, number>();

function setSize(doc: PDFKit.PDFDocument, size: number | undefined): number {
  if (size !== undefined) {
    doc.fontSize(size);
    fontSizes.set(doc, size);
  }
  return fontSizes.get(doc) ?? 12;
}

/** Selects the font for `script` and `weight` in `doc`, registering it on first use. */
function parsedFont(script: PackScript, weight: PackWeight): Font {
  const name = fontName(script, weight);
  let font = parsedFonts.get(name);
  if (!font) {
    font = parseFont(readFileSync(fontFile(script, weight)));
    parsedFonts.set(name, font);
  }
  return font;
}

function useFont(doc: PDFKit.PDFDocument, script: PackScript, weight: PackWeight): void {
  const name = fontName(script, weight);
  let names = registered.get(doc);
  if (!names) {
    names = new Set();
    registered.set(doc, names);
  }
  if (!names.has(name)) {
    // pdfkit takes a parsed fontkit font as well as bytes; its types list only the latter.
    doc.registerFont(name, parsedFont(script, weight) as unknown as Buffer);
    names.add(name);
  }
  doc.font(name);
}

const arabicPattern = /[\p{Script=Arabic}]/u;
const bengaliPattern = /[\p{Script=Bengali}]/u;
const cjkPattern =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\u3000-\u303f\uff00-\uffef]/u;
const inheritedPattern = /[\p{Script=Inherited}\u200c\u200d]/u;
const strongPattern = /[\p{L}\p{M}]/u;

function scriptOf(char: string): PackScript | undefined {
  if (arabicPattern.test(char)) return 'arabic';
  if (bengaliPattern.test(char)) return 'bengali';
  if (cjkPattern.test(char)) return 'cjk';
  return strongPattern.test(char) ? 'latin' : undefined;
}

/**
 * Splits text into runs by script. A combining mark or joiner stays with the letter before it;
 * a space, digit or punctuation mark between two letters of one script stays in that script (so
 * an Arabic or Bengali name is one run and is shaped whole), and otherwise is set in Latin.
 */
export function splitIntoRuns(text: string): PackTextRun[] {
  const chars = Array.from(text);
  const scripts: (PackScript | undefined)[] = chars.map((char) =>
    inheritedPattern.test(char) ? undefined : scriptOf(char),
  );
  const resolved: PackScript[] = [];
  for (let i = 0; i < chars.length; i += 1) {
    const own = scripts[i];
    if (own) {
      resolved.push(own);
      continue;
    }
    const previous = resolved[i - 1];
    if (previous && inheritedPattern.test(chars[i] ?? '')) {
      resolved.push(previous);
      continue;
    }
    const next = scripts.slice(i + 1).find((script) => script !== undefined);
    resolved.push(previous !== undefined && previous === next ? previous : 'latin');
  }
  const runs: PackTextRun[] = [];
  chars.forEach((char, i) => {
    const script = resolved[i] ?? 'latin';
    const last = runs.at(-1);
    if (last?.script === script) last.text += char;
    else runs.push({ text: char, script });
  });
  return runs;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
const controlPattern = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/**
 * Makes text printable: NFC (so a letter and its accent are one glyph where the font has it),
 * carriage returns dropped, tabs and other control characters turned into spaces. Nothing is
 * replaced by "?": every script the pack has a font for prints as itself.
 */
export function toPrintableText(text: string): string {
  return text.normalize('NFC').replace(/\r/g, '').replace(controlPattern, ' ');
}

/**
 * Writes `text` at the current position, each script in its own embedded Noto font, with
 * pdfkit's wrapping across the runs. Arabic and Bengali runs are shaped whole by fontkit
 * (joining forms, ligatures, conjuncts, vowel signs placed) and an Arabic run is laid out right
 * to left. Not done: a line that mixes directions keeps its runs left to right in reading order
 * (no full bidirectional reordering), and Arabic lines are left-aligned like the rest.
 */
export function writePackText(
  doc: PDFKit.PDFDocument,
  text: string,
  options: PackTextOptions = {},
  x?: number,
  y?: number,
): void {
  const { weight = 'regular', size, ...textOptions } = options;
  const fontSize = setSize(doc, size);
  const runs = splitIntoRuns(toPrintableText(text));
  if (runs.length === 0) runs.push({ text: '', script: 'latin' });
  runs.forEach((run, index) => {
    useFont(doc, run.script, weight);
    const last = index === runs.length - 1;
    const runOptions: PDFKit.Mixins.TextOptions = {
      ...textOptions,
      continued: last ? textOptions.continued : true,
    };
    // Without features pdfkit lays out word by word, which reverses the words of an Arabic line.
    if (run.script === 'arabic' || run.script === 'bengali') runOptions.features = [];
    // pdfkit hangs each run from its own font's ascender; put every run on the Latin baseline.
    if (run.script !== 'latin' && textOptions.baseline === undefined) {
      const latin = parsedFont('latin', weight);
      runOptions.baseline = -((latin.ascent / latin.unitsPerEm) * fontSize);
    }
    if (index === 0 && x !== undefined) doc.text(run.text, x, y, runOptions);
    else doc.text(run.text, runOptions);
  });
}

/** Sets the Latin face of `weight` (and `size`), for measuring with pdfkit before writing. */
export function usePackFont(doc: PDFKit.PDFDocument, weight: PackWeight, size?: number): void {
  useFont(doc, 'latin', weight);
  setSize(doc, size);
}
