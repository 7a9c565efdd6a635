import { z } from 'zod';
import { Email, IdParam, IsoDate, Line, Text } from './common.js';

const DraftFields = {
  to: z.array(Email).max(100).default([]),
  cc: z.array(Email).max(100).default([]),
  bcc: z.array(Email).max(100).default([]),
  subject: Line(998).default(''),
  text: Text(1_000_000).default(''),
};

/** A new draft; `inReplyTo` threads it under one of the user's messages, `forwardOf` copies that message's attachments. */
export const DraftCreate = z.object({ ...DraftFields, inReplyTo: IdParam.optional(), forwardOf: IdParam.optional() }).strict();
/** A re-save: the attachments stay unless listed in `removeAttachments` (their indexes). */
export const DraftUpdate = z.object({ ...DraftFields, removeAttachments: z.array(z.number().int().min(0).max(999)).max(1000).optional() }).strict();
/** Sending sends what the page shows: the fields given here plus the draft's attachments. */
export const DraftSend = z.object(DraftFields).strict();

export const DraftAttachment = z.object({ index: z.number().int(), filename: z.string(), contentType: z.string(), size: z.number() });
export const DraftOut = z.object({
  id: z.string(),
  mailboxId: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  subject: z.string(),
  text: z.string(),
  /** The Message-ID this draft answers, if it is a reply. */
  inReplyTo: z.string().nullable(),
  attachments: z.array(DraftAttachment),
  savedAt: IsoDate,
});

export const UploadQuery = z.object({ filename: Line(255).min(1) });
