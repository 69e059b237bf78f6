import { existsSync } from 'node:fs';
import {
  checkDocumentFont,
  DEFAULT_DOCUMENT_FONT,
  DocumentFontError,
  pdfText,
  renderPdf,
  type OfficialDocument,
} from '@edu/documents';

// Needs the CJK font installed (Debian: fonts-wqy-microhei), as the services do.
const doc: OfficialDocument = {
  title: '约谈通知书',
  documentNo: '约谈〔2020〕1号',
  addressee: '孙强同志：',
  blocks: [
    { kind: 'paragraph', text: '巴彦淖尔市教育局在教育脱贫攻坚挂牌督战中发现，五原县学生资助工作存在问题。' },
    {
      kind: 'table',
      columns: ['问题类别', '项数', '金额（元）'],
      rows: [['资助未按时发放', '3', '1875.00']],
    },
  ],
  issuer: '巴彦淖尔市教育局',
  date: '2020年11月2日',
};

describe('renderPdf', () => {
  it('has the font it needs', () => {
    expect(existsSync(DEFAULT_DOCUMENT_FONT.path)).toBe(true);
    expect(() => checkDocumentFont(DEFAULT_DOCUMENT_FONT)).not.toThrow();
  });

  it('renders an A4 PDF whose text reads back in Chinese', async () => {
    const pdf = await renderPdf(doc, {
      font: DEFAULT_DOCUMENT_FONT,
      createdAt: new Date('2020-11-02T02:00:00Z'),
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(200_000);
    const text = pdfText(pdf);
    expect(text).toContain('约谈通知书');
    expect(text).toContain('约谈〔2020〕1号');
    expect(text.replace(/\n/g, '')).toContain('五原县学生资助工作存在问题');
    expect(text).toContain('资助未按时发放');
    expect(text).toContain('1875.00');
    expect(text).toContain('巴彦淖尔市教育局');
  });

  it('is reproducible for a fixed creation date', async () => {
    const createdAt = new Date('2020-11-02T02:00:00Z');
    const [a, b] = await Promise.all([
      renderPdf(doc, { font: DEFAULT_DOCUMENT_FONT, createdAt }),
      renderPdf(doc, { font: DEFAULT_DOCUMENT_FONT, createdAt }),
    ]);
    // pdfkit writes a random document id; everything else must match.
    const strip = (x: Buffer) => x.toString('latin1').replace(/\/ID \[<[0-9a-f]+> <[0-9a-f]+>\]/, '');
    expect(strip(a)).toBe(strip(b));
  });

  it('fails with a clear error when the font is missing', async () => {
    const font = { path: '/nonexistent/fonts/wqy-microhei.ttc' };
    expect(() => checkDocumentFont(font)).toThrow(DocumentFontError);
    await expect(renderPdf(doc, { font })).rejects.toThrow(
      /\/nonexistent\/fonts\/wqy-microhei.ttc cannot be read \(ENOENT\).*apt-get install -y fonts-wqy-microhei/,
    );
  });

  it('fails with a clear error when the face is not in the collection', async () => {
    await expect(
      renderPdf(doc, { font: { path: DEFAULT_DOCUMENT_FONT.path, face: 'NoSuchFace' } }),
    ).rejects.toThrow(/has no face named NoSuchFace/);
  });
});
