// `govarch replay` in headless chromium: the archived home page renders
// with its stylesheet applied (the replica's CSS sets body's font-family to
// "Fira Sans" and .site-header's background image) and its images loaded;
// a click on a menu link stays under the replay server's /TIMESTAMP/ space;
// every request the pages make goes to the replay server (or data:/blob:);
// the calendar page's SVG timeline is visible (screenshot calendar.png).
//   node replay.mjs BASE TS HOME-URL SHOTDIR
import { chromium } from 'playwright-core';

const [base, ts, home, shots] = process.argv.slice(2);
const origin = new URL(base).origin;
const fail = (msg) => { console.error(`FAIL: ${msg}`); process.exit(1); };
const inArchive = (u) => {
  const x = new URL(u);
  return x.origin === origin && /^\/\d{1,14}[a-z_]*\/https?:/.test(x.pathname + x.search);
};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu',
         '--disable-background-networking'],
});
const elsewhere = [];
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  context.on('request', (r) => {
    const u = r.url();
    if (u.startsWith('data:') || u.startsWith('blob:')) return;
    if (new URL(u).origin !== origin) elsewhere.push(u);
  });
  const resp = await page.goto(`${base}/${ts}/${home}`, { waitUntil: 'load' });
  if (!resp || resp.status() !== 200) fail(`/${ts}/${home}: status ${resp && resp.status()}`);
  if (!inArchive(page.url())) fail(`the home page left the archive: ${page.url()}`);

  // the archived stylesheet is applied
  const css = await page.evaluate(() => {
    const h = document.querySelector('.site-header');
    return {
      font: getComputedStyle(document.body).fontFamily,
      header: h ? getComputedStyle(h).backgroundImage : '(no .site-header)',
    };
  });
  if (!css.font.includes('Fira Sans')) fail(`body font-family is ${css.font}: the stylesheet was not applied`);
  if (!css.header.includes('header-background.png')) fail(`.site-header background is ${css.header}`);
  // its images are loaded (scrolled to first: the replica's figures are
  // loading="lazy")
  await page.evaluate(async () => {
    for (const i of document.images) {
      i.scrollIntoView();
      await i.decode().catch(() => {});
    }
    window.scrollTo(0, 0);
  });
  const imgs = await page.evaluate(() => [...document.images]
    .filter((i) => !i.closest('#govarch-banner, [data-govarch-banner]'))
    .map((i) => [i.currentSrc || i.src, i.complete && i.naturalWidth > 0]));
  if (!imgs.length) fail('the home page shows no image');
  const broken = imgs.filter(([, ok]) => !ok).map(([s]) => s);
  if (broken.length) fail(`images not loaded: ${broken.slice(0, 3).join(' ')}`);
  await page.screenshot({ path: `${shots}/replay-home.png` });

  // a menu link stays in the archive
  const link = page.locator('nav a[href], .navigation a[href]').filter({ hasNotText: /^\s*$/ });
  const n = await link.count();
  let clicked = null;
  for (let i = 0; i < n && !clicked; i++) {
    const a = link.nth(i);
    const href = await a.evaluate((e) => e.href);
    if (!(await a.isVisible()) || href.endsWith(home) || href.includes('#')) continue;
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), a.click()]);
    clicked = href;
  }
  if (!clicked) fail('no visible menu link to click');
  if (!inArchive(page.url())) fail(`the menu link ${clicked} led out of the archive: ${page.url()}`);
  console.log(`menu link: ${clicked} -> ${page.url()}`);

  // the calendar's timeline
  const cal = await page.goto(`${base}/calendar/${home}`, { waitUntil: 'load' });
  if (!cal || cal.status() !== 200) fail(`/calendar/${home}: status ${cal && cal.status()}`);
  const svg = page.locator('svg').first();
  if (!(await svg.count())) fail('the calendar has no SVG timeline');
  if (!(await svg.isVisible())) fail('the calendar SVG is not visible');
  const box = await svg.boundingBox();
  if (!box || box.width < 50 || box.height < 10) fail(`the calendar SVG is ${JSON.stringify(box)}`);
  await page.screenshot({ path: `${shots}/calendar.png`, fullPage: true });

  if (elsewhere.length) fail(`requests outside the replay server: ${[...new Set(elsewhere)].slice(0, 5).join(' ')}`);
  console.log(`ok: replay: CSS, ${imgs.length} images, menu link, calendar; no request elsewhere`);
} finally {
  await browser.close();
}
