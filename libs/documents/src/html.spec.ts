import { chineseDate } from './document.js';
import { renderHtml } from './html.js';

describe('renderHtml', () => {
  it('renders every part of the document, in Chinese, with values escaped', () => {
    const html = renderHtml({
      title: '约谈通知书',
      documentNo: '约谈〔2020〕1号',
      addressee: '孙强同志：',
      blocks: [
        { kind: 'paragraph', text: '五原县<script>alert(1)</script>学生资助工作整改不力。' },
        { kind: 'fields', rows: [['时间', '2020年11月5日 09:00']] },
        { kind: 'table', columns: ['问题', '项数'], rows: [['未按时发放', '3']], align: ['left', 'right'] },
        { kind: 'list', items: ['逐项整改'] },
      ],
      issuer: '巴彦淖尔市教育局',
      date: chineseDate('2020-11-02'),
      copyTo: '五原县委',
    });
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<h1>约谈通知书</h1>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<td class="right">3</td>');
    expect(html).toContain('<strong>时间：</strong>2020年11月5日 09:00');
    expect(html).toContain('巴彦淖尔市教育局<br>2020年11月2日');
    expect(html).toContain('抄送：五原县委');
  });
});
