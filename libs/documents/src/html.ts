import type { DocumentBlock, OfficialDocument } from './document.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const STYLE = `
  body { font-family: "Songti SC", "SimSun", "WenQuanYi Micro Hei", serif; max-width: 42em; margin: 2em auto; line-height: 1.8; color: #000; }
  h1 { text-align: center; font-size: 1.6em; margin-bottom: .2em; }
  .no { text-align: center; margin-top: 0; }
  h2 { font-size: 1.1em; margin: 1.2em 0 .4em; }
  p.body { text-indent: 2em; margin: .4em 0; }
  table { border-collapse: collapse; width: 100%; margin: .6em 0; }
  th, td { border: 1px solid #000; padding: .2em .5em; }
  .right { text-align: right; } .center { text-align: center; }
  .issuer { text-align: right; margin-top: 2.5em; }
  .copy { border-top: 1px solid #000; margin-top: 2em; padding-top: .4em; }
`;

function block(b: DocumentBlock): string {
  switch (b.kind) {
    case 'heading':
      return `<h2>${escapeHtml(b.text)}</h2>`;
    case 'paragraph':
      return `<p class="body">${escapeHtml(b.text)}</p>`;
    case 'fields':
      return b.rows
        .map(
          ([label, value]) =>
            `<p class="field"><strong>${escapeHtml(label)}：</strong>${escapeHtml(value)}</p>`,
        )
        .join('\n');
    case 'list':
      return `<ol>\n${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('\n')}\n</ol>`;
    case 'table': {
      const cls = (i: number) => (b.align?.[i] && b.align[i] !== 'left' ? ` class="${b.align[i]}"` : '');
      const head = b.columns.map((c, i) => `<th${cls(i)}>${escapeHtml(c)}</th>`).join('');
      const rows = b.rows
        .map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${escapeHtml(c)}</td>`).join('')}</tr>`)
        .join('\n');
      return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
    }
  }
}

/** The document as a standalone HTML page (UTF-8, Chinese), every value escaped. */
export function renderHtml(doc: OfficialDocument): string {
  const parts = [`<h1>${escapeHtml(doc.title)}</h1>`];
  if (doc.documentNo) parts.push(`<p class="no">${escapeHtml(doc.documentNo)}</p>`);
  if (doc.addressee) parts.push(`<p class="addressee">${escapeHtml(doc.addressee)}</p>`);
  parts.push(...doc.blocks.map(block));
  if (doc.issuer || doc.date) {
    parts.push(
      `<p class="issuer">${[doc.issuer, doc.date]
        .filter((x): x is string => !!x)
        .map(escapeHtml)
        .join('<br>')}</p>`,
    );
  }
  if (doc.copyTo) parts.push(`<p class="copy">抄送：${escapeHtml(doc.copyTo)}</p>`);
  return (
    `<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(doc.title)}</title>\n` +
    `<style>${STYLE}</style>\n</head>\n<body>\n${parts.join('\n')}\n</body>\n</html>\n`
  );
}
