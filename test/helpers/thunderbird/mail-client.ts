/**
 * What a Thunderbird user does, done by Thunderbird's own code: chrome scripts call the account
 * setup modules (AccountConfig, ConfigVerifier, CreateInBackend: the account hub's steps), the
 * IMAP folder code, the archiver, and nsIMsgCompose for sending. Nothing here speaks IMAP or SMTP
 * itself; the tests look at the server with their own clients.
 */
import type { Thunderbird } from './thunderbird.js';
import { waitUntil } from './wait.js';

/** Shared by every script: Thunderbird's services and small promise wrappers for its listeners. */
const PRELUDE = `
  const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
  const { MailUtils } = ChromeUtils.importESModule("resource:///modules/MailUtils.sys.mjs");
  const msgWindow = Services.wm.getMostRecentWindow("mail:3pane")?.msgWindow ?? null;
  const socketTypes = { SSL: Ci.nsMsgSocketType.SSL, STARTTLS: Ci.nsMsgSocketType.alwaysSTARTTLS };
  const failure = (what, status) => new Error(what + " failed: 0x" + (status >>> 0).toString(16));
  /**
   * Brings an IMAP folder up to date: resolves when an update that started after this call has
   * finished. updateFolderWithListener drops its listener, without a word, while another update of
   * the folder runs (one Thunderbird started itself after an IDLE EXISTS, or the account hub's
   * first get-messages); that update ends with the folder event FolderLoaded, and then this one
   * asks again.
   */
  const folderUpdated = (folder) => new Promise((resolve, reject) => {
    const { setTimeout } = ChromeUtils.importESModule("resource://gre/modules/Timer.sys.mjs");
    let done = false;
    const onLoaded = {
      QueryInterface: ChromeUtils.generateQI(["nsIFolderListener"]),
      // Later, not from inside the call that may be notifying right now.
      onFolderEvent(f, event) { if (f.URI === folder.URI && event === "FolderLoaded") setTimeout(ask, 50); },
    };
    const finish = (err) => {
      if (done) return;
      done = true;
      MailServices.mailSession.RemoveFolderListener(onLoaded);
      err ? reject(err) : resolve();
    };
    const ours = {
      QueryInterface: ChromeUtils.generateQI(["nsIUrlListener"]),
      OnStartRunningUrl() {},
      OnStopRunningUrl(url, status) { finish(Components.isSuccessCode(status) ? null : failure("url " + url.spec, status)); },
    };
    function ask() {
      if (done) return;
      try { folder.updateFolderWithListener(msgWindow, ours); } catch (err) { finish(err); }
    }
    MailServices.mailSession.AddFolderListener(onLoaded, Ci.nsIFolderListener.event);
    ask();
  });
  /** A copy/move/delete with an nsIMsgCopyServiceListener. */
  const copyDone = (start) => new Promise((resolve, reject) => start({
    QueryInterface: ChromeUtils.generateQI(["nsIMsgCopyServiceListener"]),
    onStartCopy() {}, onProgress() {}, setMessageKey() {}, getMessageId() { return null; },
    onStopCopy(status) { Components.isSuccessCode(status) ? resolve() : reject(failure("copy", status)); },
  }));
  const serverOf = (key) => MailServices.accounts.getAccount(key).incomingServer;
  const folderAt = (key, path) => {
    const f = MailUtils.getExistingFolder(serverOf(key).serverURI + "/" + path);
    if (!f) throw new Error("no folder " + path);
    return f;
  };
  const messageIn = (folder, messageId) => {
    const hdr = folder.msgDatabase.getMsgHdrForMessageID(messageId);
    if (!hdr) throw new Error("no message " + messageId + " in " + folder.URI);
    return hdr;
  };
  /**
   * The account hub's last steps for a found or typed configuration: fill in address and password,
   * verify the IMAP login (ConfigVerifier), create the account (CreateInBackend), get new mail.
   * A certificate Thunderbird does not trust would open the exception dialog: closed and reported.
   */
  const createFromConfig = async (config, who) => {
    const { AccountConfig } = ChromeUtils.importESModule("resource:///modules/accountcreation/AccountConfig.sys.mjs");
    const { ConfigVerifier } = ChromeUtils.importESModule("resource:///modules/accountcreation/ConfigVerifier.sys.mjs");
    const { CreateInBackend } = ChromeUtils.importESModule("resource:///modules/accountcreation/CreateInBackend.sys.mjs");
    AccountConfig.replaceVariables(config, who.realName, who.email, who.password);
    let certDialog = null;
    const watch = (win) => win.addEventListener("load", () => {
      if (!win.location.href.includes("exceptionDialog")) return;
      certDialog = win.arguments?.[0]?.location ?? "?";
      win.close();
    }, { once: true });
    Services.obs.addObserver(watch, "domwindowopened");
    let verified;
    try {
      verified = await new ConfigVerifier(msgWindow, new AbortController().signal)
        .verifyConfig(config, config.source != AccountConfig.kSourceXML);
    } catch (err) {
      throw certDialog ? new Error("Thunderbird does not trust the certificate of " + certDialog) : err;
    } finally {
      Services.obs.removeObserver(watch, "domwindowopened");
    }
    config.incoming.auth = verified.incoming.auth;
    config.outgoing.auth = verified.outgoing.auth;
    config.incoming.username = verified.incoming.username;
    config.outgoing.username = verified.outgoing.username;
    const account = await CreateInBackend.createAccountInBackend(config);
    // As the hub does; for a new account this starts folder discovery and reports to no listener.
    account.incomingServer.getNewMessages(account.incomingServer.rootFolder, msgWindow, null);
    return account.key;
  };
  /** Public DNS cannot be asked from tests: Thunderbird's MX and SRV lookups find nothing. */
  const noPublicDns = () => {
    const { DNS } = ChromeUtils.importESModule("resource:///modules/DNS.sys.mjs");
    DNS.mx = async () => [];
    DNS.srv = async () => [];
  };
  const foundServer = (s) => ({ type: s.type, hostname: s.hostname, port: s.port, socket: s.socketType, auth: s.auth, username: s.username });
  const describe = (h) => ({ messageId: h.messageId, subject: h.mime2DecodedSubject, read: h.isRead, flagged: h.isFlagged });
`;

export interface ServerSettings {
  hostname: string;
  port: number;
  /** Thunderbird's socket types: SSL is implicit TLS, STARTTLS upgrades. */
  socket: 'SSL' | 'STARTTLS';
}

export interface AccountSettings {
  email: string;
  password: string;
  realName: string;
  imap: ServerSettings;
  smtp: ServerSettings;
}

export interface FolderInfo {
  path: string;
  /** Thunderbird's special-folder flags (nsMsgFolderFlags names): Inbox, SentMail, Drafts, Junk, Trash, Archive. */
  roles: string[];
}

export interface MessageInfo {
  /** Without angle brackets, as Thunderbird stores it. */
  messageId: string;
  subject: string;
  read: boolean;
  flagged: boolean;
}

export interface FoundServer {
  type: string;
  hostname: string;
  port: number;
  /** nsMsgSocketType: 2 STARTTLS, 3 implicit TLS. */
  socket: number;
  /** nsMsgAuthMethod: 3 normal password. */
  auth: number;
  username: string;
}

export interface AutoconfigResult {
  /** Where the configuration came from: "xml-from-isp-https", "xml-from-isp-http", "exchange", ... */
  source: string;
  /** The chosen one first, then the alternatives. */
  incoming: FoundServer[];
  outgoing: FoundServer[];
}

export class MailClient {
  constructor(readonly tb: Thunderbird) {}

  private async run<T>(what: string, script: string, args: unknown = {}, timeoutMs?: number): Promise<T> {
    try {
      return await this.tb.run<T>(PRELUDE + script, args, timeoutMs);
    } catch (err) {
      throw new Error(`Thunderbird ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  /**
   * Imports a CA certificate (PEM) into the profile's certificate database as a trust anchor for
   * TLS servers, as an administrator deploying a private CA would (no per-host override).
   */
  trustCa(pem: string): Promise<string> {
    const base64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    return this.run<string>(
      'trust CA',
      `const certdb = Cc["@mozilla.org/security/x509certdb;1"].getService(Ci.nsIX509CertDB);
       const cert = certdb.addCertFromBase64(args.base64, "C,,");
       if (!certdb.isCertTrusted(cert, Ci.nsIX509Cert.CA_CERT, Ci.nsIX509CertDB.TRUSTED_SSL)) throw new Error("CA not trusted for TLS");
       return cert.commonName;`,
      { base64 },
    );
  }

  /**
   * Sets an account up the way the account hub does after the user confirms a configuration:
   * fill in the address and password, verify the login on the IMAP server (ConfigVerifier), then
   * create server, identity and SMTP server (CreateInBackend). Returns the account key.
   */
  createAccount(settings: AccountSettings): Promise<string> {
    return this.run<string>(
      'create account',
      `const { AccountConfig } = ChromeUtils.importESModule("resource:///modules/accountcreation/AccountConfig.sys.mjs");
       const config = new AccountConfig();
       config.source = AccountConfig.kSourceUser;
       const server = (s, type) => ({ type, hostname: s.hostname, port: s.port, socketType: socketTypes[s.socket],
         auth: Ci.nsMsgAuthMethod.passwordCleartext, username: "%EMAILADDRESS%" });
       Object.assign(config.incoming, server(args.imap, "imap"));
       Object.assign(config.outgoing, server(args.smtp, "smtp"), { addThisServer: true });
       return await createFromConfig(config, args);`,
      settings,
    );
  }

  /**
   * The account hub's "Continue" after name, address and password: its parallel lookup
   * (FindConfig.parallelAutoDiscovery: the domain's autoconfig over https and http on
   * autoconfig.<domain> and <domain>/.well-known, Exchange autodiscover, ISPDB, MX), then the
   * same account creation as createAccount. The ISPDB (a Mozilla server) is off in
   * Thunderbird.start's prefs; MX and SRV lookups find nothing (noPublicDns).
   */
  autoconfigure(account: Omit<AccountSettings, 'imap' | 'smtp'>): Promise<{ found: AutoconfigResult; accountKey: string }> {
    return this.run(
      'autoconfigure',
      `const { FindConfig } = ChromeUtils.importESModule("resource:///modules/accountcreation/FindConfig.sys.mjs");
       noPublicDns();
       const domain = args.email.split("@")[1];
       const { value: config } = await FindConfig.parallelAutoDiscovery(domain, args.email, new AbortController().signal, args.password).next();
       if (!config || config.isRedirect) throw new Error("no configuration found for " + domain);
       FindConfig.ewsifyConfig(config);
       const found = {
         source: config.subSource,
         incoming: [config.incoming, ...config.incomingAlternatives].map(foundServer),
         outgoing: [config.outgoing, ...config.outgoingAlternatives].map(foundServer),
       };
       const accountKey = await createFromConfig(config, args);
       return { found, accountKey };`,
      account,
    );
  }

  /** Thunderbird's Exchange autodiscover lookup alone (POST to autodiscover.<domain>), as the hub runs it. */
  exchangeAutodiscover(email: string, password: string): Promise<{ incoming: FoundServer[]; outgoing: FoundServer[] }> {
    return this.run(
      'Exchange autodiscover',
      `const { fetchConfigFromExchange } = ChromeUtils.importESModule("resource:///modules/accountcreation/ExchangeAutoDiscover.sys.mjs");
       noPublicDns();
       const domain = args.email.split("@")[1];
       const config = await fetchConfigFromExchange(domain, args.email, new AbortController().signal, null, args.password,
         () => Promise.reject(new Error("no redirect expected")));
       return {
         incoming: [config.incoming, ...config.incomingAlternatives].map(foundServer),
         outgoing: [config.outgoing, ...config.outgoingAlternatives].map(foundServer),
       };`,
      { email, password },
    );
  }

  /**
   * The account's folders once Thunderbird's own discovery (LIST with SPECIAL-USE, started by the
   * account hub's first "get new messages") has found every folder with the given roles.
   */
  discoveredFolders(accountKey: string, roles: string[], timeoutMs = 30_000): Promise<FolderInfo[]> {
    return waitUntil(`Thunderbird to discover folders with roles ${roles.join(', ')}`, async () => {
      const folders = await this.folders(accountKey);
      return roles.every((r) => folders.some((f) => f.roles.includes(r))) && folders;
    }, timeoutMs);
  }

  /** The account's folder tree as Thunderbird knows it now. */
  folders(accountKey: string): Promise<FolderInfo[]> {
    return this.run<FolderInfo[]>(
      'list folders',
      `const server = serverOf(args.accountKey);
       const roles = ["Inbox", "SentMail", "Drafts", "Junk", "Trash", "Archive"];
       const base = server.serverURI + "/";
       return server.rootFolder.descendants.map((f) => ({
         path: decodeURIComponent(f.URI.slice(base.length)),
         roles: roles.filter((r) => f.flags & Ci.nsMsgFolderFlags[r]),
       }));`,
      { accountKey },
    );
  }

  /** Brings the folder up to date with the server (what selecting it in the folder pane does). */
  sync(accountKey: string, path: string): Promise<MessageInfo[]> {
    return this.run<MessageInfo[]>(
      'sync',
      `const folder = folderAt(args.accountKey, args.path).QueryInterface(Ci.nsIMsgImapMailFolder);
       await folderUpdated(folder);
       return [...folder.messages].map(describe);`,
      { accountKey, path },
    );
  }

  /** What Thunderbird's database holds for the folder now, without asking the server. */
  messages(accountKey: string, path: string): Promise<MessageInfo[]> {
    return this.run<MessageInfo[]>('messages', `return [...folderAt(args.accountKey, args.path).messages].map(describe);`, { accountKey, path });
  }

  /** The user opens the message (marks it read) and stars it. */
  markReadAndFlagged(accountKey: string, path: string, messageId: string): Promise<void> {
    return this.run(
      'mark read and flagged',
      `const folder = folderAt(args.accountKey, args.path);
       const hdr = messageIn(folder, args.messageId);
       folder.markMessagesRead([hdr], true);
       folder.markMessagesFlagged([hdr], true);`,
      { accountKey, path, messageId },
    );
  }

  /** The Archive button (MessageArchiver) with the identity's default settings. */
  archive(accountKey: string, path: string, messageId: string): Promise<void> {
    return this.run(
      'archive',
      `const { MessageArchiver } = ChromeUtils.importESModule("resource:///modules/MessageArchiver.sys.mjs");
       const hdr = messageIn(folderAt(args.accountKey, args.path), args.messageId);
       const archiver = new MessageArchiver();
       archiver.msgWindow = msgWindow;
       await new Promise((resolve) => { archiver.oncomplete = resolve; archiver.archiveMessages([hdr]); });`,
      { accountKey, path, messageId },
    );
  }

  /** The Delete key, with the server's delete model (Thunderbird's default: move to Trash). */
  delete(accountKey: string, path: string, messageId: string): Promise<number> {
    return this.run<number>(
      'delete',
      `const folder = folderAt(args.accountKey, args.path);
       const hdr = messageIn(folder, args.messageId);
       await copyDone((l) => folder.deleteMessages([hdr], msgWindow, false, false, l, true));
       return serverOf(args.accountKey).QueryInterface(Ci.nsIImapIncomingServer).deleteModel;`,
      { accountKey, path, messageId },
    );
  }

  /**
   * Points the account's identity at a new SMTP server (what editing the outgoing server in the
   * account settings does); the password is the account's.
   */
  useSmtpServer(accountKey: string, smtp: ServerSettings, username: string, password: string): Promise<void> {
    return this.run(
      'use SMTP server',
      `const identity = MailServices.accounts.getAccount(args.accountKey).defaultIdentity;
       const out = MailServices.outgoingServer.createServer("smtp").QueryInterface(Ci.nsISmtpServer);
       out.hostname = args.smtp.hostname;
       out.port = args.smtp.port;
       out.socketType = socketTypes[args.smtp.socket];
       out.authMethod = Ci.nsMsgAuthMethod.passwordCleartext;
       out.username = args.username;
       out.password = args.password;
       identity.smtpServerKey = out.key;`,
      { accountKey, smtp, username, password },
    );
  }

  /**
   * Composes a plain-text message and sends it with nsIMsgCompose (the compose window's Send),
   * with the identity's "place a copy in Sent" as configured. Resolves with the Message-ID and
   * the copy's folder (null: no copy) once both the submission and the copy are done.
   */
  send(accountKey: string, msg: { to: string; subject: string; body: string }): Promise<{ messageId: string; fcc: string | null }> {
    return this.run(
      'send',
      `const account = MailServices.accounts.getAccount(args.accountKey);
       const identity = account.defaultIdentity;
       const fields = Cc["@mozilla.org/messengercompose/composefields;1"].createInstance(Ci.nsIMsgCompFields);
       fields.from = MailServices.headerParser.makeMimeAddress(identity.fullName, identity.email);
       fields.to = args.to;
       fields.subject = args.subject;
       fields.body = args.body + "\\r\\n";
       const params = Cc["@mozilla.org/messengercompose/composeparams;1"].createInstance(Ci.nsIMsgComposeParams);
       params.type = Ci.nsIMsgCompType.New;
       params.format = Ci.nsIMsgCompFormat.PlainText;
       params.identity = identity;
       params.composeFields = fields;
       const compose = MailServices.compose.initCompose(params, null, null);
       let messageId = "";
       let failed = null;
       compose.addMsgSendListener({
         QueryInterface: ChromeUtils.generateQI(["nsIMsgSendListener"]),
         onStartSending() {}, onSendProgress() {}, onStatus() {}, onGetDraftFolderURI() {}, onStartCopy() {}, onProgress() {}, onStopCopy() {},
         onSendNotPerformed(id, status) { failed = failure("send not performed", status); },
         onTransportSecurityError(id, status) { failed = failure("transport security", status); },
         onStopSending(id, status) { messageId = (id ?? "").replace(/^<|>$/g, ""); if (!Components.isSuccessCode(status)) failed = failure("send", status); },
       });
       // The compose window's own signal that sending and the copy into Sent are both over.
       const finished = new Promise((resolve, reject) => compose.RegisterStateListener({
         QueryInterface: ChromeUtils.generateQI(["nsIMsgComposeStateListener"]),
         NotifyComposeFieldsReady() {}, NotifyComposeBodyReady() {}, SaveInFolderDone() {},
         ComposeProcessDone(result) { Components.isSuccessCode(result) && !failed ? resolve() : reject(failed ?? failure("compose", result)); },
       }));
       await compose.sendMsg(Ci.nsIMsgCompDeliverMode.Now, identity, args.accountKey, null);
       await finished;
       return { messageId, fcc: identity.doFcc ? identity.fccFolderURI : null };`,
      { accountKey, ...msg },
    );
  }
}
