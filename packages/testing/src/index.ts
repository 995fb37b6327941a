export { describeBackends, availableBackends, backendStatus, activateBackend, type BackendStatus, type DescribeBackendsOptions } from './backends.js';
export { expectNoLeaks, withLeakCheck, type LeakCheck } from './leaks.js';
export { expectClose, type Numeric, type CloseMode } from './expectClose.js';
export { runDistanceConformance, distanceChecks, type DistanceConformanceOptions } from './conformance/distance.js';
export { runNeighborhoodConformance, neighborhoodChecks, type NeighborhoodConformanceOptions } from './conformance/neighborhood.js';
export { runScheduleConformance, scheduleChecks, type ScheduleConformanceOptions } from './conformance/schedule.js';
export { runSearchConformance, searchChecks, type SearchConformanceOptions } from './conformance/search.js';
export { runEngineConformance, engineChecks, type EngineConformanceOptions } from './conformance/engine.js';
export {
  runSomConformance,
  somChecks,
  SOM_CONFORMANCE_TOLERANCES,
  type SomConformanceImpl,
  type SomConformanceOptions,
  type SomConformanceTolerances,
  type SomConformanceSettings,
  type SomConformanceDistance,
  type SomUnderTest,
  type SomFitReport,
} from './conformance/som.js';
export { ConformanceError, rng } from './conformance/util.js';
export { referenceKernels, type ReferenceKernels, type ReferenceKernelsOptions } from './referenceKernels.js';
export { gridTable, type GridTableSpec } from './gridTable.js';
export { type VectorDistance } from './jsDistances.js';
export { jsonPaths, jsonParentOf, type JsonTree, type JsonPath } from './jsonPaths.js';
export { fuzzCases, type FuzzCasesOptions, type FuzzCasesResult } from './fuzzCases.js';
export { flipChars } from './flipChars.js';
export { checkWellFormed, parseCells, svgSize } from './xmlCheck.js';
