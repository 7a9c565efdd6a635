export { envelopeValue } from './envelope-value.js';
export { bodyStructureValue } from './body-structure.js';
export { convertedStructureValue } from './converted-structure.js';
export { resolveSection, resolveBinary, partAt } from './section.js';
export { EMPTY_PLAN, type SectionPiece, type SectionPlan } from './section-plan.js';
export { filterHeaderFields, binaryHeader } from './header-filter.js';
export { materialize, sectionLiteral, type MessageSource, type SectionBody } from './section-content.js';
export { bodySectionLiteral, binarySectionLiteral, binarySize, type FetchableMessage } from './fetch-section.js';
