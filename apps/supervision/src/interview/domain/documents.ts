import type { OfficialDocument } from '@edu/documents';
import { FRONT_NAMES } from '../../directory/domain/front.js';
import { localDate } from '../../calendar/domain/working-day-calendar.js';
import type { AccountabilityProps } from './accountability-recommendation.js';
import type { InterviewProps, IssueLine, Person } from './interview.js';

/*
 * The generated documents, in Chinese: the interview notice (约谈通知书), the interview
 * minutes (约谈纪要) and the accountability recommendation (追责问责建议书). Built from the
 * records alone, so a document regenerated later reads the same as the one sent. They name
 * officials and count problems; never a student.
 */

export function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}

function cnDate(at: string): string {
  const [y, m, d] = localDate(new Date(at)).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

export function cnDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

function cnDateTime(at: string): string {
  const local = new Date(new Date(at).getTime() + 8 * 3_600_000).toISOString();
  return `${cnDate(at)} ${local.slice(11, 16)}`;
}

const personName = (p: Person) => `${p.title}${p.name}`;

function issuesTable(issues: IssueLine[]) {
  const total = issues.reduce(
    (s, i) => ({ count: s.count + i.count, amountFen: s.amountFen + i.amountFen }),
    {
      count: 0,
      amountFen: 0,
    },
  );
  const withMoney = total.amountFen > 0;
  const columns = withMoney ? ['问题类别', '项数', '涉及资金（元）'] : ['问题类别', '项数'];
  const row = (name: string, count: number, fen: number) =>
    withMoney ? [name, String(count), yuan(fen)] : [name, String(count)];
  return {
    kind: 'table' as const,
    columns,
    rows: [
      ...issues.map((i) => row(i.name, i.count, i.amountFen)),
      row('合计', total.count, total.amountFen),
    ],
    align: ['left' as const, 'right' as const, 'right' as const],
    total,
  };
}

export function interviewNumber(i: Pick<InterviewProps, 'noticedAt' | 'serial'>): string {
  return `约谈〔${localDate(new Date(i.noticedAt)).slice(0, 4)}〕${i.serial}号`;
}

export function interviewNoticeDocument(i: InterviewProps): OfficialDocument {
  const front = FRONT_NAMES[i.front];
  const table = issuesTable(i.issues);
  const money = table.total.amountFen > 0 ? `，涉及资金${yuan(table.total.amountFen)}元` : '';
  const blocks: OfficialDocument['blocks'] = [
    {
      kind: 'paragraph',
      text:
        `${i.cityName}教育局在教育脱贫攻坚挂牌督战中发现，${i.countyName}${front}工作存在以下问题，` +
        `截至${cnDate(i.noticedAt)}仍有${table.total.count}项未整改到位${money}，经督办提醒后整改不力。`,
    },
    table,
  ];
  if (i.recurrence) {
    blocks.push({
      kind: 'paragraph',
      text: '上述问题在前次督办销号后不久再次出现，属同类问题反复出现。',
    });
  }
  blocks.push(
    {
      kind: 'paragraph',
      text:
        `根据教育脱贫攻坚挂牌督战工作要求，对工作推进不力、整改存在形式主义以及同类问题反复出现的旗县区，` +
        `约谈教育部门主要领导。${i.cityName}教育局决定对你进行约谈，现将有关事项通知如下：`,
    },
    {
      kind: 'fields',
      rows: [
        ['约谈事由', i.subject],
        ['约谈时间', i.scheduledAt ? cnDateTime(i.scheduledAt) : '另行通知'],
        ['约谈地点', i.place ?? '另行通知'],
        ['约谈人', personName(i.interviewer)],
        ['被约谈人', i.interviewees.map(personName).join('、') || `${i.countyName}教育局主要领导`],
      ],
    },
    {
      kind: 'paragraph',
      text:
        '请按时参加，并提前准备书面整改情况汇报，对照问题清单逐项说明问题原因、整改措施、完成时限和责任人。' +
        '约谈不得委托他人代为参加。',
    },
  );
  return {
    title: '约谈通知书',
    documentNo: interviewNumber(i),
    addressee: `${i.interviewees.map((p) => `${p.name}同志`).join('、') || `${i.countyName}教育局`}：`,
    blocks,
    issuer: `${i.cityName}教育局`,
    date: cnDate(i.noticedAt),
  };
}

export function interviewMinutesDocument(i: InterviewProps): OfficialDocument {
  if (!i.minutes || !i.heldAt) throw new Error('the minutes of an interview are written after it is held');
  return {
    title: '约谈纪要',
    documentNo: interviewNumber(i),
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['约谈事由', i.subject],
          ['约谈时间', cnDateTime(i.heldAt)],
          ['约谈地点', i.place ?? ''],
          ['约谈人', personName(i.interviewer)],
          ['被约谈人', i.interviewees.map(personName).join('、')],
          ['参加人员', i.attendees.join('、') || '无'],
        ],
      },
      { kind: 'heading', text: '一、存在的问题' },
      issuesTable(i.issues),
      { kind: 'heading', text: '二、约谈情况' },
      { kind: 'paragraph', text: i.minutes.summary },
      { kind: 'heading', text: '三、整改承诺' },
      { kind: 'list', items: i.minutes.commitments },
      { kind: 'heading', text: '四、跟踪督办' },
      {
        kind: 'paragraph',
        text:
          `请${i.countyName}教育局于${cnDay(i.followUpDueOn ?? '')}前将整改落实情况书面报${i.cityName}教育局，` +
          `逾期未报或整改不到位的，按督战工作程序向${i.countyName}党委提出追责问责建议。`,
      },
    ],
    issuer: `${i.cityName}教育局`,
    date: cnDate(i.minutesRecordedAt ?? i.heldAt),
  };
}

export function accountabilityDocument(r: AccountabilityProps): OfficialDocument {
  const front = FRONT_NAMES[r.front];
  const table = issuesTable(r.issues);
  const money = table.total.amountFen > 0 ? `，涉及资金${yuan(table.total.amountFen)}元` : '';
  return {
    title: '追责问责建议书',
    documentNo: `问责建议〔${localDate(new Date(r.generatedAt)).slice(0, 4)}〕${r.serial}号`,
    addressee: `${r.addressedTo}：`,
    blocks: [
      {
        kind: 'paragraph',
        text:
          `在教育脱贫攻坚挂牌督战中，${r.countyName}${front}工作存在的问题经${r.cityName}教育局督办提醒和约谈后，` +
          `截至${cnDate(r.generatedAt)}仍有${table.total.count}项未整改到位${money}，属拒不整改或反复整改不到位。`,
      },
      { kind: 'heading', text: '一、问题情况' },
      table,
      { kind: 'heading', text: '二、督办和约谈经过' },
      {
        kind: 'table',
        columns: ['日期', '环节', '情况'],
        rows: r.history.map((h) => [cnDate(h.at), h.stage, h.detail]),
      },
      { kind: 'heading', text: '三、建议' },
      {
        kind: 'paragraph',
        text:
          `根据教育脱贫攻坚挂牌督战工作要求，对拒不整改或反复整改不到位的，向旗县区党委提出追责问责建议。` +
          `建议${r.addressedTo}对${r.countyName}教育局主要领导及相关责任人进行追责问责，` +
          `督促立即整改到位，并将处理结果和整改情况报${r.cityName}教育局。`,
      },
    ],
    issuer: `${r.cityName}教育局`,
    date: cnDate(r.generatedAt),
  };
}
