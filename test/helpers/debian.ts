import { execFileSync, spawnSync } from 'node:child_process';

/**
 * The path of `command`, installing Debian package `pkg` first when it is missing and we are root
 * (CI starts from a clean machine; the tests install what they need themselves).
 */
export function ensureCommand(command: string, pkg: string): string {
  const find = () => spawnSync('sh', ['-c', `command -v ${command} || ls /usr/sbin/${command} 2>/dev/null`], { encoding: 'utf8' }).stdout.trim().split('\n')[0] ?? '';
  let path = find();
  if (path) return path;
  if (process.getuid?.() !== 0) throw new Error(`${command} is missing (Debian package ${pkg}); install it or run the tests as root`);
  execFileSync(
    'flock',
    ['/tmp/apt.lock', 'sh', '-c', `(apt-get install -y -qq --no-install-recommends ${pkg} || (apt-get update -qq && apt-get install -y -qq --no-install-recommends ${pkg})) >/dev/null 2>&1`],
    { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: 'ignore', timeout: 900_000 },
  );
  path = find();
  if (!path) throw new Error(`installing ${pkg} did not provide ${command}`);
  return path;
}
