"""Submission as Thunderbird would do it, with Python's smtplib: STARTTLS on 587, AUTH, then send.

argv: submission_port imap_port address password remote_address
Prints a JSON summary.
"""
import imaplib, json, smtplib, ssl, sys, time

port, imap_port, address, password, remote = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
out = {}

msg = (f'From: Ann <{address}>\r\nTo: {remote}, bob@heron.test\r\nSubject: Hello from Heron\r\n'
       f'Message-ID: <send-e2e-1@heron.test>\r\nDate: Sun, 29 Nov 2026 10:00:00 +0000\r\n\r\nSent through submission.\r\n')

with smtplib.SMTP('127.0.0.1', port) as s:
    s.ehlo('laptop')
    out['auth_before_tls'] = 'AUTH' in (s.esmtp_features or {})
    try:
        s.sendmail(address, [remote], msg)
        out['unauth_send'] = 'accepted'
    except smtplib.SMTPException as e:
        out['unauth_send'] = str(getattr(e, 'smtp_code', '') or e)[:3]
    s.starttls(context=ctx)
    s.ehlo('laptop')
    s.login(address, password)
    try:
        s.sendmail('mallory@heron.test', [remote], msg)
    except smtplib.SMTPSenderRefused as e:
        out['spoofed_sender'] = f'{e.smtp_code} {e.smtp_error.decode()[:5]}'
    refused = s.sendmail(address, [remote, 'bob@heron.test'], msg)
    out['refused'] = list(refused.keys())

m = imaplib.IMAP4('127.0.0.1', imap_port)
m.starttls(ssl_context=ctx)
m.login(address, password)
typ, data = m.status('Sent', '(MESSAGES)')
out['sent_status'] = data[0].decode()
m.logout()
print(json.dumps(out))
