export { SomInterpretation, type InterpretationOptions, type ShowPredsOptions } from './SomInterpretation.js';
export { buildReport, MAX_COMPONENT_PLANES, type ReportInput, type ReportClusters, type ReportClusterResult, type ReportTarget } from './buildReport.js';
export { trainingFigures, TRAINING_FIGURES, type TrainingFigure, type TrainingFiguresOptions } from './trainingFigures.js';
export type { ReportColumn } from './columnFigures.js';
export type { Report, ReportFigure } from '@somkit/viz';
