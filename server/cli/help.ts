/**
 * `heron <command> --help`: what each command does, its arguments and options, and an example.
 * Keys are "command" or "command sub"; the most specific one wins.
 */
const COMMON = `
  --config <file>   JSON config file (default: $HERON_CONFIG, else ./heron.json if present)
  -h, --help        this text`;

const PASSWORD = `
  Password: asked for on a terminal (twice), else read from standard input (first line),
  or --password-file <file> (first line; "-" is standard input). --password <pw> still works
  but warns: it ends up in your shell history and the process list.`;

export const COMMAND_HELP: Record<string, string> = {
  start: `heron start — run MX, submission, IMAP, the HTTP API and the well-known listener in one process

Usage: heron start [--role mx,submission,imap,api,queue,gateway] [--config <file>]

Logs one line per event: readable on a terminal, JSON lines otherwise. SIGTERM/SIGINT stop it
cleanly; SIGHUP re-reads the certificate files.

Options:
  --role <list>     run only these roles (default: all of them, in one process; HERON_ROLES)
${COMMON}`,
  quickstart: `heron quickstart — set up a new server in one step

Usage: heron quickstart <you@example.com> [--hostname mail.example.com] [--name <display name>]
                        [--data-dir <dir>] [--no-acme] [--acme-email <address>]

Writes the config file (./heron.json, or --config), creates the data directory, the domain and
its DKIM key, and the first user (an admin) with a generated password shown once. Prints every
DNS record to publish and the settings for mail clients. Creates nothing if any of it exists.

Options:
  --hostname <name>     the server's host name (default: mail.<domain>)
  --name <text>         the admin's display name
  --data-dir <dir>      where the data goes (default: $HERON_DATA_DIR or ./data)
  --no-acme             do not get certificates from Let's Encrypt (self-signed until you set tls.cert/tls.key)
  --acme-email <addr>   contact address for Let's Encrypt
${COMMON}

Example: heron quickstart ann@example.com --hostname mail.example.com`,
  doctor: `heron doctor — check that the server is set up right, and say what to fix

Usage: heron doctor [<domain>] [--dns <host:port>] [--ntp <host[:port]>] [--host <address>]

Checks: listeners bound; the certificate's names and expiry; the published DNS records against
what "heron domain dns" prints; the PTR record of the host's addresses; the clock against NTP.
Exit code 0 only when every check passes.

Options:
  --dns <host:port>     DNS server to ask (default: $HERON_DNS_SERVER, else the system's)
  --ntp <host[:port]>   NTP server for the clock check (default: pool.ntp.org)
  --host <address>      where to connect to the listeners (default: the bind address, 127.0.0.1 for 0.0.0.0)
${COMMON}`,
  import: `heron import — bring a mailbox in from Gmail (Takeout mbox), Maildir or .eml files

Usage: heron import <address> <file|dir> [--mailbox <name>] [--format mbox|maildir|eml]

mbox: Google Takeout's X-Gmail-Labels become mailboxes (Inbox, Sent, Drafts, Spam -> Junk,
Trash, your labels), Unread/Starred/Important become \\Seen/\\Flagged/$Important. Maildir: flags
from the file names, sub-folders become mailboxes. A folder of .eml files: one mailbox per folder.
Running it again imports only what is missing (same Message-ID, date and size); a message that
cannot be read is reported and skipped. Progress on a terminal, plain lines otherwise.

Options:
  --mailbox <name>      put everything in this mailbox (default: by label/folder, else INBOX)
  --format <kind>       do not guess the format
${COMMON}

Example: heron import ann@example.com "Takeout/Mail/All mail Including Spam and Trash.mbox"`,
  export: `heron export — write a user's mail out as Maildir

Usage: heron export <address> <dir>

One Maildir++ folder per mailbox (INBOX at the top, others as .Name), flags in the file names,
keywords in dovecot-keywords. Each file holds the message exactly as the server serves it.
${COMMON}`,
  user: `heron user — manage users

Usage:
  heron user add <address> [--name <display name>] [--admin] [--quota <size>] [--password-file <file>]
  heron user list
  heron user passwd <address> [--password-file <file>]
  heron user delete <address>
${PASSWORD}
${COMMON}`,
  'user add': `heron user add — create a verified user

Usage: heron user add <address> [--name <display name>] [--admin] [--quota <size>] [--password-file <file>]
${PASSWORD}
${COMMON}

Example: heron user add ann@example.com --name "Ann Example"`,
  'user passwd': `heron user passwd — set a user's password

Usage: heron user passwd <address> [--password-file <file>]
${PASSWORD}
${COMMON}`,
  'user list': `heron user list — one line per user: address, display name, tags\n\nUsage: heron user list\n${COMMON}`,
  'user delete': `heron user delete — remove a user with all their mail\n\nUsage: heron user delete <address>\n${COMMON}`,
  domain: `heron domain — manage mail domains

Usage:
  heron domain add <domain>     add a domain (and make its DKIM key); prints its DNS records
  heron domain list
  heron domain dns <domain>     the DNS records to publish
${COMMON}`,
  'domain add': `heron domain add — add a mail domain, make its DKIM key, print its DNS records\n\nUsage: heron domain add <domain>\n${COMMON}`,
  'domain list': `heron domain list — the local mail domains\n\nUsage: heron domain list\n${COMMON}`,
  'domain dns': `heron domain dns — the DNS records to publish for a domain

Usage: heron domain dns <domain>

MX, SPF, DKIM, DMARC, MTA-STS, TLS reporting, SRV records for mail clients (RFC 6186/8314) and the
autoconfig/autodiscover/mta-sts names. "heron doctor <domain>" checks what is published.
${COMMON}`,
  services: `heron services — the Heron processes the service registry knows, and whether they are up

Usage: heron services [--json]

One line per instance: id, up/down (by its heartbeat), roles, API address, ports, last heartbeat.
Needs the shared Redis (HERON_REDIS_URL); a single process without it has no registry.

Options:
  --json            the instances as JSON
${COMMON}`,
  secret: `heron secret — rotate a secret every node shares

Usage: heron secret rotate jwt

A new signing secret for API tokens, announced so every running node re-keys at once: every token
issued before stops working and users sign in again. Not for a secret set by HERON_JWT_SECRET
(change it there).
${COMMON}`,
  queue: `heron queue — the outbound queue

Usage:
  heron queue list              mail waiting for delivery
  heron queue flush [<id>]      retry now (a running server picks it up within 30 s)
  heron queue delete <id>       drop an entry without a bounce
${COMMON}`,
};

export function commandHelp(command: string | undefined, sub: string | undefined): string | null {
  if (!command) return null;
  return (sub && COMMAND_HELP[`${command} ${sub}`]) || COMMAND_HELP[command] || null;
}
