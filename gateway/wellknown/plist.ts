import { escapeXml } from './xml.js';

/** The values an Apple property list (PropertyList-1.0.dtd) carries here. */
export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

function render(value: PlistValue, indent: string): string {
  if (typeof value === 'string') return `${indent}<string>${escapeXml(value)}</string>\n`;
  if (typeof value === 'boolean') return `${indent}<${value}/>\n`;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error('plist: only integers are used here');
    return `${indent}<integer>${value}</integer>\n`;
  }
  const inner = indent + '  ';
  if (Array.isArray(value)) return `${indent}<array>\n${value.map((v) => render(v, inner)).join('')}${indent}</array>\n`;
  const entries = Object.entries(value).map(([k, v]) => `${inner}<key>${escapeXml(k)}</key>\n${render(v, inner)}`);
  return `${indent}<dict>\n${entries.join('')}${indent}</dict>\n`;
}

export function plistXml(root: PlistValue): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
    `<plist version="1.0">\n${render(root, '')}</plist>\n`
  );
}
