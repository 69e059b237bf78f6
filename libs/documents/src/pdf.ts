import PDFDocument from 'pdfkit';
import { readFileSync } from 'node:fs';
import type { DocumentBlock, OfficialDocument } from './document.js';

/** A TrueType/OpenType font (or collection) with Chinese glyphs. */
export interface DocumentFont {
  path: string;
  /** The PostScript name of the face to use inside a collection (.ttc); none for a single font. */
  face?: string;
}

/** Debian's `fonts-wqy-microhei` (WenQuanYi Micro Hei), free and small enough to embed as a subset. */
export const DEFAULT_DOCUMENT_FONT: DocumentFont = {
  path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  face: 'WenQuanYiMicroHei',
};

/** The font for Chinese documents is missing or unusable: nothing can be rendered until it is fixed. */
export class DocumentFontError extends Error {
  constructor(message: string) {
    super(
      `${message}. Generated documents need a font with Chinese glyphs: install one ` +
        `(Debian: apt-get install -y fonts-wqy-microhei) or point DOCUMENT_FONT_PATH (and DOCUMENT_FONT_FACE ` +
        `for a .ttc collection) at one.`,
    );
    this.name = 'DocumentFontError';
  }
}

/** The parsed font (pdfkit's fontkit object), kept: parsing a CJK collection costs ~200 ms a document. */
interface ParsedFont {
  hasGlyphForCodePoint(c: number): boolean;
  layout(...args: unknown[]): unknown;
}
const parsed = new Map<string, ParsedFont>();

function useFont(doc: PDFKit.PDFDocument, font: DocumentFont): void {
  const key = `${font.path}#${font.face ?? ''}`;
  const cached = parsed.get(key);
  if (cached) {
    // pdfkit takes an already parsed font as the source; each document still embeds its own subset.
    doc.registerFont('body', cached as unknown as PDFKit.Mixins.PDFFontSource);
    doc.font('body');
    return;
  }
  let data: Buffer;
  try {
    data = readFileSync(font.path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new DocumentFontError(`the document font ${font.path} cannot be read (${code})`);
  }
  try {
    doc.registerFont('body', data, font.face);
    doc.font('body');
  } catch {
    throw new DocumentFontError(
      `${font.path} is not a usable font${font.face ? ` or has no face named ${font.face}` : ''}`,
    );
  }
  const embedded = (doc as unknown as { _font?: { font?: ParsedFont } })._font?.font;
  // 中: a Latin-only font would print empty boxes for every Chinese character.
  if (!embedded?.hasGlyphForCodePoint(0x4e2d))
    throw new DocumentFontError(`${font.path} has no Chinese glyphs`);
  parsed.set(key, embedded);
}

/** Throws DocumentFontError when documents could not be rendered with this font (checked at start). */
export function checkDocumentFont(font: DocumentFont): void {
  const doc = new PDFDocument({ autoFirstPage: false });
  useFont(doc, font);
}

const SIZE = { title: 20, number: 12, addressee: 14, heading: 13, body: 12, table: 10.5 };

function drawBlock(doc: PDFKit.PDFDocument, b: DocumentBlock, width: number): void {
  const left = doc.page.margins.left;
  switch (b.kind) {
    case 'heading':
      doc.moveDown(0.4).fontSize(SIZE.heading).text(b.text, left, undefined, { width });
      break;
    case 'paragraph':
      doc
        .fontSize(SIZE.body)
        .text(b.text, left, undefined, { width, indent: SIZE.body * 2, lineGap: 4, align: 'justify' });
      break;
    case 'fields':
      doc.fontSize(SIZE.body);
      for (const [label, value] of b.rows)
        doc.text(`${label}：${value}`, left, undefined, { width, indent: SIZE.body * 2, lineGap: 4 });
      break;
    case 'list':
      doc.fontSize(SIZE.body);
      b.items.forEach((item, i) =>
        doc.text(`${i + 1}. ${item}`, left, undefined, { width, indent: SIZE.body * 2, lineGap: 4 }),
      );
      break;
    case 'table': {
      doc.moveDown(0.3).fontSize(SIZE.table);
      doc.table({
        position: { x: left },
        maxWidth: width,
        defaultStyle: { padding: 3, border: 0.5 },
        columnStyles: (i: number) => ({ align: { x: b.align?.[i] ?? 'left', y: 'center' } }),
        rowStyles: (i: number) => (i === 0 ? { backgroundColor: '#eeeeee' } : undefined),
        data: [b.columns, ...b.rows],
      });
      doc.x = left;
      doc.moveDown(0.3);
      break;
    }
  }
}

export interface PdfOptions {
  font: DocumentFont;
  /** Recorded as the creation date (defaults to now); fixing it makes the output reproducible. */
  createdAt?: Date;
}

/** Renders the document as an A4 PDF with the Chinese font embedded as a subset. */
export function renderPdf(document: OfficialDocument, options: PdfOptions): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 72, bottom: 72, left: 80, right: 80 },
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: document.title,
      ...(document.issuer ? { Author: document.issuer } : {}),
      CreationDate: options.createdAt ?? new Date(),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    useFont(doc, options.font);
    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    doc.fontSize(SIZE.title).text(document.title, left, undefined, { width, align: 'center' });
    if (document.documentNo) {
      doc.moveDown(0.2).fontSize(SIZE.number).text(document.documentNo, { width, align: 'center' });
    }
    doc.moveDown(0.8);
    if (document.addressee) doc.fontSize(SIZE.addressee).text(document.addressee, left, undefined, { width });
    for (const b of document.blocks) drawBlock(doc, b, width);
    if (document.issuer || document.date) {
      doc.moveDown(2).fontSize(SIZE.body);
      if (document.issuer) doc.text(document.issuer, left, undefined, { width, align: 'right' });
      if (document.date) doc.text(document.date, left, undefined, { width, align: 'right' });
    }
    if (document.copyTo) {
      doc.moveDown(1.5).fontSize(SIZE.table).text(`抄送：${document.copyTo}`, left, undefined, { width });
    }
  } catch (e) {
    doc.end();
    return done.then(() => Promise.reject(e as Error));
  }
  doc.end();
  return done;
}
