// The characters of Windows-1252 above 0x7F that are not Latin-1 (0x80–0x9F in that code page).
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Makes text safe for the PDF standard fonts (Helvetica), which can only show Windows-1252:
 * other characters would print as garbage, so they become "?" and the reader sees a gap
 * rather than a wrong letter. Line breaks are kept; tabs and other controls become spaces.
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\n') out += char;
    else if (char === '\r') continue;
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0 && !WIN_ANSI_EXTRAS.has(char))) out += ' ';
    else if (code < 0x7f || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(char))
      out += char;
    else out += '?';
  }
  return out;
}
