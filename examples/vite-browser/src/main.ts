// docs/getting-started/browser.md walks through this file.
import '@tensorflow/tfjs-backend-cpu'; // the backends you ship: import them so Vite bundles them
import { useBackend } from '@somkit/runtime';
import { buildMap, SOM } from '@somkit/core';
import { iris } from '@somkit/datasets';

const log = (line: string): void => {
  document.querySelector('#log')!.textContent += `${line}\n`;
};

const choice = await useBackend('auto'); // browsers: webgpu → webgl → wasm → cpu
log(`backend: ${choice.backend}`);
for (const r of choice.refused) log(`  not ${r.backend}: ${r.reason}`);

const { data, n, d } = iris(); // [150, 4] row-major Float32Array
const som = new SOM({ rows: 6, cols: 6, dims: d, topology: 'hexagonal', epochs: 15 }); // defaults: σ 3 → 1, PCA init, batch map
await som.fit({ data, shape: [n, d] }, { onEpochEnd: (epoch, logs) => log(`epoch ${epoch}: qe ${logs.qe.toFixed(3)}`) });
const { qe, te } = await som.evaluate({ data, shape: [n, d] });

// A model file round trip and a U-matrix: their code is loaded on first use.
const saved = JSON.stringify(som); // keep it in localStorage, a download, or a server
const loaded = await SOM.fromJSON(saved);
const umatrix = await buildMap(loaded, 'distance'); // values [36] in [0, 1], row-major
som.dispose();
loaded.dispose();

const result = document.querySelector<HTMLElement>('#result')!;
result.textContent = JSON.stringify({ backend: choice.backend, qe, te, umatrixMax: Math.max(...umatrix.values) });
result.dataset.done = 'true';
