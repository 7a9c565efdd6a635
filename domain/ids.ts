/** Identifiers are opaque strings in every backend (SQLite integer rowids as decimal text, MongoDB ObjectId hex). */
export type Id = string;
