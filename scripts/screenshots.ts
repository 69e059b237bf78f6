import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { dropOf, launchChromium, signIn } from './console-browser.js';
import { callService, DENGKOU, escalationOf, povertyFile, seedDemo, token, WUYUAN } from './console-demo.js';
import { startConsoleStack } from './console-stack.js';

/**
 * `npm run screenshots`: starts the whole system with demonstration data on this machine's
 * Postgres and RabbitMQ, and writes a screenshot of each console page to docs/screenshots/.
 */
const OUT = 'docs/screenshots';

async function settle(page: Page) {
  await page.waitForLoadState('networkidle');
  for (let i = 0; i < 100 && (await page.locator('text=加载中…').count()) > 0; i++)
    await page.waitForTimeout(200);
  // Charts draw on a canvas once ECharts has loaded.
  const charts = await page.locator('.chart').count();
  if (charts > 0) await page.locator('.chart canvas').first().waitFor();
  await page.waitForTimeout(400);
}

async function shot(page: Page, name: string, path: string) {
  await page.goto(path);
  await settle(page);
  await page.screenshot({ path: `${OUT}/${name}.png` });
  process.stdout.write(`${OUT}/${name}.png\n`);
}

const stack = await startConsoleStack();
const browser = await launchChromium();
try {
  mkdirSync(OUT, { recursive: true });
  const admin = await token({ sub: 'city.admin', role: 'city_admin' });
  await seedDemo(stack, admin);
  const esc = await escalationOf(stack, admin, WUYUAN, 'dropout');
  await escalationOf(stack, admin, DENGKOU, 'dropout');
  const cases = await callService<{ id: string; name: string }[]>(
    stack,
    'dropout-control',
    `/cases?county=${WUYUAN}`,
    admin,
  );
  const kase = cases[0];
  await callService(stack, 'dropout-control', `/cases/${kase.id}/verify`, admin, {
    body: { reason: 'poverty' },
  });
  await callService(stack, 'dropout-control', `/cases/${kase.id}/attempts`, admin, {
    body: {
      attemptedOn: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
      persuaders: [{ name: '刘老师', role: 'school' }],
      method: 'home_visit',
      outcome: 'undecided',
      note: '家长同意下周再谈',
    },
  });
  const interviews = await callService<{ id: string }[]>(
    stack,
    'supervision',
    `/interviews?county=${WUYUAN}`,
    admin,
  );
  const projects = await callService<{ id: string }[]>(
    stack,
    'school-construction',
    `/projects?county=${WUYUAN}`,
    admin,
  );

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const go = (path: string) => `${stack.consoleUrl}${path}`;
  await signIn(page, stack.consoleUrl, admin);
  await shot(page, '01-battle-map', go('/'));
  await shot(page, '02-dropout-ledger', go('/dropout'));
  await shot(page, '03-dropout-case', go(`/dropout/cases/${kase.id}`));
  await shot(page, '04-aid', go('/aid'));
  await shot(page, '05-construction', go('/construction'));
  if (projects[0]) await shot(page, '06-project-timeline', go(`/construction/projects/${projects[0].id}`));
  await shot(page, '07-construction-sites', go('/construction?tab=sites'));
  await shot(page, '08-escalations', go('/escalations'));
  await shot(page, '09-escalation', go(`/escalations/${esc.id}`));
  if (interviews[0]) await shot(page, '10-interview', go(`/interviews/${interviews[0].id}`));
  await shot(page, '11-rectification', go('/rectification'));
  await context.close();

  // The imports page as a county operator sees it after dropping a file with bad rows.
  const operator = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const op = await operator.newPage();
  await signIn(
    op,
    stack.consoleUrl,
    await token({ sub: 'wuyuan.op', role: 'county_operator', county: WUYUAN }),
    '/imports',
  );
  const file = povertyFile(WUYUAN, 2000, 1);
  const drop = await op.evaluateHandle(dropOf('建档立卡人口-五原县.csv', file.csv));
  await op.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer: drop });
  await op.waitForSelector('[data-testid=import-result]');
  await settle(op);
  await op.screenshot({ path: `${OUT}/12-imports.png` });
  process.stdout.write(`${OUT}/12-imports.png\n`);
  await operator.close();
} finally {
  await browser.close();
  await stack.stop();
}
