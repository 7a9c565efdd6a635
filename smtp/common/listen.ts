import type { SMTPServer } from 'smtp-server';

/** Binds an smtp-server and resolves with the bound port (0 picks one); a bind error rejects. */
export function listenSmtpServer(server: SMTPServer, port: number, host: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const net = server.server;
    const onError = (err: Error) => reject(err);
    net.once('error', onError);
    server.listen(port, host, () => {
      net.off('error', onError);
      const address = net.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
