// Bundle-size scenario "minimal": only the SOM class (its default plugins come along).
import { SOM } from '@somkit/core';

globalThis.som = new SOM({ rows: 2, cols: 2, dims: 2 });
