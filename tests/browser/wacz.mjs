// A WACZ exported by govarch opens in ReplayWeb.page: headless chromium
// loads an index.html embedding <replay-web-page source="/export.wacz"
// url="HOME">, waits for ReplayWeb.page's service worker (not always active
// on the first load: then reload once), and the archived home page must
// appear in the replay frame with its title and text, its stylesheet
// applied and its images loaded.
//   node wacz.mjs BASE HOME-URL TITLE TEXT SCREENSHOT
import { chromium } from 'playwright-core';

const [base, home, title, text, shot] = process.argv.slice(2);
const fail = (msg) => { console.error(`FAIL: ${msg}`); process.exit(1); };

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu',
         '--disable-background-networking'],
});
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/index.html`);
  // the embed registers its worker under /replay/
  const deadline = Date.now() + 30000;
  while (!context.serviceWorkers().some((w) => w.url().includes('/replay/sw.js'))) {
    if (Date.now() > deadline) fail('the ReplayWeb.page service worker never started');
    await page.waitForTimeout(200);
  }
  // The replayed page: a frame whose URL is the home page under the
  // worker's /replay/w/ space.  After a first load without an active
  // worker the frame stays empty: reload once.
  const find = async (ms) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      for (const f of page.frames()) {
        if (!f.url().includes('/replay/w/') || !f.url().endsWith(home)) continue;
        try {
          if ((await f.title()) === title) return f;
        } catch { /* navigating */ }
      }
      await page.waitForTimeout(250);
    }
    return null;
  };
  let frame = await find(10000);
  if (!frame) {
    console.log('replay frame not shown on the first load: reloading once');
    await page.reload();
    frame = await find(60000);
  }
  if (!frame) {
    console.error('frames:', page.frames().map((f) => f.url()).join(' '));
    fail(`the archived home page (title "${title}") never appeared in the replay frame`);
  }
  const body = await frame.evaluate(() => document.body.innerText);
  if (!body.includes(text)) fail(`the replay frame lacks "${text}"`);
  // the archived stylesheet and logo came out of the WACZ too
  const look = await frame.evaluate(() => ({
    font: getComputedStyle(document.body).fontFamily,
    logo: [...document.images].filter((i) => i.complete && i.naturalWidth > 0).length,
  }));
  if (!look.font.includes('Fira Sans')) fail(`body font-family ${look.font}: the stylesheet was not replayed`);
  if (!look.logo) fail('no image of the page was replayed');
  await page.screenshot({ path: shot, fullPage: false });
  console.log(`ok: ${frame.url()}: "${title}"`);
} finally {
  await browser.close();
}
