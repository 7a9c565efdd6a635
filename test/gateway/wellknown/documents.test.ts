import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  autoconfigXml,
  autodiscoverErrorXml,
  autodiscoverJson,
  autodiscoverXml,
  mobileconfig,
  mtaStsId,
  mtaStsPolicy,
  readAutodiscoverRequest,
  type MailSettings,
} from '../../../gateway/wellknown/index.js';
import { xmllint } from './xml-check.js';

const settings: MailSettings = { hostname: 'mail.example.test', ports: { imaps: 993, imap: 143, submissions: 465, submission: 587 } };

test('Thunderbird autoconfig validates against the clientConfig 1.1 schema and lists TLS before STARTTLS', () => {
  const xml = autoconfigXml('example.test', settings);
  assert.equal(xmllint(xml, { xsd: 'autoconfig.xsd' }), '');
  assert.match(xml, /<incomingServer type="imap">\s*<hostname>mail\.example\.test<\/hostname>\s*<port>993<\/port>\s*<socketType>SSL<\/socketType>/);
  assert.ok(xml.indexOf('<port>993</port>') < xml.indexOf('<port>143</port>'));
  assert.ok(xml.indexOf('<port>465</port>') < xml.indexOf('<port>587</port>'));
  assert.match(xml, /<username>%EMAILADDRESS%<\/username>/);
  // The schema is not vacuous: a wrong socket type or a missing port is refused.
  assert.notEqual(xmllint(xml.replace('<socketType>SSL</socketType>', '<socketType>TLS</socketType>'), { xsd: 'autoconfig.xsd' }), '');
  assert.notEqual(xmllint(xml.replace('<port>993</port>', ''), { xsd: 'autoconfig.xsd' }), '');
});

test('a listener that is off (port 0) is left out of every document', () => {
  const off: MailSettings = { ...settings, ports: { imaps: 993, imap: 0, submissions: 0, submission: 587 } };
  const xml = autoconfigXml('example.test', off);
  assert.equal(xmllint(xml, { xsd: 'autoconfig.xsd' }), '');
  assert.doesNotMatch(xml, /<port>(143|465)<\/port>/);
  const ad = autodiscoverXml('ann@example.test', off);
  assert.equal(xmllint(ad, { xsd: 'autodiscover.xsd' }), '');
  assert.match(ad, /<Type>SMTP<\/Type>[\s\S]*<Port>587<\/Port>[\s\S]*<Encryption>TLS<\/Encryption>/);
});

test('Outlook autodiscover answers validate against the MS-OXDSCLI response schema', () => {
  const xml = autodiscoverXml('ann@example.test', settings);
  assert.equal(xmllint(xml, { xsd: 'autodiscover.xsd' }), '');
  assert.match(xml, /<Type>IMAP<\/Type>\s*<Server>mail\.example\.test<\/Server>\s*<Port>993<\/Port>/);
  assert.match(xml, /<LoginName>ann@example\.test<\/LoginName>/);
  for (const code of [600, 601] as const) assert.equal(xmllint(autodiscoverErrorXml(code, 'x'), { xsd: 'autodiscover.xsd' }), '');
  assert.notEqual(xmllint(xml.replace('<SSL>on</SSL>', '<SSL>yes</SSL>'), { xsd: 'autodiscover.xsd' }), '');
  assert.notEqual(xmllint(xml.replace('outlook/responseschema/2006a', 'outlook/responseschema/2099'), { xsd: 'autodiscover.xsd' }), '');
});

test('the autodiscover request reader takes the address and schema, with or without prefixes, and refuses non-requests', () => {
  const body = `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request>
    <EMailAddress>Ann@Example.test</EMailAddress>
    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
  </Request>
</Autodiscover>`;
  assert.deepEqual(readAutodiscoverRequest(body), {
    address: 'Ann@Example.test',
    responseSchema: 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a',
  });
  assert.equal(readAutodiscoverRequest('<a:Autodiscover xmlns:a="x"><a:Request><a:EMailAddress>b@c.d</a:EMailAddress></a:Request></a:Autodiscover>')?.address, 'b@c.d');
  assert.equal(readAutodiscoverRequest('hello'), null);
  assert.equal(readAutodiscoverRequest('<Autodiscover><Request></Request></Autodiscover>')?.address, null);
  // Pathological input stays linear: 16 KB of unclosed tags is read at once.
  const t = Date.now();
  readAutodiscoverRequest('<Autodiscover>' + '<EMailAddress '.repeat(1200));
  assert.ok(Date.now() - t < 1000);
});

test('autodiscover JSON names the XML endpoint for AutodiscoverV1 only', () => {
  assert.deepEqual(autodiscoverJson('AutodiscoverV1', 'https://mail.example.test/autodiscover/autodiscover.xml'), {
    status: 200,
    body: { Protocol: 'AutodiscoverV1', Url: 'https://mail.example.test/autodiscover/autodiscover.xml' },
  });
  const bad = autodiscoverJson('ActiveSync<script>', 'x');
  assert.equal(bad.status, 400);
  assert.equal((bad.body as { ErrorCode: string }).ErrorCode, 'InvalidProtocol');
  assert.doesNotMatch(JSON.stringify(bad.body), /<script>/);
});

/** Python's plistlib, an independent reader of Apple property lists. */
function readPlist(xml: string): Record<string, unknown> {
  const r = spawnSync('python3', ['-c', 'import sys, json, plistlib; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))'], { input: xml, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

test('the Apple configuration profile is a valid plist with a complete com.apple.mail.managed payload', () => {
  const xml = mobileconfig('ann@example.test', settings);
  assert.equal(xmllint(xml, { dtd: 'plist.dtd' }), '');
  const profile = readPlist(xml);
  assert.equal(profile.PayloadType, 'Configuration');
  assert.equal(profile.PayloadVersion, 1);
  assert.match(String(profile.PayloadUUID), /^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  const [mail] = profile.PayloadContent as Array<Record<string, unknown>>;
  // The keys Apple's Configuration Profile Reference requires for a Mail payload, with their types.
  const required: Record<string, string> = {
    EmailAccountType: 'string',
    EmailAddress: 'string',
    IncomingMailServerAuthentication: 'string',
    IncomingMailServerHostName: 'string',
    IncomingMailServerPortNumber: 'number',
    IncomingMailServerUseSSL: 'boolean',
    IncomingMailServerUsername: 'string',
    OutgoingMailServerAuthentication: 'string',
    OutgoingMailServerHostName: 'string',
    OutgoingMailServerPortNumber: 'number',
    OutgoingMailServerUseSSL: 'boolean',
    OutgoingMailServerUsername: 'string',
    PayloadIdentifier: 'string',
    PayloadType: 'string',
    PayloadUUID: 'string',
    PayloadVersion: 'number',
  };
  for (const [k, type] of Object.entries(required)) assert.equal(typeof mail![k], type, k);
  assert.equal(mail!.PayloadType, 'com.apple.mail.managed');
  assert.equal(mail!.EmailAccountType, 'EmailTypeIMAP');
  assert.ok(['EmailAuthPassword', 'EmailAuthCRAMMD5', 'EmailAuthNTLM', 'EmailAuthHTTPMD5', 'EmailAuthNone'].includes(String(mail!.IncomingMailServerAuthentication)));
  assert.equal(mail!.IncomingMailServerPortNumber, 993);
  assert.equal(mail!.OutgoingMailServerPortNumber, 465);
  assert.notEqual(mail!.PayloadUUID, profile.PayloadUUID);
  // The same address gives the same UUIDs: a second download replaces the profile.
  assert.equal(readPlist(mobileconfig('ann@example.test', settings)).PayloadUUID, profile.PayloadUUID);
  // Text that is markup in XML stays text.
  const odd = readPlist(mobileconfig('a&b<c@example.test', settings));
  assert.equal(odd.PayloadDisplayName, 'a&b<c@example.test (mail.example.test)');
});

/** RFC 8461 3.2 grammar, checked field by field. */
function checkMtaSts(policy: string): string[] {
  const problems: string[] = [];
  if (!policy.endsWith('\r\n')) problems.push('last line not ended by CRLF');
  const lines = policy.split('\r\n').filter(Boolean);
  const fields = lines.map((l) => /^([A-Za-z0-9_]{1,32}):[ \t]*([\x21-\x3a\x3c\x3e-\x7e]{1,})[ \t]*$/.exec(l));
  fields.forEach((m, i) => m || problems.push(`bad line ${JSON.stringify(lines[i])}`));
  const get = (k: string) => fields.filter((m) => m?.[1] === k).map((m) => m![2]!);
  if (lines[0] !== 'version: STSv1') problems.push('version: STSv1 must come first');
  if (get('mode').length !== 1 || !['enforce', 'testing', 'none'].includes(get('mode')[0]!)) problems.push('mode');
  const maxAge = get('max_age');
  if (maxAge.length !== 1 || !/^\d{1,10}$/.test(maxAge[0]!) || Number(maxAge[0]) > 31_557_600) problems.push('max_age');
  const mx = get('mx');
  if (mx.length === 0) problems.push('no mx');
  for (const m of mx) if (!/^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]+$/i.test(m)) problems.push(`mx ${m}`);
  return problems;
}

test('the MTA-STS policy follows RFC 8461 3.2 and its id changes with it', () => {
  const p = mtaStsPolicy({ mode: 'enforce', maxAgeSec: 604_800, mx: ['mail.example.test'] });
  assert.deepEqual(checkMtaSts(p), []);
  assert.equal(p, 'version: STSv1\r\nmode: enforce\r\nmx: mail.example.test\r\nmax_age: 604800\r\n');
  assert.deepEqual(checkMtaSts(mtaStsPolicy({ mode: 'testing', maxAgeSec: 1e12, mx: ['mail.example.test'] })), [], 'max_age is capped');
  const other = mtaStsPolicy({ mode: 'testing', maxAgeSec: 604_800, mx: ['mail.example.test'] });
  assert.match(mtaStsId(p), /^[a-zA-Z0-9]{1,32}$/);
  assert.notEqual(mtaStsId(p), mtaStsId(other));
  assert.equal(mtaStsId(p), mtaStsId(mtaStsPolicy({ mode: 'enforce', maxAgeSec: 604_800, mx: ['mail.example.test'] })));
});
