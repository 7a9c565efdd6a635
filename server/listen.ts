/** Turns a bind failure into an error an operator can act on (CONTRACT: a clear startup error). */
export function describeListenError(name: string, host: string, port: number, envVar: string, err: unknown): Error {
  const code = (err as { code?: string }).code ?? '';
  let hint = '';
  if (code === 'EACCES') hint = ` — ports below 1024 need root or CAP_NET_BIND_SERVICE; choose another with ${envVar}`;
  else if (code === 'EADDRINUSE') hint = ` — another process is using it; stop it or set ${envVar} (0 turns the listener off)`;
  else if (code === 'EADDRNOTAVAIL') hint = ' — that address is not on this machine; check HERON_BIND';
  return new Error(`cannot listen for ${name} on ${host}:${port}: ${code || (err as Error).message}${hint}`);
}
