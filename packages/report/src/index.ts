export { SomInterpretation, type InterpretationOptions } from './SomInterpretation.js';
export { buildReport, MAX_COMPONENT_PLANES, type ReportInput, type ReportClusters, type ReportClusterResult, type ReportTarget } from './buildReport.js';
export type { ReportColumn } from './columnFigures.js';
export type { Report, ReportFigure } from '@somkit/viz';
