import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { dropOf, launchChromium, signIn } from '../../scripts/console-browser.js';
import {
  callService,
  dayFromToday,
  DENGKOU,
  escalationOf,
  eventually,
  OFFICIALS,
  povertyFile,
  residentId,
  token,
  WUYUAN,
} from '../../scripts/console-demo.js';
import { startConsoleStack, type ConsoleStack } from '../../scripts/console-stack.js';

/*
 * The console in Debian's Chromium against the real system: five service processes on the
 * real Postgres and RabbitMQ, and the console in front of them. A county operator of 五原县
 * signs in, imports a poverty-registry file (progress to 100%, rejected rows listed and
 * downloaded), sees the new dropout breach reach the battle map, acknowledges the escalation,
 * and can neither see nor fetch anything of 磴口县.
 */

const BUDGET = 300 * 1024;

describe('operations console in the browser', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let admin: string;
  let operator: string;
  let context: BrowserContext;
  let page: Page;
  let otherEscalation: string;
  let otherCase: string;

  beforeAll(async () => {
    stack = await startConsoleStack();
    admin = await token({ sub: 'city.admin', role: 'city_admin' });
    operator = await token({ sub: 'wuyuan.op', role: 'county_operator', county: WUYUAN });
    await callService(stack, 'supervision', '/officials/import', admin, { csv: OFFICIALS });
    // 磴口县 has a breach of its own, escalated before 五原县's operator signs in.
    const opened = await callService<{ id: string }>(stack, 'dropout-control', '/cases', admin, {
      body: {
        studentIdNumber: residentId(DENGKOU, '20140612', 321),
        name: '磴口学生',
        countyCode: DENGKOU,
        schoolCode: 'DK-01',
        registeredPoor: true,
      },
    });
    otherCase = opened.id;
    otherEscalation = (await escalationOf(stack, admin, DENGKOU, 'dropout')).id;
    browser = await launchChromium();
    context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.stop();
  });

  it('signs a county operator in and shows their county only', async () => {
    await signIn(page, stack.consoleUrl, operator);
    await page.waitForSelector('article.county');
    expect(
      await page
        .locator('article.county')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-county'))),
    ).toEqual([WUYUAN]);
    await expect(page.locator('[data-testid=who]').innerText()).resolves.toContain('五原县');
    expect(await page.locator('body').innerText()).not.toContain('磴口');
    await expect(page.locator(`[data-testid=open-dropout]`).innerText()).resolves.toBe('0');
  });

  it('imports a dropped file with a live progress bar to 100%, then lists and downloads the rejected rows', async () => {
    const file = povertyFile(WUYUAN, 20_000, 3);
    await page.click('nav >> text=数据导入');
    await page.waitForSelector('[data-testid=dropzone]');
    // Every value the bar shows, as it shows it.
    await page.evaluate(`window.__progress = [];
      new MutationObserver(() => {
        const bar = document.querySelector('[role=progressbar]');
        if (bar) window.__progress.push(Number(bar.getAttribute('aria-valuenow')));
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });`);
    const drop = await page.evaluateHandle(dropOf('建档立卡人口.csv', file.csv));
    await page.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer: drop });
    await page.waitForSelector('[role=progressbar][aria-valuenow="100"]', { timeout: 120_000 });
    const seen = await page.evaluate<number[]>('window.__progress');
    expect(seen.at(-1)).toBe(100);
    expect(seen.every((v, i) => i === 0 || v >= seen[i - 1])).toBe(true);
    expect(seen.some((v) => v > 0 && v < 100)).toBe(true);

    await expect(page.locator('[data-testid=rejected-count]').innerText()).resolves.toBe('2');
    const rows = await page.locator('table[aria-label=错误行] tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(String(file.rejectedLines[0].line));
    expect(rows[0]).toContain('county_code');
    expect(rows[1]).toContain('id_number');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('text=下载错误行（CSV）'),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('\ufeff行号,字段,原因');
    for (const { line, field } of file.rejectedLines)
      expect(csv).toMatch(new RegExp(`^${line},${field},`, 'm'));
    // Names and ID numbers of children never appear among the reasons.
    expect(csv).not.toMatch(/\d{17}[\dX]/);
  });

  it('shows the breach the import caused on the battle map', async () => {
    await page.click('nav >> text=作战图');
    // The map refreshes itself; the new cases reach supervision through the broker.
    const open = page.locator('[data-testid=open-dropout]');
    await eventually('three open dropout breaches on the map', async () =>
      Number(await open.innerText()) >= 3 ? true : undefined,
    );
    const tile = page.locator(`article[data-county="${WUYUAN}"] a.tile`).first();
    await expect(tile.getAttribute('class')).resolves.toContain('tile-amber');
    await expect(tile.innerText()).resolves.toContain('存在未销号问题');
  });

  it('acknowledges the escalation', async () => {
    const mine = await escalationOf(stack, admin, WUYUAN, 'dropout');
    await page.click('nav >> text=督办');
    const row = page.locator('table[aria-label=督办] tbody tr', { hasText: '控辍保学' });
    await row.locator('button', { hasText: '确认收悉' }).click();
    await row.locator('textarea[name=note]').fill('已收悉，正在逐户劝返');
    await row.locator('button', { hasText: '确定' }).click();
    await row.locator('[data-testid=acknowledged]').waitFor();
    const after = await callService<{
      acknowledgedAt: string | null;
      acknowledgements: { by: string; note: string }[];
    }>(stack, 'supervision', `/escalations/${mine.id}`, admin);
    expect(after.acknowledgedAt).not.toBeNull();
    expect(after.acknowledgements).toEqual([
      expect.objectContaining({ by: 'wuyuan.op', note: '已收悉，正在逐户劝返' }),
    ]);
    expect(await page.locator('table[aria-label=督办] tbody tr').count()).toBe(1);
  });

  it('offers a case only the moves its state allows', async () => {
    await page.goto(`${stack.consoleUrl}/dropout`);
    await page.locator('table[aria-label=控辍保学] tbody tr').first().click();
    const moves = page.locator('[data-testid=case-moves] > .action > button');
    await page.waitForSelector('[data-testid=case-moves]');
    expect(await moves.allInnerTexts()).toEqual(['核实', '登记劝返', '重新评估残疾程度']);
    await page.click('button:has-text("核实")');
    await page.selectOption('form[aria-label=核实] select[name=reason]', 'poverty');
    await page.click('form[aria-label=核实] button[type=submit]');
    await page.locator('[data-testid=case-state]', { hasText: '已核实' }).waitFor();
    expect(await moves.allInnerTexts()).toEqual(['制定劝返方案', '登记劝返', '重新评估残疾程度']);
  });

  it('closes a rectification problem only with a second person', async () => {
    const problem = await callService<{ id: string }>(
      stack,
      'supervision',
      '/rectification/problems',
      admin,
      {
        body: {
          ref: 'XS-T-001',
          source: 'inspection',
          description: '资助资金发放台账不完整',
          countyCode: WUYUAN,
          front: 'aid',
          measures: '补齐台账',
          deadline: dayFromToday(30),
          leadDepartment: '学生资助管理中心',
          responsibleLeader: '赵敏',
        },
      },
    );
    await page.goto(`${stack.consoleUrl}/rectification/${problem.id}`);
    await page.click('button:has-text("补充佐证材料")');
    await page.fill('form[aria-label=补充佐证材料] input[name=reference]', '五教发〔2026〕7号');
    await page.click('form[aria-label=补充佐证材料] button[type=submit]');
    await page.locator('table[aria-label=佐证材料] tbody tr').waitFor();
    await page.click('button:has-text("申请销号")');
    await page.locator('[data-testid=problem-status]', { hasText: '待销号审核' }).waitFor();
    // The one who asked sees no way to approve it.
    expect(await page.locator('button:has-text("审核销号")').count()).toBe(0);

    const second = await browser.newContext({ locale: 'zh-CN' });
    const p = await second.newPage();
    const colleague = await token({ sub: 'wuyuan.op2', role: 'county_operator', county: WUYUAN });
    await signIn(p, stack.consoleUrl, colleague, `/rectification/${problem.id}`);
    await p.click('button:has-text("审核销号")');
    await p.locator('[data-testid=problem-status]', { hasText: '已销号' }).waitFor();
    await second.close();
    const closed = await callService<{ status: string; closedBy: string }>(
      stack,
      'supervision',
      `/rectification/problems/${problem.id}`,
      admin,
    );
    expect(closed).toMatchObject({ status: 'closed', closedBy: 'wuyuan.op2' });
  });

  it("neither shows nor serves another county's data", async () => {
    const probe = async (method: string, path: string) =>
      page.evaluate<{ status: number; body: string }>(
        `fetch(${JSON.stringify(path)}, { method: ${JSON.stringify(method)}, credentials: 'same-origin',
           headers: { 'content-type': 'application/json' }, body: ${method === 'GET' ? 'undefined' : "'{}'"} })
         .then(async (r) => ({ status: r.status, body: await r.text() }))`,
      );
    expect((await probe('GET', `/api/supervision/escalations?county=${DENGKOU}`)).status).toBe(403);
    expect((await probe('GET', `/api/supervision/escalations/${otherEscalation}`)).status).toBe(404);
    expect((await probe('POST', `/api/supervision/escalations/${otherEscalation}/ack`)).status).toBe(404);
    expect((await probe('GET', `/api/supervision/battle-map?county=${DENGKOU}`)).status).toBe(403);
    expect((await probe('GET', `/api/supervision/battle-map/history?county=${DENGKOU}`)).status).toBe(403);
    expect((await probe('GET', `/api/dropout-control/cases/${otherCase}`)).status).toBe(404);
    expect((await probe('GET', `/api/dropout-control/cases?county=${DENGKOU}`)).status).toBe(403);
    expect((await probe('GET', `/api/notifications/notifications?county=${DENGKOU}`)).status).toBe(403);
    const all = JSON.parse((await probe('GET', '/api/supervision/escalations')).body) as {
      countyCode: string;
    }[];
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((e) => e.countyCode === WUYUAN)).toBe(true);
    const map = (await probe('GET', '/api/supervision/battle-map')).body;
    expect(map).not.toContain(DENGKOU);

    // An address naming the other county shows the operator's own county instead.
    await page.goto(`${stack.consoleUrl}/escalations?county=${DENGKOU}`);
    await page.waitForSelector('table[aria-label=督办] tbody tr');
    expect(await page.locator('body').innerText()).not.toContain('磴口');
    await page.goto(`${stack.consoleUrl}/dropout/cases/${otherCase}`);
    await page.waitForSelector('[role=alert]');
    expect(await page.locator('body').innerText()).not.toContain('磴口学生');
  });

  it('shows a viewer no actions and no imports', async () => {
    const viewer = await browser.newContext({ locale: 'zh-CN' });
    const p = await viewer.newPage();
    await signIn(p, stack.consoleUrl, await token({ sub: 'viewer', role: 'viewer' }), '/escalations');
    await p.waitForSelector('table[aria-label=督办] tbody tr');
    const rows = await p.locator('table[aria-label=督办] tbody tr').count();
    expect(rows).toBeGreaterThanOrEqual(2);
    // Paged by the service, which counts them all.
    expect(await p.locator('nav.pager').innerText()).toContain(`第 1–${rows} 条，共 ${rows} 条`);
    expect(await p.locator('button', { hasText: '确认收悉' }).count()).toBe(0);
    expect(await p.locator('nav >> text=数据导入').count()).toBe(0);
    await p.goto(`${stack.consoleUrl}/imports`);
    await p.waitForSelector('text=没有这个页面');
    await viewer.close();
  });

  it('loads the battle map, chart included, in under 300 KiB of compressed JavaScript', async () => {
    const fresh = await browser.newContext({ locale: 'zh-CN' });
    const p = await fresh.newPage();
    const scripts: { url: string; encoding: string | undefined; bytes: number }[] = [];
    p.on('response', (r) => {
      if (/\/assets\/.+\.js$/.test(r.url()))
        void r
          .body()
          .then((b) =>
            scripts.push({ url: r.url(), encoding: r.headers()['content-encoding'], bytes: b.length }),
          );
    });
    await signIn(p, stack.consoleUrl, operator);
    await p.locator('.chart canvas').waitFor();
    await p.waitForLoadState('networkidle');
    const sizes = await p.evaluate<{ name: string; encoded: number; decoded: number }[]>(
      `performance.getEntriesByType('resource').filter((e) => /\\/assets\\/.+\\.js$/.test(e.name)).map((e) => ({ name: e.name, encoded: e.encodedBodySize, decoded: e.decodedBodySize }))`,
    );
    const compressed = sizes.reduce((n, s) => n + s.encoded, 0);
    process.stdout.write(
      `battle map first load: ${sizes.length} scripts, ${(compressed / 1024).toFixed(1)} KiB gzip (${(sizes.reduce((n, s) => n + s.decoded, 0) / 1024).toFixed(1)} KiB raw)\n`,
    );
    expect(sizes.length).toBeGreaterThan(0);
    expect(scripts.every((s) => s.encoding === 'gzip')).toBe(true);
    expect(compressed).toBeLessThan(BUDGET);
    // What the build measured is what the browser loaded.
    const report = JSON.parse(readFileSync('dist/console/public/bundle-report.json', 'utf8')) as {
      battleMap: { files: string[]; gzipBytes: number };
    };
    expect(sizes.map((s) => new URL(s.name).pathname.slice(1)).sort()).toEqual(
      [...report.battleMap.files].sort(),
    );
    await fresh.close();
  });

  it('pages the case ledger on the server', async () => {
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/dropout-control/cases?')) asked.push(r.url());
    });
    await page.goto(`${stack.consoleUrl}/dropout`);
    await page.waitForSelector('table[aria-label=控辍保学] tbody tr');
    expect(await page.locator('table[aria-label=控辍保学] tbody tr').count()).toBe(3);
    // The total comes from the service's X-Total-Count; the page asked for one page.
    await expect(page.locator('.pager span').innerText()).resolves.toBe('第 1–3 条，共 3 条');
    expect(new URL(asked[0]).searchParams.get('limit')).toBe('20');
    expect(new URL(asked[0]).searchParams.get('offset')).toBe('0');
    expect(new URL(asked[0]).searchParams.get('county')).toBe(WUYUAN);
  });

  it('pages the recent imports of the three services as one list', async () => {
    const asked: string[] = [];
    page.on('request', (r) => {
      if (/\/api\/[a-z-]+\/imports\?/.test(r.url())) asked.push(r.url());
    });
    await page.goto(`${stack.consoleUrl}/imports`);
    await page.waitForSelector('table[aria-label=最近导入] tbody tr');
    const rows = await page.locator('table[aria-label=最近导入] tbody tr').count();
    expect(rows).toBeGreaterThanOrEqual(1);
    // The total is the sum of the services' X-Total-Count; each was asked for the first page.
    await expect(page.locator('nav.pager span').innerText()).resolves.toBe(`第 1–${rows} 条，共 ${rows} 条`);
    expect(asked.map((u) => new URL(u).pathname).sort()).toEqual([
      '/api/dropout-control/imports',
      '/api/school-construction/imports',
      '/api/student-aid/imports',
    ]);
    for (const u of asked) {
      expect(new URL(u).searchParams.get('limit')).toBe('20');
      expect(new URL(u).searchParams.get('offset')).toBe('0');
    }
  });

  it("gives the aid auditors' entitlement runs a pager of their own", async () => {
    const auditor = await browser.newContext({ locale: 'zh-CN' });
    const p = await auditor.newPage();
    const asked: string[] = [];
    p.on('request', (r) => {
      if (r.url().includes('/api/student-aid/entitlement-runs?')) asked.push(r.url());
    });
    const auditorToken = await token({ sub: 'aid.auditor', role: 'aid_auditor' });
    await signIn(p, stack.consoleUrl, auditorToken, '/aid?tab=queue&term=2026-autumn&runsOffset=20');
    // No run on the second page: the empty list says so, and its pager offers "previous".
    await p.waitForSelector('text=2026-autumn 学期暂无资助测算');
    // The runs' pager and the grants' pager.
    await p.locator('nav.pager').nth(1).waitFor();
    const first = new URL(asked[asked.length - 1]).searchParams;
    expect([first.get('term'), first.get('limit'), first.get('offset')]).toEqual(['2026-autumn', '20', '20']);
    // "Previous" on the runs' pager moves the runs' offset only.
    const again = p.waitForRequest((r) => r.url().includes('/api/student-aid/entitlement-runs?'));
    await p.locator('nav.pager').first().locator('button').first().click();
    expect(new URL((await again).url()).searchParams.get('offset')).toBe('0');
    expect(new URL(p.url()).searchParams.has('runsOffset')).toBe(false);
    await auditor.close();
  });
});
