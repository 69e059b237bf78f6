import ExcelJS from 'exceljs';
import { DEV_AUTH_DEFAULTS, signToken } from '@edu/auth';
import { FixedClock } from '@edu/service';
import {
  createTestDatabase,
  deleteTopology,
  testMessagingConfig,
  type TestDatabase,
  type TestService,
} from '@edu/testing';
import { migrations } from '../src/migrations/index.js';
import { startOnSchema } from './supervision-fixture.js';

/** A response body; the assertions check its shape. */
type Json = ReturnType<typeof JSON.parse>;

/*
 * Supervision's uploaded tables (problems, officials, the responsibility matrix, work-team
 * members) read as every import reads them: a byte order mark, CRLF line ends and quoted
 * commas and line breaks give the records, and bad rows are named by the line they end on;
 * a malformed file, a row wider than its header or a missing column refuses the file by line
 * (and field or column) with nothing stored; an XLSX ledger reads by its Chinese headings.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PROBLEMS =
  'ref,source,description,county_code,front,measures,found_on,deadline,lead_department,responsible_leader';
const OFFICIALS = 'official_id,name,title,county_code,front,role,phone,email';
const MEMBERS = 'member_id,name,county_code,village,role,posted_from,posted_until';

describe('supervision: uploaded tables', () => {
  const messaging = testMessagingConfig('supervision');
  const clock = new FixedClock(new Date('2020-05-11T02:00:00Z'));
  let db: TestDatabase;
  let svc: TestService;
  let admin: string;

  const post = async (path: string, body: string | Buffer | FormData, contentType?: string) => {
    const res = await fetch(`${svc.url}${path}`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${admin}`, ...(contentType ? { 'content-type': contentType } : {}) },
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const csv = (path: string, body: string) => post(path, body, 'text/csv');
  const sql = (query: string, params: unknown[] = []) => db.dataSource.query<Json[]>(query, params);

  beforeAll(async () => {
    db = await createTestDatabase('supervision_uploads', [], migrations);
    svc = await startOnSchema(db, messaging, clock);
    admin = await signToken({ sub: 'admin', role: 'city_admin' }, DEV_AUTH_DEFAULTS);
  });

  afterAll(async () => {
    await svc?.close();
    await db?.drop();
    await deleteTopology(messaging.namespace, ['supervision']);
  });

  it('reads a CSV with a BOM, CRLF line ends and quoted commas and line breaks, naming bad rows by their line', async () => {
    const file =
      '\ufeff' +
      [
        PROBLEMS,
        // Lines 2 and 3: one record.
        'Q-01,inspection,"台账不全,需逐户核实",150821,dropout,"一、逐户核实\r\n二、补录台账",2020-03-02,2020-06-30,基础教育股,王刚',
        'Q-02,inspection,"学位不足",150821,construction,扩建,2020-03-02,,发展规划股," 李明 "',
        'Q-03,inspection,描述,150821,aid,措施,2020-13-01,,资助中心,赵敏',
      ].join('\r\n') +
      '\r\n';
    const res = await csv('/api/rectification/problems/import', file);
    expect(res.body).toEqual({
      received: 3,
      created: 2,
      updated: 0,
      unchanged: 0,
      rejected: [{ line: 5, field: 'found_on', reason: 'must be a date (YYYY-MM-DD)' }],
    });
    await expect(
      sql(
        `SELECT ref, description, measures, deadline::text, responsible_leader
           FROM rectification_problem ORDER BY ref`,
      ),
    ).resolves.toEqual([
      {
        ref: 'Q-01',
        description: '台账不全,需逐户核实',
        measures: '一、逐户核实\r\n二、补录台账',
        deadline: '2020-06-30',
        responsible_leader: '王刚',
      },
      { ref: 'Q-02', description: '学位不足', measures: '扩建', deadline: null, responsible_leader: '李明' },
    ]);
  });

  it('refuses a malformed CSV naming the line, never a value, and stores nothing of it', async () => {
    const before = await sql('SELECT ref, description FROM rectification_problem ORDER BY ref');
    const problems = await csv(
      '/api/rectification/problems/import',
      [
        PROBLEMS,
        'Q-01,inspection,改写,150821,dropout,改写,2020-03-02,2020-06-30,基础教育股,王刚',
        'Q-11,inspection,学生150821201001010018"未入学,150821,aid,措施,2020-03-02,,资助中心,赵敏',
      ].join('\n'),
    );
    expect(problems).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'RECTIFICATION_MALFORMED_FILE',
        message: 'line 3: a quote inside an unquoted field (field 3)',
      },
    });
    await expect(sql('SELECT ref, description FROM rectification_problem ORDER BY ref')).resolves.toEqual(
      before,
    );

    expect(
      (
        await csv(
          '/api/officials/import',
          [OFFICIALS, 'WY-A,吴敏,股长,150821,all,responsible,13900000021,'].join('\n'),
        )
      ).body,
    ).toEqual({ received: 1, upserted: 1, rejected: [] });
    const officials = await csv(
      '/api/officials/import',
      [
        OFFICIALS,
        'WY-A,吴敏,局长,150821,all,responsible,13900000021,',
        'WY-B,"孙强,150821,all,bureau_head,13900000003,',
      ].join('\n'),
    );
    expect(officials).toMatchObject({
      status: 400,
      body: { error: 'DIRECTORY_MALFORMED_CSV', message: 'line 3: a quoted field is not closed' },
    });
    await expect(sql('SELECT official_id, title FROM official ORDER BY official_id')).resolves.toEqual([
      { official_id: 'WY-A', title: '股长' },
    ]);
  });

  it('refuses a CSV row wider than its header, naming line and field; short rows name what they lack', async () => {
    const wide = await csv(
      '/api/work-teams/members/import',
      [
        MEMBERS,
        'W-1,张伟,150821,联丰村,member,2020-01-01,',
        'W-2,李,强,150821,丰收村,member,2020-01-01,2020-12-31',
      ].join('\n'),
    );
    expect(wide).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'WORK_TEAM_MALFORMED_CSV',
        message: 'line 3: field 8 has a value but the header has 7 columns (quote a value holding a comma)',
      },
    });
    await expect(sql('SELECT count(*)::int AS n FROM work_team_member')).resolves.toEqual([{ n: 0 }]);

    // A trailing comma (an empty eighth field) is no value cut off; a short row lacks fields.
    const members = await csv(
      '/api/work-teams/members/import',
      [
        MEMBERS,
        'W-1,张伟,150821,联丰村,member,2020-01-01,,',
        'W-3,王芳,150821,丰收村,member,2020-02-01',
        'W-2,李强',
      ].join('\n'),
    );
    expect(members.body).toEqual({
      received: 3,
      upserted: 2,
      rejected: ['county_code', 'village', 'role', 'posted_from'].map((field) => ({
        line: 4,
        field,
        reason: 'is required',
      })),
    });
    await expect(
      sql('SELECT member_id, village, posted_until FROM work_team_member ORDER BY member_id'),
    ).resolves.toEqual([
      { member_id: 'W-1', village: '联丰村', posted_until: null },
      { member_id: 'W-3', village: '丰收村', posted_until: null },
    ]);
  });

  it('refuses a header lacking a required column, naming the column, even with no rows under it', async () => {
    const headings = '问题编号,问题来源,问题描述,旗县区代码,类别,发现日期,整改时限,责任部门';
    const problems = await csv('/api/rectification/problems/import', headings);
    expect(problems).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'RECTIFICATION_MISSING_COLUMNS',
        message: 'line 1: missing columns measures, responsible_leader',
      },
    });
    const matrix = await csv(
      '/api/responsibility-matrix/import',
      ' County_Code ,lead_department\n150821,教育局',
    );
    expect(matrix).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'MATRIX_MISSING_COLUMNS', message: 'line 1: missing columns front' },
    });
    await expect(sql('SELECT count(*)::int AS n FROM responsibility_entry')).resolves.toEqual([{ n: 0 }]);
  });

  it('reads an XLSX ledger by its Chinese headings: first sheet only, cells as their text, bad rows by row number', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('整改台账');
    sheet.addRow([
      '问题编号',
      '问题来源',
      '问题描述',
      '旗县区代码',
      '类别',
      '整改措施',
      '发现日期',
      '整改时限',
      '责任部门',
      '责任领导',
      '整改状态',
    ]);
    sheet.addRow([
      'X-01',
      '监督检查',
      { richText: [{ text: '送教' }, { text: '记录缺失', font: { bold: true } }] },
      150821,
      '控辍保学',
      '补齐记录',
      '2020-03-02',
      null,
      '特教股',
      '王刚',
      '整改中',
    ]);
    sheet.addRow(['  ']);
    sheet.addRow(['X-02', 'inspection', '描述', 150821, 'aid', '措施', '2020-02-30', '', '资助中心', '赵敏']);
    book.addWorksheet('说明').addRow(['问题编号', '备注']);
    const form = new FormData();
    form.append('file', new Blob([await book.xlsx.writeBuffer()], { type: XLSX }), '整改台账.xlsx');
    const res = await post('/api/rectification/problems/import', form);
    expect(res.body).toEqual({
      received: 2,
      created: 1,
      updated: 0,
      unchanged: 0,
      rejected: [{ line: 4, field: 'found_on', reason: 'must be a date (YYYY-MM-DD)' }],
    });
    await expect(
      sql(
        `SELECT source, description, county_code, front, found_on::text, deadline::text
           FROM rectification_problem WHERE ref = 'X-01'`,
      ),
    ).resolves.toEqual([
      {
        source: 'inspection',
        description: '送教记录缺失',
        county_code: '150821',
        front: 'dropout',
        found_on: '2020-03-02',
        deadline: '2020-06-30',
      },
    ]);

    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('整改台账');
    const refused = await post(
      '/api/rectification/problems/import',
      Buffer.from(await empty.xlsx.writeBuffer()),
      XLSX,
    );
    expect(refused).toMatchObject({
      status: 400,
      body: { error: 'RECTIFICATION_MALFORMED_FILE', message: 'the first worksheet is empty' },
    });
  });
});
