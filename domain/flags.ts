/** RFC 3501 system flags. \Recent is not stored (imap-core derives it per session). */
export const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'] as const;
export type SystemFlag = (typeof SYSTEM_FLAGS)[number];

/** Keywords are atoms; limits keep a hostile client from growing rows without bound. */
export const MAX_FLAGS_PER_MESSAGE = 64;
export const MAX_FLAG_LENGTH = 128;
