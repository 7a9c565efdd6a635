export { runImport, ImportAborted, type ImportDeps, type ImportOptions, type ImportCounts, type ImportEvents } from './importer.js';
export { detectFormat, mboxSource, maildirSource, emlSource, type ImportFormat, type ImportSource, type ImportItem, type ImportMessage } from './sources.js';
export { readMbox, unescapeFrom, type MboxEntry, type MboxOversize } from './mbox-reader.js';
export { placeByLabels, splitLabels } from './gmail-labels.js';
export { readMessageKey, separatorDate, type MessageKey } from './message-key.js';
export { flagsFromFileName, fileNameFlags, parseDovecotKeywords } from './maildir-flags.js';
export { folderToPath, pathToFolder } from './maildir-names.js';
export { targetForName, type ImportTarget } from './targets.js';
