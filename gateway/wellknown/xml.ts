/** XML 1.0 character data and attribute values; control characters XML cannot carry are dropped. */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A tree the builders below turn into indented XML: element name, attributes, children or text. */
export type XmlNode = [name: string, attrs: Record<string, string>, content: string | number | XmlNode[]];

export function renderXml(node: XmlNode, indent = ''): string {
  const [name, attrs, content] = node;
  const attrText = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  if (Array.isArray(content)) {
    if (content.length === 0) return `${indent}<${name}${attrText}/>\n`;
    return `${indent}<${name}${attrText}>\n${content.map((c) => renderXml(c, indent + '  ')).join('')}${indent}</${name}>\n`;
  }
  return `${indent}<${name}${attrText}>${escapeXml(String(content))}</${name}>\n`;
}

export function xmlDocument(root: XmlNode, doctype = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${doctype}${renderXml(root)}`;
}
