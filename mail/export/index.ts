export { runMaildirExport, type ExportDeps, type ExportCounts, type ExportEvents } from './maildir-export.js';
