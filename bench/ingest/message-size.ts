import { SMTPServer } from 'smtp-server';
import { smtpSource } from './smtp-source.js';

/**
 * The size of one smtp-source message as it arrives in DATA (headers it writes + `-l` payload),
 * taken from a throwaway in-process smtp-server: the denominator of "bytes on disk per byte of
 * mail received".
 */
export async function smtpSourceMessageBytes(bytes: number, from: string, to: string): Promise<number> {
  let size = 0;
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, _session, callback) {
      stream.on('data', (chunk: Buffer) => (size += chunk.length));
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  try {
    const port = (server.server.address() as { port: number }).port;
    await smtpSource({ port, messages: 1, bytes, sessions: 1, reuse: false, from, to });
    return size;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
