import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  checkDocumentFont,
  DocumentFontError,
  renderHtml,
  renderPdf,
  type OfficialDocument,
} from '@edu/documents';
import type { NoticeAttachment } from '@edu/contracts';
import { counter } from '@edu/observability';
import { SUPERVISION_CONFIG, type SupervisionSettings } from '../../supervision.config.js';

const failures = counter(
  'document_render_failures_total',
  'Generated documents that could not be rendered as PDF',
  ['reason'],
);

/** Renders the generated documents as HTML and as PDF in the configured Chinese font. */
@Injectable()
export class DocumentRenderer implements OnApplicationBootstrap {
  private readonly logger = new Logger(DocumentRenderer.name);

  constructor(@Inject(SUPERVISION_CONFIG) private readonly settings: SupervisionSettings) {}

  /** Says at start, loudly, when PDFs cannot be made; notices still go out (with the HTML). */
  onApplicationBootstrap() {
    try {
      checkDocumentFont(this.settings.documentFont);
    } catch (e) {
      this.logger.error((e as Error).message);
    }
  }

  html(doc: OfficialDocument): string {
    return renderHtml(doc);
  }

  /** The PDF; throws DocumentFontError (with what to install) when the font is missing. */
  pdf(doc: OfficialDocument, createdAt: Date): Promise<Buffer> {
    return renderPdf(doc, { font: this.settings.documentFont, createdAt });
  }

  /**
   * The document as email attachments: the PDF and the HTML. Without a usable font the
   * email still carries the HTML, and the failure is logged and counted, never swallowed.
   */
  async attachments(doc: OfficialDocument, name: string, createdAt: Date): Promise<NoticeAttachment[]> {
    const html: NoticeAttachment = {
      filename: `${name}.html`,
      contentType: 'text/html',
      contentBase64: Buffer.from(this.html(doc), 'utf8').toString('base64'),
    };
    try {
      const pdf = await this.pdf(doc, createdAt);
      return [
        { filename: `${name}.pdf`, contentType: 'application/pdf', contentBase64: pdf.toString('base64') },
        html,
      ];
    } catch (e) {
      if (!(e instanceof DocumentFontError)) throw e;
      failures.inc({ reason: 'font' });
      this.logger.error(`${name}: PDF not attached: ${e.message}`);
      return [html];
    }
  }
}
