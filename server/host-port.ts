/** `host:port` (validated by the config schema) as the pieces outbound/ wants. */
export function parseHostPort(text: string): { host: string; port: number } {
  const i = text.lastIndexOf(':');
  return { host: text.slice(0, i), port: Number(text.slice(i + 1)) };
}
