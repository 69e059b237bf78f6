import { inflateSync } from 'node:zlib';

/** The decoded streams of a PDF (Flate-compressed or plain). */
function streams(pdf: Buffer): string[] {
  const out: string[] = [];
  const text = pdf.toString('latin1');
  const re = /<<([^]*?)>>\s*stream\r?\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    const raw = pdf.subarray(start, end);
    try {
      out.push((/\/FlateDecode/.test(m[1]) ? inflateSync(raw) : raw).toString('latin1'));
    } catch {
      // An image or font program that is not text: skip it.
    }
    re.lastIndex = end;
  }
  return out;
}

const hex = (h: string) => parseInt(h, 16);

/** Glyph code → text, from the ToUnicode CMaps (bfrange and bfchar). */
function toUnicode(cmaps: string[]): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (h: string) => String.fromCharCode(...(h.match(/.{4}/g) ?? []).map((x) => hex(x)));
  for (const c of cmaps) {
    for (const section of c.matchAll(/beginbfrange([^]*?)endbfrange/g)) {
      for (const line of section[1].matchAll(
        /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g,
      )) {
        const lo = hex(line[1]);
        const hi = hex(line[2]);
        if (line[3].startsWith('[')) {
          [...line[3].matchAll(/<([0-9a-fA-F]+)>/g)].forEach((d, i) => map.set(lo + i, utf16(d[1])));
        } else {
          const first = hex(line[3].slice(1, -1));
          for (let g = lo; g <= hi; g++) map.set(g, String.fromCharCode(first + g - lo));
        }
      }
    }
    for (const section of c.matchAll(/beginbfchar([^]*?)endbfchar/g)) {
      for (const line of section[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
        map.set(hex(line[1]), utf16(line[2]));
    }
  }
  return map;
}

/**
 * The text of a PDF rendered by this lib (one embedded font with 2-byte glyph codes), one
 * line per text operation. For tests and checks; not a general PDF text extractor.
 */
export function pdfText(pdf: Buffer): string {
  const all = streams(pdf);
  const map = toUnicode(all.filter((s) => s.includes('begincmap')));
  const lines: string[] = [];
  for (const s of all) {
    if (s.includes('begincmap')) continue;
    for (const op of s.matchAll(/\[((?:<[0-9a-fA-F]*>|\s|-?[\d.]+)*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const hexes = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((x) => x[1]) : [op[2]];
      lines.push(
        hexes
          .flatMap((h) => h.match(/.{4}/g) ?? [])
          .map((code) => map.get(hex(code)) ?? '\ufffd')
          .join(''),
      );
    }
  }
  return lines.join('\n');
}
