export { chineseDate, type DocumentBlock, type OfficialDocument } from './document.js';
export { escapeHtml, renderHtml } from './html.js';
export {
  checkDocumentFont,
  DEFAULT_DOCUMENT_FONT,
  DocumentFontError,
  renderPdf,
  type DocumentFont,
  type PdfOptions,
} from './pdf.js';
export { pdfText } from './pdf-text.js';
