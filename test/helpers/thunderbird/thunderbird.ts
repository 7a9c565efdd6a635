/**
 * A real Thunderbird (Debian's package), headless, with a fresh profile, driven over Marionette
 * with chrome-privileged scripts: tests create accounts and read folders through Thunderbird's
 * own mail code, as a user's client would. Host names are resolved to loopback by the profile
 * (`network.dns.localDomains`), so Thunderbird connects by name and sends SNI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Marionette } from './marionette.js';
import { freePort } from '../heron-process.js';
import { ensureCommand } from '../debian.js';

const BINARY = '/usr/bin/thunderbird';

/**
 * Installs Debian's thunderbird when missing (as root; CI starts from a clean machine), through
 * the suite's one apt helper and its lock. Throws when it cannot be had.
 */
export function ensureThunderbird(): void {
  if (!existsSync(BINARY)) ensureCommand('thunderbird', 'thunderbird');
}

export interface ThunderbirdOptions {
  /** Host names that resolve to 127.0.0.1 inside Thunderbird. */
  localNames: string[];
  /** Extra prefs (name -> value). */
  prefs?: Record<string, string | number | boolean>;
}

export class Thunderbird {
  /** Marionette's session default for async scripts. */
  private scriptTimeout = 30_000;

  private constructor(
    private readonly proc: ChildProcess,
    private readonly marionette: Marionette,
    /** Kills the process group and removes the profile if the test process exits first. */
    private readonly onExit: () => void,
    readonly log: () => string,
  ) {}

  static async start(opts: ThunderbirdOptions): Promise<Thunderbird> {
    const profile = mkdtempSync(join(tmpdir(), 'heron-tb-'));
    const port = await freePort();
    const prefs: Record<string, string | number | boolean> = {
      'marionette.port': port,
      'app.update.enabled': false,
      'app.update.auto': false,
      'mail.shell.checkDefaultClient': false,
      'mailnews.start_page.enabled': false,
      'mail.provider.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      'network.dns.disableIPv6': true,
      'network.dns.localDomains': opts.localNames.join(','),
      // Nothing leaves the machine: no update, add-on, safe-browsing or captive-portal checks.
      'network.captive-portal-service.enabled': false,
      'extensions.update.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'services.settings.server': 'http://127.0.0.1:9/',
      // Account setup's central ISPDB lookup (a Mozilla server).
      'mailnews.auto_config_url': '',
      'mail.biff.play_sound': false,
      ...opts.prefs,
    };
    writeFileSync(
      join(profile, 'user.js'),
      Object.entries(prefs)
        .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
        .join('\n') + '\n',
    );
    let out = '';
    // Its own process group, so Thunderbird's child processes go with it.
    const proc = spawn(BINARY, ['--headless', '--marionette', '-remote-allow-system-access', '--no-remote', '-profile', profile], {
      env: { ...process.env, MOZ_HEADLESS: '1', MOZ_CRASHREPORTER_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    proc.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
    proc.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
    const onExit = () => {
      killGroup(proc);
      rmSync(profile, { recursive: true, force: true });
    };
    process.once('exit', onExit);
    try {
      const m = await Marionette.connect(port);
      await m.command('WebDriver:NewSession', { capabilities: {} });
      await m.command('Marionette:SetContext', { value: 'chrome' });
      return new Thunderbird(proc, m, onExit, () => out);
    } catch (err) {
      process.off('exit', onExit);
      onExit();
      throw new Error(`Thunderbird did not start: ${String(err)}\n${out.slice(-3000)}`, { cause: err });
    }
  }

  /**
   * Runs an async chrome-privileged script. The script gets `args` as `arguments[0]` and must
   * call `arguments[1](value)` (or let its returned promise resolve) with a JSON-able result.
   */
  async run<T = unknown>(script: string, args: unknown = {}, timeoutMs = 60_000): Promise<T> {
    const wrapped = `const [args, done] = arguments;
      (async () => { ${script} })().then((v) => done({ ok: true, v }), (e) => done({ ok: false, e: String(e) + (e && e.stack ? ' @ ' + e.stack : '') }));`;
    if (timeoutMs !== this.scriptTimeout) {
      await this.marionette.command('WebDriver:SetTimeouts', { script: timeoutMs });
      this.scriptTimeout = timeoutMs;
    }
    const r = await this.marionette.command<{ value: { ok: boolean; v?: T; e?: string } | null }>('WebDriver:ExecuteAsyncScript', {
      script: wrapped,
      args: [args],
      newSandbox: true,
    });
    // Marionette ends a script with no value when a modal prompt opens (Thunderbird's error alerts).
    if (!r.value) throw new Error(`thunderbird script interrupted by a prompt: ${await this.dismissPrompt()}`);
    if (!r.value.ok) throw new Error(`thunderbird script failed: ${r.value.e}`);
    return r.value.v as T;
  }

  /** The text of the open modal prompt, which is then dismissed. */
  private async dismissPrompt(): Promise<string> {
    try {
      const { value } = await this.marionette.command<{ value: string }>('WebDriver:GetAlertText');
      await this.marionette.command('WebDriver:DismissAlert');
      return value;
    } catch (err) {
      return `(no prompt: ${String(err)})`;
    }
  }

  async close(): Promise<void> {
    try {
      // A wedged Thunderbird may never answer; the process group is killed below anyway.
      await Promise.race([
        this.marionette.command('Marionette:Quit', { flags: ['eForceQuit'] }).catch(() => undefined),
        new Promise((r) => setTimeout(r, 10_000).unref()),
      ]);
    } finally {
      this.marionette.close();
      if (this.proc.exitCode === null && this.proc.signalCode === null) {
        await new Promise((r) => {
          const t = setTimeout(r, 10_000);
          this.proc.once('exit', () => {
            clearTimeout(t);
            r(undefined);
          });
        });
      }
      process.off('exit', this.onExit);
      this.onExit();
    }
  }
}

/** SIGKILL to the whole process group (Thunderbird and its content processes); gone already is fine. */
function killGroup(proc: ChildProcess): void {
  try {
    if (proc.pid) process.kill(-proc.pid, 'SIGKILL');
  } catch {
    // ESRCH: nothing left of it.
  }
}
