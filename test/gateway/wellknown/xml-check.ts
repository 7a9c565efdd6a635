import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCommand } from '../../helpers/debian.js';

const SCHEMAS = join(dirname(fileURLToPath(import.meta.url)), 'schemas');

/** Validates a document with libxml2's xmllint against a schema here; returns its complaints ('' when valid). */
export function xmllint(xml: string, schema: { xsd?: string; dtd?: string }): string {
  const bin = ensureCommand('xmllint', 'libxml2-utils');
  const args = ['--noout', '--nonet'];
  if (schema.xsd) args.push('--schema', join(SCHEMAS, schema.xsd));
  if (schema.dtd) args.push('--dtdvalid', join(SCHEMAS, schema.dtd));
  const r = spawnSync(bin, [...args, '-'], { input: xml, encoding: 'utf8' });
  return r.status === 0 ? '' : `${r.stderr}${r.stdout}`.trim() || `xmllint exit ${r.status}`;
}
