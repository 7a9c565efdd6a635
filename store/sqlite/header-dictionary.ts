/**
 * Preset DEFLATE dictionary for header blocks (PACK_HEAD_DICT): a header block alone is too short
 * for DEFLATE to learn the field names and phrases every message repeats, so they are given up
 * front. zlib favours matches near the end of the dictionary, so the most common text is last.
 * Frozen: stored header blocks depend on these exact bytes. A new dictionary needs a new bit.
 */
export const HEADER_DICTIONARY = Buffer.from(
  [
    'X-Mailer: X-Originating-IP: X-MS-Exchange-Organization-AuthAs: Anonymous',
    'X-MS-Has-Attach: X-MS-TNEF-Correlator: Thread-Topic: Thread-Index: Accept-Language: en-US',
    'Content-Language: en-US X-Auto-Response-Suppress: All Auto-Submitted: auto-generated',
    'Precedence: bulk List-Id: List-Help: List-Post: List-Archive: List-Subscribe: ',
    'List-Unsubscribe-Post: List-Unsubscribe=One-Click List-Unsubscribe: <mailto:',
    'Feedback-ID: X-Google-Smtp-Source: X-Gm-Message-State: X-Received: by 2002:a05:',
    'ARC-Seal: i=1; a=rsa-sha256; t= cv=none; d=google.com; s=arc-20160816; b=',
    'ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=google.com; s=arc-20160816; h=',
    'ARC-Authentication-Results: i=1; mx.google.com; dkim=pass header.i=@',
    'Authentication-Results: spf=pass (sender IP is ) smtp.mailfrom= dkim=pass (signature was verified) header.d=',
    'dmarc=pass action=none header.from= compauth=pass reason=100 spf=none dkim=none dmarc=fail',
    'Received-SPF: Pass (protection.outlook.com: domain of designates as permitted sender)',
    'X-Spam-Status: No, score= X-Spam-Score: X-Spam-Flag: NO X-Virus-Scanned: ',
    'Return-Path: <Delivered-To: Reply-To: In-Reply-To: <References: <Sender: Cc: Bcc: ',
    'Content-Disposition: attachment; filename= inline; Content-ID: <',
    'Content-Type: multipart/alternative; boundary="Content-Type: multipart/mixed; boundary="',
    'Content-Type: multipart/related; boundary=" Content-Type: text/html; charset="UTF-8"',
    'Content-Type: text/plain; charset="UTF-8" Content-Type: text/plain; charset=utf-8; format=flowed',
    'Content-Transfer-Encoding: quoted-printable Content-Transfer-Encoding: base64 Content-Transfer-Encoding: 7bit',
    'MIME-Version: 1.0 User-Agent: Mozilla/5.0 Thunderbird/',
    'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d= s=selector1; s=google; s=default; t=',
    '; h=from:to:subject:date:message-id:mime-version:content-type; bh=; b=',
    'Received: from ([127.0.0.1]) by (Postfix) with ESMTP id for <; ',
    'Received: from by with ESMTPS id (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); ',
    'Received: from mail- (mail- [ ]) by mx.google.com with SMTPS id ',
    '(Heron) with ESMTP id for <; Mon, Tue, Wed, Thu, Fri, Sat, Sun, ',
    ' Jan 2025 Feb 2025 Mar 2025 Apr 2025 May 2025 Jun 2025 Jul 2025 Aug 2025 Sep 2025 Oct 2025 Nov 2025 Dec 2025 ',
    ' Jan 2026 Feb 2026 Mar 2026 Apr 2026 May 2026 Jun 2026 Jul 2026 Aug 2026 Sep 2026 Oct 2026 Nov 2026 Dec 2026 ',
    ' +0000 (UTC) -0700 (PDT) -0800 (PST) +0100 (CET) +0200 ',
    '@gmail.com> @mail.gmail.com> @outlook.com @example.com .com> .org> .net> ',
    'Message-ID: <Message-Id: <Date: From: To: Subject: Re: Fwd: =?UTF-8?Q?=?UTF-8?B?',
  ].join('\r\n'),
  'latin1',
);
