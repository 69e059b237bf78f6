import { DEV_AUTH_DEFAULTS, signToken, type Principal } from '@edu/auth';
import { residentIdCheckChar } from '@edu/contracts';
import type { ConsoleStack } from './console-stack.js';

/**
 * Data for the console's browser tests and screenshots, made by code and entered the way the
 * bureau's own clients would: through each service's API. Nothing here is real.
 */

export const WUYUAN = '150821';
export const DENGKOU = '150822';

export function residentId(region: string, birth: string, seq: number): string {
  const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** A date `days` from today in Beijing, YYYY-MM-DD. */
export function dayFromToday(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** A school-age birth date: `years` ago (minus a few days, so the ID numbers differ). */
export function childBirth(years: number, days = 0): string {
  const d = new Date(Date.now() + 8 * 3_600_000 - days * 86_400_000);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
}

const compact = (date: string) => date.replace(/-/g, '');

export function token(p: Principal): Promise<string> {
  return signToken(p, DEV_AUTH_DEFAULTS, '2h');
}

export const OFFICIALS = [
  'official_id,name,title,county_code,front,role,phone,email',
  'WY-DROP,钱伟,五原县教育局基础教育股股长,150821,dropout,responsible,13900000002,dropout.wuyuan@example.cn',
  'WY-AID,赵敏,五原县学生资助中心主任,150821,aid,responsible,13900000001,aid.wuyuan@example.cn',
  'WY-CON,李强,五原县教育局规划建设股股长,150821,construction,responsible,13900000006,build.wuyuan@example.cn',
  'WY-HEAD,孙强,五原县教育局局长,150821,all,bureau_head,13900000003,head.wuyuan@example.cn',
  'DK-DROP,王芳,磴口县教育局基础教育股股长,150822,dropout,responsible,13900000007,dropout.dengkou@example.cn',
  'DK-HEAD,周丽,磴口县教育局局长,150822,all,bureau_head,13900000004,head.dengkou@example.cn',
  'LH-HEAD,吴刚,临河区教育局局长,150802,all,bureau_head,13900000008,head.linhe@example.cn',
].join('\n');

export const POVERTY_HEADER =
  'household_id,id_number,name,birth_date,county_code,township,village,poverty_status,orphan,disability_level,relocation_site_code';

export interface PovertyFile {
  csv: string;
  /** Children of school age not in the student registry: each opens a case. */
  children: number;
  /** Lines (1 = the heading) the import must reject, with the field. */
  rejectedLines: { line: number; field: string }[];
}

/**
 * A poverty-registry file for one county: `adults` household members (no cases), a few
 * school-age children found nowhere in the student registry (cases), and rows the import must
 * refuse: another county's member and a wrong check digit.
 */
export function povertyFile(
  county: string,
  adults: number,
  children: number,
  foreignCounty = DENGKOU,
  site = '',
): PovertyFile {
  const lines = [POVERTY_HEADER];
  const names = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '黄敏', '赵军'];
  for (let i = 0; i < adults; i++) {
    const birth = new Date(Date.UTC(1965, 0, 1) + Math.floor(i / 900) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    lines.push(
      [
        `H${county}-${Math.floor(i / 3)}`,
        residentId(county, compact(birth), i % 900),
        names[i % names.length],
        birth,
        county,
        '隆兴昌镇',
        '联丰村',
        'registered_poor',
        'false',
        'none',
        '',
      ].join(','),
    );
  }
  for (let i = 0; i < children; i++) {
    const birth = childBirth(9 + (i % 5), i);
    lines.push(
      [
        `H${county}-C${i}`,
        residentId(county, compact(birth), 900 + i),
        `学生${i + 1}`,
        birth,
        county,
        '隆兴昌镇',
        '新丰村',
        'registered_poor',
        'false',
        i === 1 ? 'moderate' : 'none',
        site,
      ].join(','),
    );
  }
  const rejectedLines: PovertyFile['rejectedLines'] = [];
  const foreignBirth = childBirth(10, 40);
  lines.push(
    [
      `H${foreignCounty}-X`,
      residentId(foreignCounty, compact(foreignBirth), 1),
      '外县学生',
      foreignBirth,
      foreignCounty,
      '巴彦高勒镇',
      '南粮台村',
      'registered_poor',
      'false',
      'none',
      '',
    ].join(','),
  );
  rejectedLines.push({ line: lines.length, field: 'county_code' });
  const good = residentId(county, compact(childBirth(11, 50)), 999);
  const wrong = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
  lines.push(
    [
      `H${county}-Y`,
      wrong,
      '错号学生',
      childBirth(11, 50),
      county,
      '隆兴昌镇',
      '新丰村',
      'registered_poor',
      'false',
      'none',
      '',
    ].join(','),
  );
  rejectedLines.push({ line: lines.length, field: 'id_number' });
  return { csv: lines.join('\n') + '\n', children, rejectedLines };
}

/** Calls a service directly, as its own clients do. */
export async function callService<T>(
  stack: ConsoleStack,
  service: keyof ConsoleStack['urls'],
  path: string,
  bearer: string,
  init: { method?: string; body?: unknown; csv?: string } = {},
): Promise<T> {
  const res = await fetch(`${stack.urls[service]}/api${path}`, {
    method: init.method ?? (init.body !== undefined || init.csv !== undefined ? 'POST' : 'GET'),
    headers: {
      authorization: `Bearer ${bearer}`,
      'content-type': init.csv !== undefined ? 'text/csv' : 'application/json',
    },
    body: init.csv ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${service} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** Polls until `check` returns a value (not undefined), or fails naming what it waited for. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  ms = 90_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

interface Escalation {
  id: string;
  countyCode: string;
  front: string;
  status: string;
}

export function escalationOf(stack: ConsoleStack, admin: string, county: string, front: string) {
  return eventually(`the ${front} escalation of ${county}`, async () => {
    const list = await callService<Escalation[]>(
      stack,
      'supervision',
      `/escalations?county=${county}&front=${front}`,
      admin,
    );
    return list.find((e) => e.status === 'open');
  });
}

/** A fuller picture for the screenshots: every front of two counties has something on it. */
export async function seedDemo(stack: ConsoleStack, admin: string): Promise<void> {
  await callService(stack, 'supervision', '/officials/import', admin, { csv: OFFICIALS });
  for (const [county, n] of [
    [WUYUAN, 4],
    [DENGKOU, 2],
    ['150802', 1],
  ] as const) {
    const file = povertyFile(county, 30, n, county === WUYUAN ? DENGKOU : WUYUAN, `S${county}`);
    await callService(stack, 'dropout-control', '/registry/poverty/import', admin, { csv: file.csv });
  }
  const dueDate = dayFromToday(-20);
  const month = Number(dueDate.slice(5, 7));
  const year = Number(dueDate.slice(0, 4));
  const term = month >= 9 ? `${year}-autumn` : month >= 3 ? `${year}-spring` : `${year - 1}-autumn`;
  let seq = 100;
  for (const [county, count] of [
    [WUYUAN, 6],
    [DENGKOU, 3],
  ] as const) {
    for (let i = 0; i < count; i++) {
      const id = residentId(county, compact(childBirth(12, seq)), seq++);
      await callService(stack, 'student-aid', '/entitlements', admin, {
        body: {
          studentIdNumber: id,
          countyCode: county,
          schoolCode: `${county}-01`,
          policyCode: 'COMPULSORY_BOARDER_LIVING',
          term,
          amountDue: '625.00',
          dueDate,
        },
      });
      if (i % 3 === 0)
        await callService(stack, 'student-aid', '/payments', admin, {
          body: {
            studentIdNumber: id,
            policyCode: 'COMPULSORY_BOARDER_LIVING',
            term,
            amount: i === 0 ? '625.00' : '300.00',
            paidOn: dayFromToday(-25),
          },
        });
    }
  }
  await callService(stack, 'student-aid', '/sweeps/overdue', admin, { body: {} });
  const plan = (k: number[]) =>
    ['approval', 'tender', 'ground_breaking', 'structure_complete', 'acceptance', 'in_use'].map(
      (kind, i) => ({
        kind,
        plannedDate: dayFromToday(k[i]),
      }),
    );
  const project = await callService<{ id: string }>(stack, 'school-construction', '/projects', admin, {
    body: {
      code: 'WY-2026-001',
      name: '五原县易地扶贫搬迁安置点配套小学',
      kind: 'relocation_site_school',
      countyCode: WUYUAN,
      siteCode: `S${WUYUAN}`,
      funding: [
        { source: 'central', amount: '3000000.00' },
        { source: 'county', amount: '800000.00' },
      ],
      spentToDate: '2100000.00',
      seats: { primary: 270, junior: 0, preschool: 0 },
      capacityBeds: 120,
      milestones: plan([-240, -180, -120, -30, 40, 90]),
    },
  });
  for (const [kind, on] of [
    ['approval', -238],
    ['tender', -170],
    ['ground_breaking', -110],
  ] as const)
    await callService(
      stack,
      'school-construction',
      `/projects/${project.id}/milestones/${kind}/complete`,
      admin,
      {
        body: { completedOn: dayFromToday(on) },
      },
    );
  await callService(stack, 'school-construction', '/projects', admin, {
    body: {
      code: 'DK-2026-002',
      name: '磴口县乡镇寄宿制学校宿舍楼',
      kind: 'township_boarding_school',
      countyCode: DENGKOU,
      funding: [{ source: 'autonomous_region', amount: '1500000.00' }],
      milestones: plan([-200, -150, -90, 30, 90, 120]),
    },
  });
  await callService(stack, 'school-construction', '/sweeps/overdue', admin, { body: {} });
  for (const [ref, county, front, description] of [
    ['XS-2026-001', WUYUAN, 'aid', '部分学生资助资金未按时足额发放'],
    ['XS-2026-002', WUYUAN, 'archives', '控辍保学档案资料不完整'],
    ['XS-2026-003', DENGKOU, 'dropout', '疑似辍学学生未逐一核实'],
  ] as const)
    await callService(stack, 'supervision', '/rectification/problems', admin, {
      body: {
        ref,
        source: 'inspection',
        description,
        countyCode: county,
        front,
        measures: '逐户核对，限期整改到位',
        foundOn: dayFromToday(-60),
        deadline: ref.endsWith('1') ? dayFromToday(-5) : dayFromToday(30),
        leadDepartment: '学生资助管理中心',
        responsibleLeader: '赵敏',
      },
    });
  await callService(stack, 'supervision', '/sweeps/rectification-overdue', admin, { body: {} });
}
