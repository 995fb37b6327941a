#!/usr/bin/env node
// Generates src/data/{iris,wine,digits}.ts from the shared CSV copies.
//
//   node scripts/generate.mjs [DATASETS_DIR]
//
// DATASETS_DIR defaults to ../../../shared/datasets relative to this script (a `shared/` folder at the
// repository root); when that does not exist, ../../../../shared/datasets (a `shared/` folder beside
// the checkout) is tried. The CSVs have a header
// row of feature names and a last column `target` (integer class id). The output is committed; the
// package never reads the CSVs at run time.
import { existsSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const inDir = resolve(
  process.argv[2] ??
    [join(here, '../../../shared/datasets'), join(here, '../../../../shared/datasets')].find((p) => existsSync(p)) ??
    join(here, '../../../shared/datasets'),
);
const outDir = join(here, '../src/data');

/** Metadata per dataset; `encoding` picks how the feature values are stored. */
const SPECS = [
  {
    name: 'iris',
    exportName: 'irisData',
    encoding: 'json',
    classNames: ['setosa', 'versicolor', 'virginica'],
    description:
      "Fisher's Iris data: 150 flowers, 4 measurements in cm (sepal length/width, petal length/width), 3 species.",
    license: 'Public domain',
    source: 'UCI Machine Learning Repository, https://archive.ics.uci.edu/dataset/53/iris (copy distributed with scikit-learn)',
  },
  {
    name: 'wine',
    exportName: 'wineData',
    encoding: 'json',
    classNames: ['class_0', 'class_1', 'class_2'],
    description:
      'UCI Wine recognition data (Forina et al.): 178 wines, 13 chemical measurements, 3 cultivars.',
    license: 'CC BY 4.0',
    source: 'UCI Machine Learning Repository, https://archive.ics.uci.edu/dataset/109/wine (copy distributed with scikit-learn)',
  },
  {
    name: 'digits',
    exportName: 'digitsData',
    encoding: 'u8-base64',
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    description:
      'Optical recognition of handwritten digits: 1797 images of 8x8 pixels, values 0-16 (row-major pixel_<row>_<col>), 10 classes.',
    license: 'CC BY 4.0',
    source:
      'UCI Machine Learning Repository, https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits (copy distributed with scikit-learn)',
  },
];

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function fail(msg) {
  throw new Error(`generate.mjs: ${msg}`);
}

/** Parses the simple, unquoted CSVs of the shared folder; validates every cell. */
function parse(text, file) {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const header = lines[0].split(',').map((s) => s.trim());
  if (header[header.length - 1] !== 'target') fail(`${file}: last column must be 'target', got '${header.at(-1)}'`);
  const featureNames = header.slice(0, -1);
  const d = featureNames.length;
  const values = [];
  const target = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',').map((s) => s.trim());
    if (cells.length !== d + 1) fail(`${file}:${i + 1}: expected ${d + 1} fields, got ${cells.length}`);
    for (let j = 0; j < d; j++) {
      if (!NUMBER.test(cells[j])) fail(`${file}:${i + 1}: '${cells[j]}' in column '${featureNames[j]}' is not a number`);
      values.push(Number(cells[j]));
    }
    const t = cells[d];
    if (!/^\d$/.test(t)) fail(`${file}:${i + 1}: target '${t}' is not a class id 0-9`);
    target.push(Number(t));
  }
  return { featureNames, n: lines.length - 1, d, values, target };
}

function encodeValues(spec, values) {
  if (spec.encoding === 'json') {
    // One sample per line keeps diffs readable.
    return `{ encoding: 'json', values: [\n${chunk(values, values.length / spec.n).map((r) => `    ${r.join(', ')},`).join('\n')}\n  ] }`;
  }
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0 || v > 255) fail(`${spec.name}: value ${v} does not fit a byte`);
  }
  const b64 = Buffer.from(Uint8Array.from(values)).toString('base64');
  const lines = [];
  for (let i = 0; i < b64.length; i += 120) lines.push(`    '${b64.slice(i, i + 120)}',`);
  return `{\n    encoding: 'u8-base64',\n    base64: [\n${lines.map((l) => `  ${l}`).join('\n')}\n    ].join(''),\n  }`;
}

function chunk(arr, size) {
  const out = [];
  for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
  return out;
}

const str = (s) => JSON.stringify(s);

await mkdir(outDir, { recursive: true });
for (const spec of SPECS) {
  const file = join(inDir, `${spec.name}.csv`);
  const { featureNames, n, d, values, target } = parse(await readFile(file, 'utf8'), file);
  spec.n = n;
  const classes = new Set(target);
  if (classes.size !== spec.classNames.length || Math.max(...classes) !== spec.classNames.length - 1) {
    fail(`${spec.name}: expected class ids 0..${spec.classNames.length - 1}, got ${[...classes].sort().join(',')}`);
  }
  const ts = `// generated by scripts/generate.mjs — do not edit
import type { EncodedDataset } from '../EncodedDataset.js';

/** ${spec.description} Encoded; decode with \`${spec.name}()\`. */
export const ${spec.exportName}: EncodedDataset = {
  name: ${str(spec.name)},
  description: ${str(spec.description)},
  n: ${n},
  d: ${d},
  featureNames: [${featureNames.map(str).join(', ')}],
  classNames: [${spec.classNames.map(str).join(', ')}],
  license: ${str(spec.license)},
  source: ${str(spec.source)},
  values: ${encodeValues(spec, values)},
  targetDigits:
${chunk(target, 120).map((t) => `    '${t.join('')}'`).join(' +\n')},
};
`;
  const out = join(outDir, `${spec.name}.ts`);
  await writeFile(out, ts);
  process.stdout.write(`wrote ${out} (${n} x ${d}, ${ts.length} bytes)\n`);
}
