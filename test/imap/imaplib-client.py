"""Drives the Heron IMAP server with Python's imaplib (a client nobody here wrote).
Usage: imaplib-client.py PLAIN_PORT TLS_PORT USER PASSWORD; prints one JSON object."""
import imaplib, json, ssl, sys

plain_port, tls_port, user, password = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
out = {}

# 143-style: STARTTLS before LOGIN (RFC 3501 6.2.1).
m = imaplib.IMAP4('127.0.0.1', plain_port)
out['caps_before_tls'] = sorted(m.capabilities)
try:
    m.login(user, password)
    out['login_before_tls'] = 'OK'
except imaplib.IMAP4.error as e:
    out['login_before_tls'] = 'refused'
m.starttls(ssl_context=ctx)
typ, _ = m.login(user, password)
out['login_after_tls'] = typ
m.logout()

m = imaplib.IMAP4_SSL('127.0.0.1', tls_port, ssl_context=ctx)
m.login(user, password)
typ, _ = m.create('Py/Sub')
out['create'] = typ
msg = b'From: py@example.test\r\nTo: alice@example.test\r\nSubject: from python\r\n\r\nhello from imaplib\r\n'
typ, data = m.append('Py/Sub', '(\\Flagged)', None, msg)
out['append'] = [typ, data[0].decode()]
typ, data = m.select('Py/Sub')
out['select'] = [typ, data[0].decode()]
typ, data = m.fetch('1', '(FLAGS RFC822.SIZE BODY.PEEK[])')
out['fetch_body_equal'] = data[0][1] == msg
out['fetch_meta'] = data[0][0].decode()
typ, data = m.uid('SEARCH', None, 'SUBJECT', '"from python"')
out['uid_search'] = data[0].decode()
typ, data = m.search(None, 'UNSEEN')
out['search_unseen'] = data[0].decode()
typ, data = m.store('1', '+FLAGS', '(\\Seen)')
out['store'] = data[0].decode()
typ, data = m.copy('1', 'INBOX')
out['copy'] = typ
typ, data = m.status('INBOX', '(MESSAGES UIDNEXT)')
out['status'] = data[0].decode()
typ, data = m.list()
out['list'] = [d.decode() for d in data]
m.store('1', '+FLAGS', '(\\Deleted)')
typ, data = m.expunge()
out['expunge'] = [typ, [d.decode() if d else None for d in data]]
typ, data = m.getquotaroot('INBOX')
out['quota'] = typ
typ, data = m.select('Nope')
out['select_missing'] = [typ, data[0].decode()]
out['namespace'] = m.namespace()[1][0].decode()
m.logout()
print(json.dumps(out))
