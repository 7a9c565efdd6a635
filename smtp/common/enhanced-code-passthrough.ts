import type { SMTPServer } from 'smtp-server';

const LEADING_ENHANCED_CODE = /^[245]\.\d{1,3}\.\d{1,3} /;

/**
 * smtp-server derives the enhanced status code (RFC 2034/3463) from the numeric reply code
 * alone, so `554` always becomes `5.6.0` even for a relay denial (`5.7.1`). Our replies carry
 * their exact enhanced code at the start of the text; for those lines this wrapper tells the
 * connection to add none of its own. Installed per connection (no change to the library's
 * prototype), looked up by the session id smtp-server gives both objects.
 */
export function installEnhancedCodePassthrough(server: SMTPServer, sessionId: string): void {
  for (const connection of server.connections) {
    if (connection.id !== sessionId) continue;
    const send = connection.send.bind(connection);
    connection.send = (code, data, context) => {
      if (typeof data === 'string' && LEADING_ENHANCED_CODE.test(data)) return send(code, data, false);
      return send(code, data, context);
    };
    return;
  }
}
