#!/usr/bin/env node
// Regenerates bench/README.md's tables: somkit on the four perf-anchor sizes (both rules, every
// available search engine) next to the peers' numbers measured on this machine kind
// (../shared/research/perf-anchors.md), plus a scaling sweep with log-log slopes.
// Usage: node bench/anchors.mjs [--data DIR] [--skip-scaling] [--search NAME,...]
// Needs the .npy files written by ../shared/bench/datasets.py --npy (default DIR /tmp/somdata).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({ options: { data: { type: 'string', default: '/tmp/somdata' }, 'skip-scaling': { type: 'boolean' }, search: { type: 'string', default: 'brute-force' } } });
const SIZES = [
  { n: 10000, d: 16, grid: 20, epochs: 10 },
  { n: 60000, d: 64, grid: 32, epochs: 5 },
  { n: 10000, d: 784, grid: 20, epochs: 3 },
  { n: 100000, d: 16, grid: 50, epochs: 2 },
];
// Peers measured on this machine kind (perf-anchors.md §4, best clean run; samples/s, QE).
const PEERS = {
  '10000x16': { minisom: [11164, 1.082], torchsom: [40858, 1.203], torchsom_metrics_off: [67576, 1.203], ref_numpy: [748052, 1.138] },
  '60000x64': { minisom: [2924, 2.333], torchsom: [21079, 2.797], torchsom_metrics_off: [35678, 2.797], ref_numpy: [253909, 2.805] },
  '10000x784': { minisom: [724, 11.34], torchsom: [13610, 15.76], torchsom_metrics_off: [23118, 15.76], ref_numpy: [116047, 15.34] },
  '100000x16': { minisom: [2040, 1.789], torchsom: [15271, 1.796], torchsom_metrics_off: [29067, 1.796], ref_numpy: [125355, 1.762] },
};

function bench(args) {
  const r = spawnSync('node', [join(root, 'packages/cli/dist/bin.js'), 'bench', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    return undefined;
  }
  const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{'));
  return lines.map((l) => JSON.parse(l));
}

const rows = [];
const jsonl = [];
for (const s of SIZES) {
  const file = join(values.data, `blobs_n${s.n}_d${s.d}_c10_s42.npy`);
  if (!existsSync(file)) {
    process.stderr.write(`missing ${file}: run ../shared/bench/datasets.py --n ${s.n} --d ${s.d} --npy --out ${values.data}\n`);
    continue;
  }
  for (const rule of ['minibatch', 'batch-map']) {
    for (const search of values.search.split(',')) {
      const out = bench(['--data', file, '--grid', String(s.grid), '--epochs', String(s.epochs), '--batch', '256', '--rule', rule, '--search', search]);
      if (!out) continue;
      for (const o of out) {
        jsonl.push(o);
        process.stdout.write(`${JSON.stringify(o)}\n`);
        rows.push(o);
      }
    }
  }
}

let scaling = [];
if (!values['skip-scaling']) {
  const sweep = [
    ...[2500, 5000, 10000, 20000].map((n) => ({ axis: 'n', n, d: 16, grid: 20 })),
    ...[10, 20, 40].map((grid) => ({ axis: 'units', n: 10000, d: 16, grid })),
    ...[8, 32, 128].map((d) => ({ axis: 'd', n: 10000, d, grid: 20 })),
  ];
  for (const p of sweep) {
    const out = bench(['--n', String(p.n), '--d', String(p.d), '--grid', String(p.grid), '--epochs', '2', '--batch', '256', '--rule', 'minibatch']);
    if (out) scaling.push({ ...p, seconds: out[0].train_seconds, units: out[0].units });
  }
}

function slope(points) {
  const xs = points.map((p) => Math.log(p[0]));
  const ys = points.map((p) => Math.log(p[1]));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}

const fmt = (v) => (v >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3));
let md = '| size (n × d, grid, epochs) | implementation | rule | samples/s | nominal GFLOP/s | QE | TE |\n|---|---|---|---|---|---|---|\n';
for (const s of SIZES) {
  const key = `${s.n}x${s.d}`;
  const label = `${s.n} × ${s.d}, ${s.grid}×${s.grid}, ${s.epochs}`;
  for (const o of rows.filter((r) => r.n === s.n && r.d === s.d)) {
    md += `| ${label} | **somkit** (${o.backend}, ${o.search}) | ${o.rule} | ${fmt(o.samples_per_second)} | ${o.gflops.toFixed(2)} | ${o.qe.toFixed(3)} | ${o.te.toFixed(4)} |\n`;
  }
  const p = PEERS[key];
  md += `| ${label} | MiniSom \`train\` (online, f64) | online | ${fmt(p.minisom[0])} | | ${p.minisom[1]} | |\n`;
  md += `| ${label} | TorchSOM \`fit\` b=256 | minibatch | ${fmt(p.torchsom[0])} | | ${p.torchsom[1]} | |\n`;
  md += `| ${label} | TorchSOM, per-batch metrics off | minibatch | ${fmt(p.torchsom_metrics_off[0])} | | ${p.torchsom_metrics_off[1]} | |\n`;
  md += `| ${label} | numpy reference (same rule, OpenBLAS) | minibatch | ${fmt(p.ref_numpy[0])} | | ${p.ref_numpy[1]} | |\n`;
}
let sc = '';
if (scaling.length > 0) {
  sc += '| axis | values | seconds | log–log slope |\n|---|---|---|---|\n';
  for (const axis of ['n', 'units', 'd']) {
    const pts = scaling.filter((p) => p.axis === axis);
    const xs = pts.map((p) => (axis === 'n' ? p.n : axis === 'units' ? p.units : p.d));
    sc += `| ${axis} | ${xs.join(', ')} | ${pts.map((p) => p.seconds.toFixed(2)).join(', ')} | ${slope(pts.map((p, i) => [xs[i], p.seconds])).toFixed(2)} |\n`;
  }
}
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'anchors.jsonl'), jsonl.map((o) => JSON.stringify(o)).join('\n') + '\n');
const readme = join(root, 'bench', 'README.md');
const text = existsSync(readme) ? readFileSync(readme, 'utf8') : '# Benchmarks\n';
const block = `<!-- anchors:start -->\n${md}\n${sc ? `Scaling (minibatch, 2 epochs, wasm; time should grow ~linearly in n, units and d):\n\n${sc}` : ''}<!-- anchors:end -->`;
const next = text.includes('<!-- anchors:start -->') ? text.replace(/<!-- anchors:start -->[\s\S]*<!-- anchors:end -->/, block) : `${text}\n${block}\n`;
writeFileSync(readme, next);
process.stderr.write(`updated ${readme}\n`);
