import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { generate as totpCode } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { call, signUp, type Harness } from '../admin-api/helpers.js';
import { axeViolations, launchBrowser, screenshot, startWebStack, watchedPage, type PageGlobals, type WebStack } from './harness.js';

/**
 * Issue 13's "Done means", in Debian's Chromium: register with the SMS code from the webhook
 * sink, sign in with the second factor (SMS, then TOTP after enrolling it), set a signature,
 * receive mail over SMTP while the inbox is open, open it, reply with an attachment (and undo a
 * send), search with from: and has:attachment, move it, send to a contact group, sign out and
 * see the old session refused. axe-core checks every page; screenshots go to .tmp/web-screenshots.
 */

const PASSWORD = 'correct horse battery';
const PHONE = '+15557770001';

describe('web mail in Chromium', { timeout: 600_000 }, () => {
  let stack: WebStack;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let problems: string[];
  let requests: string[];
  const a11y: Record<string, string[]> = {};
  let bob: { token: string; address: string };
  let carol: { token: string; address: string };
  let totpSecret = '';

  /** axe on the page as it is now, kept per view name and asserted at the end (and here, for a clear failure). */
  const check = async (name: string) => {
    a11y[name] = await axeViolations(page);
    assert.deepEqual(a11y[name], [], `accessibility of ${name}`);
    await screenshot(page, name);
  };
  const api = <T>(path: string, init: { method?: string; body?: unknown } = {}) =>
    page.evaluate(
      async ({ path, init }) => {
        const session = (await (await fetch('/v1/session')).json()) as { csrfToken: string };
        const r = await fetch(path, {
          method: init.method ?? 'GET',
          headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
          ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        });
        return (await r.json()) as unknown;
      },
      { path, init },
    ) as Promise<T>;

  before(async () => {
    stack = await startWebStack();
    const h = { base: stack.base, sms: stack.sms } as unknown as Harness;
    bob = await signUp(h, 'bob', PASSWORD);
    carol = await signUp(h, 'carol', PASSWORD);
    browser = await launchBrowser();
    ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    ({ page, problems, requests } = await watchedPage(ctx));
  });
  after(async () => {
    await browser?.close();
    await stack?.close();
  });

  test('register with the SMS code (expiry and resend shown), then sign in with the SMS second factor', async () => {
    await page.goto(stack.base + '/');
    await page.waitForURL(/\/login$/);
    await check('login');
    await page.getByRole('link', { name: 'Create one' }).click();
    await page.getByLabel('First name').fill('Ann');
    await page.getByLabel('Last name (optional)').fill('Example');
    await page.getByLabel('Username').fill('ann');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Mobile phone').fill(PHONE);
    await check('register');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByLabel('SMS code').waitFor();
    assert.match(await page.locator('#code-expiry').innerText(), /The code expires at .+ \(in \d+:\d\d\)/);
    const resend = page.getByRole('button', { name: /Resend code in \d:\d\d/ });
    assert.equal(await resend.isDisabled(), true);
    await check('register-verify');
    const sms = stack.sms.messages.at(-1)!;
    assert.equal(sms.to, PHONE);
    assert.match(sms.text, /^Thanks Ann for registering, your one time password is \d{6}$/);
    await page.getByLabel('SMS code').fill(stack.sms.lastCodeFor(PHONE));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/login\?username=ann/);

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('SMS code').waitFor();
    await check('login-sms-code');
    await page.getByLabel('SMS code').fill(stack.sms.lastCodeFor(PHONE));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/mail\/[^/]+$/);
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    // The token never reaches script-readable storage: only the HttpOnly cookie holds it.
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.cookie), '');
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).localStorage.length + (globalThis as unknown as PageGlobals).sessionStorage.length), 0);
    const cookie = (await ctx.cookies()).find((c) => c.name === 'heron_session')!;
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    await check('inbox-empty');
  });

  test('enrol TOTP from the QR code, sign out, sign in with the authenticator code', async () => {
    await page.getByRole('button', { name: /^Account:/ }).click();
    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    const qr = page.getByRole('img', { name: /QR code/ });
    await qr.waitFor();
    assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    const secret = (await page.locator('code.secret').innerText()).trim();
    totpSecret = secret;
    await check('security-totp-setup');
    await page.getByLabel('Code from the app').fill(await totpCode({ secret }));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText('Authenticator app is on').waitFor();

    await page.getByRole('button', { name: /^Account:/ }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/login/);
    await page.getByLabel('Username or email').fill('ann');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Authenticator code').waitFor();
    await check('login-totp-code');
    await page.getByLabel('Authenticator code').fill(await totpCode({ secret }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  });

  test('set a signature and a vacation window in the preferences', async () => {
    await page.getByRole('navigation', { name: 'Mailboxes' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByLabel('Signature').fill('Ann Example\nHeron test team');
    await page.getByLabel('First day').fill('2031-07-01');
    await page.getByLabel('Last day').fill('2031-07-15');
    await page.getByLabel('Subject', { exact: true }).fill('Away in July');
    await check('settings');
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Preferences saved.').waitFor();
    const prefs = await api<{ signature: string; vacation: { start: string; end: string; enabled: boolean } }>('/v1/me/preferences');
    assert.equal(prefs.signature, 'Ann Example\nHeron test team');
    assert.equal(prefs.vacation.start?.slice(0, 10), '2031-07-01');
    assert.equal(prefs.vacation.end?.slice(0, 10), '2031-07-15');
  });

  test('a message delivered over SMTP appears in the open inbox without a reload', async () => {
    await page.getByRole('navigation', { name: 'Mailboxes' }).getByRole('link', { name: /^Inbox/ }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.evaluate(() => {
      (globalThis as unknown as PageGlobals).noReload = 42;
    });
    const mx = nodemailer.createTransport({ host: '127.0.0.1', port: stack.smtpPort, secure: false, ignoreTLS: true });
    await mx.sendMail({
      from: 'Sam Sender <sam@remote.test>',
      to: 'ann@heron.test',
      subject: 'Quarterly numbers',
      text: 'Hello Ann,\nthe numbers are in.\nSam',
      html: '<p>Hello Ann,</p><p>the numbers are <b>in</b>.</p><p>Sam</p>',
      attachments: [{ filename: 'report.pdf', content: Buffer.from('%PDF-1.4 quarterly') }],
    });
    mx.close();
    const row = page.locator('.conversations .row', { hasText: 'Quarterly numbers' });
    await row.waitFor({ timeout: 15_000 });
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).noReload), 42, 'no page reload');
    assert.match(await row.getAttribute('class') ?? '', /unread/);
    await page.getByRole('link', { name: /^Inbox\s*1 unread$/ }).waitFor();
    await check('inbox-new-mail');
  });

  test('open it, reply with an attachment (signature in, undo send once), and the reply leaves threaded', async () => {
    await page.locator('.conversations .row-link', { hasText: 'Quarterly numbers' }).click();
    await page.getByRole('heading', { name: 'Quarterly numbers', level: 1 }).waitFor();
    const frame = page.frameLocator('iframe.message-frame');
    await frame.getByText('the numbers are').waitFor();
    await page.getByRole('link', { name: /report\.pdf/ }).waitFor();
    await check('thread');

    await page.keyboard.press('r');
    const compose = page.getByRole('dialog', { name: /Re: Quarterly numbers/ });
    await compose.waitFor();
    await compose.getByRole('list', { name: 'To recipients' }).getByText('sam@remote.test').waitFor();
    const body = compose.getByLabel('Message');
    const quoted = await body.inputValue();
    assert.match(quoted, /\n-- \nAnn Example\nHeron test team\n/);
    assert.match(quoted, /wrote:\n> Hello Ann,/);
    await body.fill(`Thanks Sam, my notes are attached.${quoted}`);
    await compose.locator('input[type=file]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('my notes\n') });
    await compose.getByRole('button', { name: 'Remove notes.txt' }).waitFor({ timeout: 15_000 });
    await check('compose-reply');

    // Undo send: the message stays a draft and the composer comes back with it.
    await compose.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('status').getByText('Sending…').waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    const again = page.getByRole('dialog', { name: /Re: Quarterly numbers/ });
    await again.getByRole('button', { name: 'Remove notes.txt' }).waitFor();
    assert.match(await again.getByLabel('Message').inputValue(), /^Thanks Sam, my notes are attached\./);
    assert.equal(stack.sink.received.length, 0);
    // Close it: it waits in Drafts, and opens from there into the composer again.
    await again.getByRole('button', { name: 'Save and close' }).click();
    await page.getByRole('status').getByText('Draft saved.').waitFor();
    await page.getByRole('navigation', { name: 'Mailboxes' }).getByRole('link', { name: 'Drafts' }).click();
    await page.locator('.conversations .row-link', { hasText: 'Re: Quarterly numbers' }).click();
    await again.getByRole('button', { name: 'Remove notes.txt' }).waitFor();
    await check('compose-from-drafts');
    await again.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('status').getByText('Message sent.').waitFor({ timeout: 20_000 });

    const deadline = Date.now() + 20_000;
    while (stack.sink.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const out = stack.sink.received[0]!;
    assert.deepEqual(out.to, ['sam@remote.test']);
    assert.equal(out.parsed.subject, 'Re: Quarterly numbers');
    assert.match(out.parsed.text ?? '', /^Thanks Sam, my notes are attached\./);
    assert.match(out.parsed.text ?? '', /\n-- \nAnn Example\nHeron test team\n/);
    assert.ok(out.parsed.inReplyTo, 'In-Reply-To is set');
    assert.equal(out.parsed.attachments[0]?.filename, 'notes.txt');
    assert.equal(out.parsed.attachments[0]?.content.toString(), 'my notes\n');
    const boxes = await api<Array<{ specialUse: string; total: number }>>('/v1/mailboxes');
    assert.equal(boxes.find((b) => b.specialUse === '\\Drafts')!.total, 0, 'the sent draft is gone from Drafts');
    assert.equal(boxes.find((b) => b.specialUse === '\\Sent')!.total, 1);
  });

  test('find it with from: and has:attachment', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id), 'search-input');
    await page.keyboard.type('from:sam@remote.test');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Results for/ }).waitFor();
    await page.locator('.conversations .row', { hasText: 'Quarterly numbers' }).waitFor();
    await check('search-from');

    await page.getByLabel('Search mail').fill('has:attachment');
    await page.getByLabel('Search mail').press('Enter');
    // The rows and the count of the previous search stay until this one answers: wait for its count.
    await page.getByRole('status').filter({ hasText: /^2 messages found/ }).waitFor();
    await page.locator('.conversations .row', { hasText: 'Quarterly numbers' }).waitFor();

    await page.getByLabel('Search mail').fill('from:sam@remote.test has:attachment');
    await page.getByLabel('Search mail').press('Enter');
    await page.getByText('1 message found.').waitFor();
    await page.getByLabel('Search mail').fill('from:nobody@remote.test has:attachment');
    await page.getByLabel('Search mail').press('Enter');
    await page.getByText('No messages matched.').waitFor();
  });

  test('move it into a new label, undo, archive it from the list with the keyboard, spam and not spam', async () => {
    const nav = page.getByRole('navigation', { name: 'Mailboxes' });
    await nav.getByRole('button', { name: 'New label' }).click();
    await nav.getByLabel('Label name').fill('Projects');
    await nav.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    await page.getByText('No conversations in Projects.').waitFor();

    await nav.getByRole('link', { name: /^Inbox/ }).click();
    await page.locator('.conversations .row', { hasText: 'Quarterly numbers' }).waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Quarterly numbers', level: 1 }).waitFor();
    await page.getByLabel('Move to').selectOption({ label: 'Projects' });
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    await page.getByRole('status').getByText('Moved to Projects.').waitFor();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.getByText('No conversations in Inbox.').waitFor();
    await nav.getByRole('link', { name: 'Projects' }).click();
    await page.locator('.conversations .row', { hasText: 'Quarterly numbers' }).waitFor();
    await check('label-projects');

    // Undo puts it back in the Inbox; then `e` on the focused row archives it.
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('No conversations in Projects.').waitFor();
    await nav.getByRole('link', { name: /^Inbox/ }).click();
    await page.locator('.conversations .row', { hasText: 'Quarterly numbers' }).waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('e');
    await page.getByRole('status').getByText('Archived.').waitFor();
    await page.getByText('No conversations in Inbox.').waitFor();
    await nav.getByRole('link', { name: 'Archive' }).click();
    await page.getByRole('heading', { name: 'Archive' }).waitFor();
    await page.locator('.conversations .row', { hasText: 'Quarterly numbers' }).waitFor();
    await check('archive');

    // `!` reports it as spam (training the spam filter); "Not spam" in the conversation brings it back.
    await page.keyboard.press('j');
    await page.keyboard.press('!');
    await page.getByRole('status').getByText('Reported as spam.').waitFor();
    await nav.getByRole('link', { name: 'Spam' }).click();
    await page.locator('.conversations .row-link', { hasText: 'Quarterly numbers' }).click();
    await page.getByRole('button', { name: 'Not spam' }).click();
    await page.getByRole('status').getByText('Moved to Inbox (not spam).').waitFor();
    await nav.getByRole('link', { name: /^Inbox/ }).click();
    await page.locator('.conversations .row', { hasText: 'Quarterly numbers' }).waitFor();
  });

  test('create a contact group and send to it from the composer', async () => {
    await page.getByRole('navigation', { name: 'Mailboxes' }).getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    for (const [name, email] of [
      ['Bob Builder', bob.address],
      ['Carol Singer', carol.address],
    ] as const) {
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('Email').fill(email);
      await page.getByRole('button', { name: 'Add contact' }).click();
      await page.getByRole('cell', { name: email }).waitFor();
    }
    await page.getByRole('button', { name: 'New group' }).click();
    await page.getByLabel('Group name').fill('Team');
    await page.getByRole('checkbox', { name: /Bob Builder/ }).check();
    await page.getByRole('checkbox', { name: /Carol Singer/ }).check();
    await check('contacts-group-form');
    await page.getByRole('button', { name: 'Save group' }).click();
    await page.getByText('(Bob Builder, Carol Singer)').waitFor();

    await page.keyboard.press('c');
    await page.getByRole('dialog', { name: 'New message' }).waitFor();
    // The dialog is named after its subject once one is typed.
    const compose = page.locator('section.compose');
    const to = compose.getByRole('combobox', { name: 'To' });
    await to.fill('Tea');
    await compose.getByRole('option', { name: /Team/ }).waitFor();
    await check('compose-completion');
    await to.press('Enter');
    await compose.getByRole('list', { name: 'To recipients' }).getByText(bob.address).waitFor();
    await compose.getByRole('list', { name: 'To recipients' }).getByText(carol.address).waitFor();
    await compose.getByLabel('Subject').fill('Team lunch');
    await compose.getByLabel('Message').press('Home');
    await compose.getByLabel('Message').type('Lunch at noon?');
    await compose.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('status').getByText('Message sent.').waitFor({ timeout: 20_000 });
    for (const u of [bob, carol]) {
      const hits = await call(stack.base, 'GET', `/v1/search?q=${encodeURIComponent('subject:"Team lunch"')}`, { token: u.token });
      assert.equal(hits.body.items.length, 1, `${u.address} got the group mail`);
      assert.match(hits.body.items[0].snippet, /Lunch at noon\?/);
    }
  });

  test('profile, app passwords (shown once, revoked) and sessions (sign out the others)', async () => {
    await page.getByRole('navigation', { name: 'Mailboxes' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Name shown to recipients').fill('Ann E. Example');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved.').waitFor();
    assert.equal((await api<{ displayName: string }>('/v1/me/profile')).displayName, 'Ann E. Example');

    await page.getByRole('link', { name: 'Security' }).first().click();
    await page.getByLabel('Name of the app or device').fill('Thunderbird');
    await page.getByRole('button', { name: 'Create' }).click();
    const shown = (await page.locator('.callout code.secret').innerText()).trim();
    assert.ok(shown.replace(/\s/g, '').length >= 16, `an app password: ${shown}`);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: 'Thunderbird', exact: true }).waitFor();
    assert.equal(await page.getByText(shown).count(), 0, 'the app password is shown once');
    await page.getByRole('button', { name: 'Revoke Thunderbird' }).click();
    await page.getByText('No app passwords yet.').waitFor();

    // A second sign-in elsewhere (password + authenticator code through the API), then sign it out from here.
    const l = await call(stack.base, 'POST', '/v1/auth/login', { body: { username: 'ann', password: PASSWORD } });
    const v = await call(stack.base, 'POST', '/v1/auth/login/verify', { body: { challengeId: l.body.challengeId, code: await totpCode({ secret: totpSecret }) } });
    assert.equal(v.status, 200, JSON.stringify(v.body));
    await page.reload();
    await page.getByText('This browser').waitFor();
    await check('security');
    await page.getByRole('button', { name: 'Sign out all other sessions' }).click();
    await page.getByText('Signed out 1 other session.').waitFor();
    assert.equal((await call(stack.base, 'GET', '/v1/me/profile', { token: v.body.token })).status, 401);
  });

  test('works at 360 px wide in the dark theme, with no sideways scrolling', async () => {
    const small = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: 'dark', isMobile: true, hasTouch: true });
    await small.addCookies(await ctx.cookies());
    const p = await small.newPage();
    try {
      await p.goto(stack.base + '/');
      await p.getByRole('heading', { name: 'Inbox' }).waitFor();
      assert.equal(await p.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth <= (globalThis as unknown as PageGlobals).innerWidth), true);
      const bg = await p.evaluate(() => (globalThis as unknown as PageGlobals).getComputedStyle((globalThis as unknown as PageGlobals).document.body).backgroundColor);
      assert.notEqual(bg, 'rgb(255, 255, 255)', 'dark theme follows the system');
      await screenshot(p, 'inbox-360-dark');
      assert.deepEqual(await axeViolations(p), []);
      await p.getByRole('button', { name: 'Mailboxes' }).click();
      await p.getByRole('navigation', { name: 'Mailboxes' }).getByRole('link', { name: /^Inbox/ }).click();
      await p.locator('.conversations .row-link', { hasText: 'Quarterly numbers' }).click();
      await p.getByRole('heading', { name: 'Quarterly numbers', level: 1 }).waitFor();
      assert.equal(await p.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth <= (globalThis as unknown as PageGlobals).innerWidth), true);
      await screenshot(p, 'thread-360-dark');
      assert.deepEqual(await axeViolations(p), []);
      await p.keyboard.press('c');
      await p.getByRole('dialog', { name: 'New message' }).waitFor();
      await screenshot(p, 'compose-360-dark');
    } finally {
      await small.close();
    }
  });

  test('sign out, and the old session is refused', async () => {
    const old = (await ctx.cookies()).find((c) => c.name === 'heron_session')!.value;
    assert.equal((await fetch(`${stack.base}/v1/session`, { headers: { cookie: `heron_session=${old}` } })).status, 200);
    await page.getByRole('button', { name: /^Account:/ }).click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/login/);
    const refused = await fetch(`${stack.base}/v1/me/profile`, { headers: { cookie: `heron_session=${old}` } });
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'unauthorized');
    assert.equal((await fetch(`${stack.base}/v1/me/profile`, { headers: { authorization: `Bearer ${old}` } })).status, 401);
    await page.goto(stack.base + '/mail');
    await page.waitForURL(/\/login/);
  });

  test('no script dialogs, CSP violations or page errors; nothing loaded from elsewhere; no serious accessibility violations', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(
      requests.filter((u) => !u.startsWith(stack.base) && !u.startsWith('data:') && !u.startsWith('blob:')),
      [],
    );
    for (const [name, v] of Object.entries(a11y)) assert.deepEqual(v, [], name);
    assert.ok(Object.keys(a11y).length >= 15);
  });
});
