import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { describeBackends, runDistanceConformance, runNeighborhoodConformance, runScheduleConformance } from '@somkit/testing';
import { builtinDistances, builtinNeighborhoods, builtinSchedules } from './builtins.js';

// First-party plugins pass the same conformance suites a third-party plugin author runs.
describeBackends(['cpu', 'wasm'], () => {
  for (const [name, make] of Object.entries(builtinDistances)) {
    const plugin = name === 'minkowski' ? (make as (o: { p: number }) => ReturnType<typeof make>)({ p: 3 }) : (make as () => ReturnType<typeof make>)();
    runDistanceConformance(plugin);
  }
  for (const make of Object.values(builtinNeighborhoods)) runNeighborhoodConformance((make as () => ReturnType<typeof make>)());
});

for (const make of Object.values(builtinSchedules)) runScheduleConformance((make as () => ReturnType<typeof make>)());
