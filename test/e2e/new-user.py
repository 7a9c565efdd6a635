"""A new user's first session, with Python's own smtplib and imaplib (clients nobody here wrote).

argv: smtp_port imap_port address password phase
phase 'first': deliver, read, search, flag, copy, move, expunge, append; prints a JSON summary.
phase 'after-restart': checks that everything is as it was; prints a JSON summary.
"""
import imaplib, json, smtplib, ssl, sys, time, socket

smtp_port, imap_port, address, password, phase = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
out = {}

def imap():
    m = imaplib.IMAP4('127.0.0.1', imap_port)
    m.starttls(ssl_context=ctx)
    m.login(address, password)
    return m

def msg(i, subject, body):
    return (f'From: Bob Remote <bob@remote.test>\r\nTo: {address}\r\nSubject: {subject}\r\n'
            f'Message-ID: <e2e-{i}@remote.test>\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\n\r\n{body}\r\n')

if phase == 'first':
    # LOGIN before STARTTLS is refused on the plain port (RFC 3501 6.2.3 LOGINDISABLED).
    plain = imaplib.IMAP4('127.0.0.1', imap_port)
    out['logindisabled'] = 'LOGINDISABLED' in plain.capabilities
    try:
        plain.login(address, password)
        out['plain_login'] = 'accepted'
    except imaplib.IMAP4.error:
        out['plain_login'] = 'refused'
    plain.shutdown()

    with smtplib.SMTP('127.0.0.1', smtp_port) as s:
        s.starttls(context=ctx)
        s.ehlo('client.remote.test')
        for i, (subj, body) in enumerate([('Lunch on Friday', 'shall we meet for pizza'),
                                           ('Quarterly report', 'numbers attached heronword'),
                                           ('Holiday plans', 'mountains or sea')]):
            s.sendmail('bob@remote.test', [address], msg(i, subj, body))
        try:
            s.sendmail('bob@remote.test', ['nobody@heron.test'], msg(9, 'x', 'y'))
        except smtplib.SMTPRecipientsRefused as e:
            code, text = list(e.recipients.values())[0]
            out['unknown_user'] = f'{code} {text.decode()[:5]}'
        try:
            s.sendmail('bob@remote.test', ['someone@elsewhere.test'], msg(9, 'x', 'y'))
        except smtplib.SMTPRecipientsRefused as e:
            code, text = list(e.recipients.values())[0]
            out['relay'] = f'{code} {text.decode()[:5]}'

    m = imap()
    typ, data = m.select('INBOX')
    out['exists'] = int(data[0])
    typ, data = m.uid('SEARCH', None, 'TEXT', 'heronword')
    out['search_text'] = data[0].decode()
    typ, data = m.uid('SEARCH', None, 'SUBJECT', 'lunch')
    out['search_subject'] = data[0].decode()
    typ, data = m.fetch('1', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)] FLAGS)')
    out['fetch_subject'] = data[0][1].decode().strip()
    typ, data = m.fetch('2', '(BODY[])')
    out['body_has_received'] = b'Received: from client.remote.test' in data[0][1]
    m.store('1', '+FLAGS', '(\\Flagged)')
    typ, data = m.uid('SEARCH', None, 'FLAGGED')
    out['flagged'] = data[0].decode()
    typ, data = m.uid('SEARCH', None, 'UNSEEN')
    out['unseen_after_body_fetch'] = data[0].decode()
    typ, data = m.copy('1', 'Archive')
    out['copy'] = typ
    typ, data = m._simple_command('MOVE', '3', 'Trash')
    out['move'] = typ
    typ, data = m.status('Archive', '(MESSAGES)')
    out['archive_status'] = data[0].decode()
    m.select('INBOX')
    m.store('1', '+FLAGS', '(\\Deleted)')
    typ, data = m.expunge()
    out['expunged'] = [d.decode() for d in data if d]
    typ, data = m.append('Drafts', '(\\Draft)', imaplib.Time2Internaldate(time.time()),
                         msg(20, 'Draft to self', 'unfinished thoughts').encode())
    out['append'] = typ
    out['appenduid'] = 'APPENDUID' in (data[0] or b'').decode()
    typ, data = m.select('INBOX')
    out['uidvalidity'] = m.untagged_responses.get('UIDVALIDITY', [b'?'])[0].decode()
    typ, data = m.uid('FETCH', '1:*', '(FLAGS)')
    out['inbox_flags'] = [d.decode() for d in data if d]
    m.logout()
elif phase == 'after-restart':
    m = imap()
    typ, data = m.select('INBOX')
    out['exists'] = int(data[0])
    out['uidvalidity'] = m.untagged_responses.get('UIDVALIDITY', [b'?'])[0].decode()
    typ, data = m.uid('FETCH', '1:*', '(FLAGS)')
    out['inbox_flags'] = [d.decode() for d in data if d]
    typ, data = m.status('Archive', '(MESSAGES)')
    out['archive_status'] = data[0].decode()
    typ, data = m.status('Drafts', '(MESSAGES)')
    out['drafts_status'] = data[0].decode()
    typ, data = m.status('Trash', '(MESSAGES)')
    out['trash_status'] = data[0].decode()
    # IDLE: a delivery during IDLE is pushed as EXISTS.
    m.send(b'a1 IDLE\r\n')
    line = m.readline()
    out['idle_continuation'] = line.decode().strip()
    with smtplib.SMTP('127.0.0.1', smtp_port) as s:
        s.sendmail('bob@remote.test', [address], msg(30, 'Pushed while idle', 'ping'))
    m.sock.settimeout(15)
    pushed = m.readline().decode().strip()
    out['idle_push'] = pushed
    m.send(b'DONE\r\n')
    while True:
        line = m.readline().decode()
        if line.startswith('a1 '):
            out['idle_done'] = line.strip()
            break
    m.logout()
print(json.dumps(out))
