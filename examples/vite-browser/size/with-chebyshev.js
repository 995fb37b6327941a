// Bundle-size scenario "with a distance": the minimal scenario plus one more distance plugin.
import { SOM } from '@somkit/core';
import { chebyshev } from '@somkit/kernels';

globalThis.som = new SOM({ rows: 2, cols: 2, dims: 2, distance: chebyshev() });
