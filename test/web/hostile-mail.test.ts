import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { login, signUp, type Harness } from '../admin-api/helpers.js';
import { launchBrowser, screenshot, startWebStack, watchedPage, type PageGlobals, type WebStack } from './harness.js';

/**
 * Hostile mail in the reading view, asserted in Chromium: script tags, event handlers,
 * `javascript:` links, CSS tricks, forms, frames and remote resources show nothing executable
 * and load nothing remote; remote images load only after "Show images", and still nothing runs.
 */

const PASSWORD = 'correct horse battery';

function hostileHtml(remote: string): string {
  return `<html><head>
<meta http-equiv="refresh" content="0;url=${remote}/refresh">
<base href="${remote}/base/">
<link rel="stylesheet" href="${remote}/link.css">
<style>@import url(${remote}/import.css); body { background: url(${remote}/style-bg.png) } p { color: expression(alert('css-expression')) }</style>
<script>window.top.pwned = 'script'; alert('script')</script>
</head><body onload="alert('onload')">
<p id="hello">Hostile hello</p>
<img src="${remote}/pixel.png" alt="remote pixel" width="10" height="10">
<img src="x" onerror="window.top.pwned='onerror'; alert('onerror')">
<a href="javascript:alert('js-link')" id="jslink">click me</a>
<a href="JaVaScRiPt&colon;alert('entity-link')" id="jslink2">or me</a>
<a href="${remote}/page">a normal link</a>
<div style="background-image:url('${remote}/div-bg.png');position:fixed;top:0;left:0;width:100%;height:100%;z-index:99">overlay</div>
<svg onload="alert('svg')"><script>alert('svg-script')</script></svg>
<iframe src="${remote}/frame"></iframe>
<object data="${remote}/object"></object>
<embed src="${remote}/embed">
<form action="${remote}/form"><input name="q" value="x"><button id="go">go</button></form>
<video src="${remote}/video.mp4" autoplay></video>
<img srcset="${remote}/srcset.png 1x">
<math><mtext><table><mglyph><style><img src=x onerror="alert('mxss')"></style></mglyph></table></mtext></math>
<noscript><p title="</noscript><img src=x onerror=alert('noscript')>"></p></noscript>
</body></html>`;
}

describe('hostile mail in the browser', { timeout: 300_000 }, () => {
  let stack: WebStack;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let problems: string[];
  let remote: http.Server;
  let remoteBase: string;
  const hits: string[] = [];

  before(async () => {
    remote = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
      res.writeHead(200, { 'content-type': req.url?.endsWith('.png') ? 'image/png' : 'text/plain' }).end(req.url?.endsWith('.png') ? png : 'x');
    });
    await new Promise<void>((r) => remote.listen(0, '127.0.0.1', r));
    remoteBase = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;

    stack = await startWebStack();
    const h = { base: stack.base, sms: stack.sms } as unknown as Harness;
    const eve = await signUp(h, 'eve', PASSWORD);
    const mx = nodemailer.createTransport({ host: '127.0.0.1', port: stack.smtpPort, secure: false, ignoreTLS: true });
    await mx.sendMail({ from: 'mallory@remote.test', to: eve.address, subject: 'Totally normal newsletter', text: 'Hostile hello (text part)', html: hostileHtml(remoteBase) });
    mx.close();

    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Sign in through the API and hand the browser the session cookie (the UI sign-in is covered by webmail.test.ts).
    const token = await login(h, 'eve', PASSWORD, eve.phone);
    const r = await fetch(`${stack.base}/v1/session`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('heron_session='))!.split(';')[0]!.split('=')[1]!;
    await ctx.addCookies([{ name: 'heron_session', value: cookie, url: stack.base, httpOnly: true, sameSite: 'Strict' }]);
    ({ page, problems } = await watchedPage(ctx));
  });
  after(async () => {
    await browser?.close();
    await stack?.close();
    await new Promise<void>((r) => remote.close(() => r()));
  });

  const frameState = () =>
    page.frameLocator('iframe.message-frame').locator('body').evaluate((body) => {
      const doc = body.ownerDocument;
      const all = [...doc.querySelectorAll('*')];
      return {
        scripts: doc.querySelectorAll('script').length,
        handlers: all.filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).map((el) => el.tagName),
        jsLinks: [...doc.querySelectorAll('a')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
        // The head is the frame's own (charset, referrer policy, styles); nothing of the mail may add to it.
        active: body.querySelectorAll('iframe, frame, object, embed, form, input, button, meta, base, link, video, audio, svg, math, style').length + doc.querySelectorAll('meta[http-equiv], base, link, script').length,
        imgs: [...doc.querySelectorAll('img')].map((i) => i.getAttribute('src') ?? ''),
        text: body.innerText,
      };
    });

  test('nothing runs and nothing remote loads before images are allowed', async () => {
    await page.goto(stack.base + '/');
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.locator('.conversations .row-link', { hasText: 'Totally normal newsletter' }).click();
    const frame = page.frameLocator('iframe.message-frame');
    await frame.getByText('Hostile hello').waitFor();
    const sandbox = await page.locator('iframe.message-frame').getAttribute('sandbox');
    assert.ok(sandbox && !/allow-scripts|allow-forms|allow-top-navigation/.test(sandbox), `sandbox: ${sandbox}`);

    // Click what looks clickable; nothing may execute.
    for (const sel of ['#jslink', '#jslink2']) {
      const link = frame.locator(sel);
      if (await link.count()) await link.click({ timeout: 2000 }).catch(() => undefined);
    }
    await page.waitForTimeout(1500);
    const s = await frameState();
    assert.equal(s.scripts, 0);
    assert.deepEqual(s.handlers, []);
    assert.equal(s.jsLinks, 0);
    assert.equal(s.active, 0);
    assert.ok(s.imgs.every((src) => !src.startsWith(remoteBase)), `remote images still in the document: ${s.imgs.join(', ')}`);
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).pwned), undefined);
    assert.deepEqual(hits, [], 'no request reached the remote server');
    assert.deepEqual(problems.filter((p) => p.startsWith('dialog')), []);
    assert.match(page.url(), /\/mail\//, 'the page was not navigated away');
    await page.getByText('Images from the web are hidden').waitFor();
    await screenshot(page, 'hostile-blocked');
  });

  test('after "Show images" remote images load, and still nothing executes', async () => {
    await page.getByRole('button', { name: 'Show images' }).click();
    const deadline = Date.now() + 10_000;
    while (!hits.includes('/pixel.png') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.ok(hits.includes('/pixel.png'), `the remote image loaded once allowed (hits: ${hits.join(', ')})`);
    await page.waitForTimeout(1000);
    // Images only: never a script, style sheet, frame, object, form target, refresh or link target.
    const notImages = hits.filter((u) => !/\.png$/.test(u));
    assert.deepEqual(notImages, []);
    const s = await frameState();
    assert.equal(s.scripts, 0);
    assert.deepEqual(s.handlers, []);
    assert.equal(s.active, 0);
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).pwned), undefined);
    assert.deepEqual(problems.filter((p) => p.startsWith('dialog') || p.startsWith('page error')), []);
    await screenshot(page, 'hostile-images-allowed');
  });

  test('the frame document cannot be turned into a script context when opened on its own', async () => {
    const src = await page.locator('iframe.message-frame').getAttribute('src');
    const direct = await ctx.newPage();
    const dialogs: string[] = [];
    direct.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      const res = await direct.goto(stack.base + src);
      assert.match(res!.headers()['content-security-policy'] ?? '', /sandbox/);
      await direct.getByText('Hostile hello').waitFor();
      await direct.waitForTimeout(500);
      assert.deepEqual(dialogs, []);
      assert.equal(await direct.evaluate(() => (globalThis as unknown as PageGlobals).document.querySelectorAll('script').length), 0);
    } finally {
      await direct.close();
    }
  });
});
