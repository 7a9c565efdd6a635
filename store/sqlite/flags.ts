import type { SystemFlag } from '../../domain/index.js';
import { lookupSystemFlag } from '../flag-rules.js';

/** Column per system flag, in SYSTEM_FLAGS order. */
export const FLAG_COLUMNS: Record<SystemFlag, 'seen' | 'answered' | 'flagged' | 'deleted' | 'draft'> = {
  '\\Seen': 'seen',
  '\\Answered': 'answered',
  '\\Flagged': 'flagged',
  '\\Deleted': 'deleted',
  '\\Draft': 'draft',
};

export interface FlagState {
  system: Set<SystemFlag>;
  /** Keywords in the case first seen; compared case-insensitively. */
  keywords: string[];
}

export function splitFlags(flags: readonly string[]): FlagState {
  const system = new Set<SystemFlag>();
  const keywords: string[] = [];
  for (const f of flags) {
    const sys = f.startsWith('\\') ? lookupSystemFlag(f) : undefined;
    if (sys) system.add(sys);
    else keywords.push(f);
  }
  return { system, keywords };
}

export interface FlagColumns {
  seen: number;
  answered: number;
  flagged: number;
  deleted: number;
  draft: number;
  keywords: string | null;
}

export function toColumns(state: FlagState): FlagColumns {
  return {
    seen: state.system.has('\\Seen') ? 1 : 0,
    answered: state.system.has('\\Answered') ? 1 : 0,
    flagged: state.system.has('\\Flagged') ? 1 : 0,
    deleted: state.system.has('\\Deleted') ? 1 : 0,
    draft: state.system.has('\\Draft') ? 1 : 0,
    keywords: state.keywords.length > 0 ? JSON.stringify(state.keywords) : null,
  };
}

export function fromColumns(row: FlagColumns): string[] {
  const out: string[] = [];
  if (row.seen) out.push('\\Seen');
  if (row.answered) out.push('\\Answered');
  if (row.flagged) out.push('\\Flagged');
  if (row.deleted) out.push('\\Deleted');
  if (row.draft) out.push('\\Draft');
  if (row.keywords) out.push(...(JSON.parse(row.keywords) as string[]));
  return out;
}
