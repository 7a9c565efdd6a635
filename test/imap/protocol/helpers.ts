import { CommandReader, type Frame, type ReaderEvent } from '../../../imap/protocol/command-reader.js';
import { DEFAULT_PROTOCOL_LIMITS, type ProtocolLimits } from '../../../imap/protocol/limits.js';
import { parseCommand } from '../../../imap/protocol/parse-command.js';
import type { Command } from '../../../imap/protocol/commands.js';

/** Feeds `input` and collects every reader event, accepting synchronising literals. */
export function frames(input: string | Buffer, limits: Partial<ProtocolLimits> = {}): ReaderEvent[] {
  const r = new CommandReader({ ...DEFAULT_PROTOCOL_LIMITS, ...limits });
  r.push(Buffer.isBuffer(input) ? input : Buffer.from(input, 'binary'));
  const out: ReaderEvent[] = [];
  for (;;) {
    const ev = r.next();
    if (ev.type === 'need-more') return out;
    out.push(ev);
    if (ev.type === 'continue') r.accept();
    if (ev.type === 'error' && ev.fatal) return out;
  }
}

export function frameOf(input: string | Buffer): Frame {
  const evs = frames(input).filter((e) => e.type === 'command');
  if (evs.length !== 1 || evs[0]!.type !== 'command') throw new Error(`expected one command, got ${JSON.stringify(evs)}`);
  return evs[0].frame;
}

/** One command line (CRLF added) parsed. */
export function parse(line: string | Buffer, limits: Partial<ProtocolLimits> = {}): Command {
  const buf = Buffer.isBuffer(line) ? Buffer.concat([line, Buffer.from('\r\n')]) : Buffer.from(line + '\r\n', 'binary');
  return parseCommand(frameOf(buf), { ...DEFAULT_PROTOCOL_LIMITS, ...limits });
}
