import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { baseEnv, freePort, REPO_ROOT, startHeronProcess, type HeronProcess } from '../helpers/heron-process.js';
import { startSmsWebhook } from '../admin-api/helpers.js';

/**
 * The web app end to end: a real `heron start` (MX, API + gateway serving the freshly built app),
 * a local SMS webhook sink, a local SMTP server as smarthost (the remote MX), and Debian's
 * Chromium driven by playwright-core.
 */

export const CHROMIUM = '/usr/bin/chromium';
/** ../shared/RECIPES.md: without these Chromium tries the closed network. Playwright adds --headless and a fresh profile. */
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const SCREENSHOTS = join(REPO_ROOT, '.tmp', 'web-screenshots');

/** Installs Debian's chromium when missing (as root; quick no-op when present). */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} is missing and this is not root: apt-get install chromium`);
  const r = spawnSync(
    'flock',
    ['/tmp/apt.lock', 'sh', '-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium'],
    { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 },
  );
  if (!existsSync(CHROMIUM)) throw new Error(`could not install chromium: ${r.stderr?.toString().slice(-2000)}`);
}

/** Builds web/ into a directory of its own, so the test serves the current source. */
export function buildWebApp(outDir: string): void {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn', '--bypass-lock'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0 || !existsSync(join(outDir, 'index.html'))) throw new Error(`web build failed:\n${r.stdout}\n${r.stderr}`);
}

/** A local SMTP server standing in for remote MX hosts (HERON_SMARTHOST): keeps what it is given. */
export async function startSmtpSink() {
  const received: Array<{ from: string; to: string[]; raw: Buffer; parsed: ParsedMail }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        void simpleParser(raw).then((parsed) => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
          cb();
        }, cb);
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface WebStack {
  base: string;
  smtpPort: number;
  dataDir: string;
  heron: HeronProcess;
  sms: Awaited<ReturnType<typeof startSmsWebhook>>;
  sink: Awaited<ReturnType<typeof startSmtpSink>>;
  close(): Promise<void>;
}

export async function startWebStack(): Promise<WebStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'heron-web-'));
  const webDir = join(dataDir, 'web-build');
  buildWebApp(webDir);
  const sms = await startSmsWebhook();
  const sink = await startSmtpSink();
  const apiPort = await freePort();
  const smtpPort = await freePort();
  const heron = startHeronProcess(
    baseEnv(dataDir, {
      HERON_API_PORT: String(apiPort),
      HERON_SMTP_PORT: String(smtpPort),
      HERON_SMS_PROVIDER: 'webhook',
      HERON_SMS_WEBHOOK_URL: sms.url,
      HERON_SMARTHOST: `127.0.0.1:${sink.port}`,
      HERON_WEB_DIR: webDir,
    }),
  );
  const close = async () => {
    if (heron.child.exitCode === null && heron.child.signalCode === null) {
      heron.child.kill('SIGTERM');
      await Promise.race([heron.exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (heron.child.exitCode === null && heron.child.signalCode === null) heron.child.kill('SIGKILL');
    }
    await sms.close();
    await sink.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await heron.waitFor(/"msg":"heron started"/, 90_000);
  } catch (err) {
    // Never leave a server behind when start-up fails.
    await close();
    throw err;
  }
  return { base: `http://127.0.0.1:${apiPort}`, smtpPort, dataDir, heron, sms, sink, close };
}

export async function launchBrowser(): Promise<Browser> {
  ensureChromium();
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/**
 * A page that records what a test must never see: script dialogs, CSP violations reported to
 * the console, uncaught page errors, and every request (to prove nothing remote was loaded).
 */
export async function watchedPage(context: BrowserContext) {
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 40[14]/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => requests.push(r.url()));
  return { page, problems, requests };
}

/**
 * The browser globals the tests read inside page.evaluate: the server's tsconfig has no DOM lib,
 * and a `lib: dom` reference would leak browser globals into every server file's checks.
 */
export interface PageGlobals {
  document: {
    cookie: string;
    activeElement: { id: string } | null;
    documentElement: { scrollWidth: number };
    body: unknown;
    querySelectorAll(selector: string): { length: number };
  };
  localStorage: { length: number };
  sessionStorage: { length: number };
  innerWidth: number;
  getComputedStyle(el: unknown): { backgroundColor: string };
  pwned?: string;
  noReload?: number;
  axe?: { run(ctx: unknown, opts: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> };
}

const AXE_SOURCE = readFileSync(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * axe-core over the current page (WCAG 2.x A/AA rules and best practices); returns the serious
 * and critical violations as readable lines. Injected through the DevTools protocol, so the
 * page's CSP (no inline script) stays on.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const w = globalThis as unknown as PageGlobals;
    return w.axe!.run(w.document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}
