import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes allocated on disk (st_blocks, as du counts) by a file or a directory tree. */
export function diskBytes(path: string): number {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return 0;
  }
  let total = st.blocks * 512;
  if (st.isDirectory()) for (const entry of readdirSync(path)) total += diskBytes(join(path, entry));
  return total;
}
