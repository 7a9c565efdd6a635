/**
 * Outlook's JSON autodiscover ("v2"): `/autodiscover/autodiscover.json/v1.0/<address>?Protocol=AutodiscoverV1`
 * (or `?Email=<address>&Protocol=...`) answers where the XML autodiscover lives. Heron speaks no
 * Exchange protocols, so AutodiscoverV1 is the only protocol it names.
 */
export type AutodiscoverJsonAnswer =
  | { status: 200; body: { Protocol: 'AutodiscoverV1'; Url: string } }
  | { status: 400; body: { ErrorCode: 'InvalidProtocol' | 'InvalidRequest'; ErrorMessage: string } };

export function autodiscoverJson(protocol: string | null, xmlUrl: string): AutodiscoverJsonAnswer {
  if (protocol === null || protocol.toLowerCase() !== 'autodiscoverv1') {
    const shown = (protocol ?? '').slice(0, 40).replace(/[^\w.-]/g, '');
    return {
      status: 400,
      body: { ErrorCode: 'InvalidProtocol', ErrorMessage: `The given protocol value '${shown}' is invalid. Supported values are 'AutodiscoverV1'` },
    };
  }
  return { status: 200, body: { Protocol: 'AutodiscoverV1', Url: xmlUrl } };
}
