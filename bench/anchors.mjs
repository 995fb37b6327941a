#!/usr/bin/env node
// Regenerates bench/README.md's tables: somkit on the four perf-anchor sizes (both rules, every
// available engine) next to the peers' numbers measured on this machine kind
// (../shared/research/perf-anchors.md), plus a scaling sweep with log-log slopes.
// Usage: node bench/anchors.mjs [--data DIR] [--skip-scaling] [--engine NAME,...] [--from bench/results/anchors.jsonl]
// (--from re-renders the tables and the chart from an earlier run's JSON lines without running anything)
// Needs the .npy files written by ../shared/bench/datasets.py --npy (default DIR /tmp/somdata).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { slope } from './slope.mjs';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({ options: { data: { type: 'string', default: '/tmp/somdata' }, 'skip-scaling': { type: 'boolean' }, engine: { type: 'string', default: 'tfjs' }, from: { type: 'string' } } });
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
const previous = values.from ? readFileSync(values.from, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : undefined;
if (previous) for (const o of previous) if (o.kind !== 'scaling') (jsonl.push(o), rows.push(o));
for (const s of previous ? [] : SIZES) {
  const file = join(values.data, `blobs_n${s.n}_d${s.d}_c10_s42.npy`);
  if (!existsSync(file)) {
    process.stderr.write(`missing ${file}: run ../shared/bench/datasets.py --n ${s.n} --d ${s.d} --npy --out ${values.data}\n`);
    continue;
  }
  for (const rule of ['minibatch', 'batch-map']) {
    for (const engine of values.engine.split(',')) {
      const out = bench(['--data', file, '--grid', String(s.grid), '--epochs', String(s.epochs), '--batch', '256', '--rule', rule, '--engine', engine]);
      if (!out) continue;
      for (const o of out) {
        jsonl.push(o);
        process.stdout.write(`${JSON.stringify(o)}\n`);
        rows.push(o);
      }
    }
  }
}

const engines = values.engine.split(',');
let scaling = previous ? previous.filter((o) => o.kind === 'scaling').map(({ kind, ...p }) => p) : [];
if (!previous && !values['skip-scaling']) {
  const sweep = [
    ...[5000, 10000, 20000, 40000].map((n) => ({ axis: 'n', n, d: 16, grid: 20 })),
    ...[10, 20, 30, 40].map((grid) => ({ axis: 'units', n: 10000, d: 16, grid })),
    ...[8, 32, 128, 512].map((d) => ({ axis: 'd', n: 10000, d, grid: 20 })),
  ];
  for (const engine of engines) {
    for (const rule of ['minibatch', 'batch-map']) {
      for (const p of sweep) {
        const out = bench(['--n', String(p.n), '--d', String(p.d), '--grid', String(p.grid), '--epochs', '2', '--batch', '256', '--rule', rule, '--engine', engine]);
        if (out) scaling.push({ ...p, rule, engine, seconds: out[0].train_seconds, units: out[0].units });
      }
    }
  }
}

const fmt = (v) => (v >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3));
let md = '| size (n × d, grid, epochs) | implementation | rule | samples/s | × TorchSOM | nominal GFLOP/s | QE | TE |\n|---|---|---|---|---|---|---|---|\n';
for (const s of SIZES) {
  const key = `${s.n}x${s.d}`;
  const label = `${s.n} × ${s.d}, ${s.grid}×${s.grid}, ${s.epochs}`;
  for (const o of rows.filter((r) => r.n === s.n && r.d === s.d)) {
    const x = o.samples_per_second / PEERS[key].torchsom[0];
    md += `| ${label} | **somkit** (${o.backend}, ${o.engine ?? o.search}) | ${o.rule} | ${fmt(o.samples_per_second)} | ${x.toFixed(2)} | ${o.gflops.toFixed(2)} | ${o.qe.toFixed(3)} | ${o.te.toFixed(4)} |\n`;
  }
  const p = PEERS[key];
  const times = (v) => (v / p.torchsom[0]).toFixed(2);
  md += `| ${label} | MiniSom \`train\` (online, f64) | online | ${fmt(p.minisom[0])} | ${times(p.minisom[0])} | | ${p.minisom[1]} | |\n`;
  md += `| ${label} | TorchSOM \`fit\` b=256 | minibatch | ${fmt(p.torchsom[0])} | 1.00 | | ${p.torchsom[1]} | |\n`;
  md += `| ${label} | TorchSOM, per-batch metrics off | minibatch | ${fmt(p.torchsom_metrics_off[0])} | ${times(p.torchsom_metrics_off[0])} | | ${p.torchsom_metrics_off[1]} | |\n`;
  md += `| ${label} | numpy reference (same rule, OpenBLAS) | minibatch | ${fmt(p.ref_numpy[0])} | ${times(p.ref_numpy[0])} | | ${p.ref_numpy[1]} | |\n`;
}
const AXES = ['n', 'units', 'd'];
const axisValue = (p, axis) => (axis === 'n' ? p.n : axis === 'units' ? p.units : p.d);
const series = [...new Set(scaling.map((p) => `${p.engine ?? p.search}|${p.rule}`))].map((k) => {
  const [engine, rule] = k.split('|');
  return { engine, rule, points: scaling.filter((p) => (p.engine ?? p.search) === engine && p.rule === rule) };
});
let sc = '';
if (scaling.length > 0) {
  sc += '| engine | rule | axis | values | seconds (2 epochs) | log–log slope (all points) | slope of the last segment |\n|---|---|---|---|---|---|---|\n';
  for (const s of series) {
    for (const axis of AXES) {
      const pts = s.points.filter((p) => p.axis === axis);
      if (pts.length < 2) continue;
      const xs = pts.map((p) => axisValue(p, axis));
      const last = slope(pts.slice(-2).map((p, i) => [xs[xs.length - 2 + i], p.seconds]));
      sc += `| ${s.engine} | ${s.rule} | ${axis} | ${xs.join(', ')} | ${pts.map((p) => p.seconds.toFixed(3)).join(', ')} | ${slope(pts.map((p, i) => [xs[i], p.seconds])).toFixed(2)} | ${last.toFixed(2)} |\n`;
    }
  }
}

/** Three log–log panels (time vs n, units, d), one line per engine and rule. */
function scalingSvg() {
  const W = 300, H = 240, M = { l: 52, r: 10, t: 28, b: 40 };
  const colours = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02'];
  const log = Math.log10;
  let body = '';
  AXES.forEach((axis, i) => {
    const pts = scaling.filter((p) => p.axis === axis);
    if (pts.length === 0) return;
    const xs = pts.map((p) => log(axisValue(p, axis)));
    const ys = pts.map((p) => log(p.seconds));
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    const [y0, y1] = [Math.floor(Math.min(...ys) * 2) / 2, Math.ceil(Math.max(...ys) * 2) / 2];
    const px = (v) => M.l + ((v - x0) / (x1 - x0 || 1)) * (W - M.l - M.r);
    const py = (v) => H - M.b - ((v - y0) / (y1 - y0 || 1)) * (H - M.t - M.b);
    let g = `<g transform="translate(${i * W},0)"><text x="${W / 2}" y="16" text-anchor="middle" font-weight="bold">time vs ${axis}</text>`;
    g += `<line x1="${M.l}" y1="${H - M.b}" x2="${W - M.r}" y2="${H - M.b}" stroke="#333"/><line x1="${M.l}" y1="${M.t}" x2="${M.l}" y2="${H - M.b}" stroke="#333"/>`;
    for (const v of [...new Set(pts.map((p) => axisValue(p, axis)))]) g += `<text x="${px(log(v))}" y="${H - M.b + 14}" text-anchor="middle">${v}</text>`;
    for (let e = y0; e <= y1 + 1e-9; e += 0.5) g += `<text x="${M.l - 4}" y="${py(e) + 4}" text-anchor="end">${(10 ** e).toPrecision(2)}</text><line x1="${M.l}" x2="${W - M.r}" y1="${py(e)}" y2="${py(e)}" stroke="#ddd"/>`;
    g += `<text x="${W / 2}" y="${H - 6}" text-anchor="middle">${axis} (log)</text>`;
    series.forEach((s, j) => {
      const sp = s.points.filter((p) => p.axis === axis);
      if (sp.length === 0) return;
      const d = sp.map((p, k) => `${k ? 'L' : 'M'}${px(log(axisValue(p, axis))).toFixed(1)},${py(log(p.seconds)).toFixed(1)}`).join(' ');
      g += `<path d="${d}" fill="none" stroke="${colours[j % colours.length]}" stroke-width="2"/>`;
      for (const p of sp) g += `<circle cx="${px(log(axisValue(p, axis))).toFixed(1)}" cy="${py(log(p.seconds)).toFixed(1)}" r="3" fill="${colours[j % colours.length]}"/>`;
    });
    body += `${g}</g>`;
  });
  const legend = series.map((s, j) => {
    const slopes = AXES.map((a) => {
      const sp = s.points.filter((p) => p.axis === a);
      return sp.length > 1 ? slope(sp.map((p) => [axisValue(p, a), p.seconds])).toFixed(2) : '–';
    });
    return `<g transform="translate(${10 + (j % 2) * 450},${H + 14 + Math.floor(j / 2) * 18})"><rect width="12" height="12" fill="${colours[j % colours.length]}"/><text x="18" y="11">${s.engine}, ${s.rule} — slopes n ${slopes[0]}, units ${slopes[1]}, d ${slopes[2]}</text></g>`;
  }).join('');
  const height = H + 24 + Math.ceil(series.length / 2) * 18;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${3 * W}" height="${height}" font-family="sans-serif" font-size="11"><rect width="100%" height="100%" fill="#fff"/>${body}${legend}</svg>\n`;
}

mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'anchors.jsonl'), [...jsonl, ...scaling.map((p) => ({ kind: 'scaling', ...p }))].map((o) => JSON.stringify(o)).join('\n') + '\n');
if (scaling.length > 0) writeFileSync(join(root, 'bench', 'results', 'scaling.svg'), scalingSvg());
const readme = join(root, 'bench', 'README.md');
const text = existsSync(readme) ? readFileSync(readme, 'utf8') : '# Benchmarks\n';
const block = `<!-- anchors:start -->\n${md}\n${sc ? `Scaling (blobs generated in JS, 2 epochs, batch 256; base point 10000 × 16, 20 × 20; the work is Θ(n·u·d), so a slope near 1 is linear, below 1 means fixed costs still matter at that size):\n\n![time vs n, units and d on log–log axes](results/scaling.svg)\n\n${sc}` : ''}<!-- anchors:end -->`;
const next = text.includes('<!-- anchors:start -->') ? text.replace(/<!-- anchors:start -->[\s\S]*<!-- anchors:end -->/, block) : `${text}\n${block}\n`;
writeFileSync(readme, next);
process.stderr.write(`updated ${readme}\n`);
