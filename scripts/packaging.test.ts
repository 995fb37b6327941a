// @module-tag slow
// Packaging gates (conventions §d.12), run by `pnpm test` so CI enforces them:
//  - build, pnpm pack, publint --strict, attw --profile esm-only and our package.json conventions
//    for every published package and example plugin; TypeDoc over the public entry points;
//  - a consumer smoke test: tarballs installed with plain npm in a fresh project, plain Node ESM;
//  - pack:all and a fresh npm project: @somkit/core from its tarballs loads a CLI-written model
//    file with only @somkit/core imported; the same script under Node, Deno and Bun (issue 18);
//  - browser bundles with Vite 8: the size budget, tree-shaking of unused plugins, and the
//    getting-started app running in headless Chromium.
// Skip locally with `pnpm test --tags-filter='!slow'`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPackages, policyIssues } from './check-packages.mjs';
import { EXAMPLES, PUBLISHED, readPackage, root } from './packages.mjs';
import { consumerSmoke } from './consumer-smoke.mjs';
import { freshProject } from './fresh-project.mjs';
import { BACKENDS, runtimes } from './runtimes.mjs';
import { hasName, measure, UNUSED_PLUGIN_NAMES, verdict } from './bundle-size.mjs';

interface Check {
  ok: boolean;
  output?: string;
}
interface PackageReport {
  name: string;
  dir: string;
  ok: boolean;
  pack: Check;
  publint: Check;
  attw: Check;
  policy: { ok: boolean; issues: string[] };
}
interface Report {
  ok: boolean;
  seconds: number;
  build: Check;
  typedoc: Check & { warnings: number };
  packages: PackageReport[];
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let report: Report;
beforeAll(async () => {
  report = await checkPackages({ build: true, typedoc: true, examples: true });
  console.log(`packaging checks: ${report.seconds.toFixed(1)} s`);
}, 600_000);

describe('packaging: pnpm pack, publint --strict, attw --profile esm-only, conventions', () => {
  it('turbo builds the published packages and the example plugins', () => {
    expect(report.build.ok, report.build.output).toBe(true);
  });
  for (const dir of [...PUBLISHED, ...EXAMPLES] as string[]) {
    it(`${readPackage(dir).name} (${dir})`, () => {
      const p = report.packages.find((x) => x.dir === dir);
      expect(p, `${dir} was not checked (build failed?)`).toBeDefined();
      const problems = [
        !p!.pack.ok && `pnpm pack:\n${p!.pack.output}`,
        p!.pack.ok && !p!.publint.ok && `publint --strict:\n${p!.publint.output}`,
        p!.pack.ok && !p!.attw.ok && `attw --profile esm-only:\n${p!.attw.output}`,
        !p!.policy.ok && `conventions:\n${p!.policy.issues.join('\n')}`,
      ].filter(Boolean);
      expect(problems.join('\n\n')).toBe('');
    });
  }
  it('TypeDoc converts every public entry point without errors', () => {
    expect(report.typedoc.ok, report.typedoc.output).toBe(true);
  });
});

describe('packaging: the convention checks catch what they should', () => {
  it('flags types after default, side effects outside ./register, tfjs-core as a dependency, a missing peer', () => {
    const good = readPackage('packages/core');
    expect(policyIssues('packages/core', good, { example: false })).toEqual([]);
    const bad = {
      ...good,
      sideEffects: ['./dist/index.js'],
      exports: { '.': { default: './dist/index.js', types: './dist/index.d.ts' } },
      dependencies: { ...good.dependencies, '@tensorflow/tfjs-core': '4.22.0', '@tensorflow/tfjs-backend-cpu': '4.22.0' },
      peerDependencies: {},
      repository: { ...good.repository, directory: 'packages/other' },
    };
    const issues: string[] = policyIssues('packages/core', bad, { example: false });
    for (const want of [/"types" must come before "default"/, /"default" must be the last/, /sideEffects" lists \.\/dist\/index\.js/, /tfjs-core must be a peerDependency/, /does not list it in peerDependencies/, /tfjs-backend-cpu must not be a dependency/, /repository\.directory/, /exports must include "\.\/package\.json"/]) {
      expect(issues.some((i) => want.test(i)), `${want} in\n${issues.join('\n')}`).toBe(true);
    }
  });
});

describe('consumer smoke test: tarballs in a fresh npm project, plain Node ESM', () => {
  it('installs @somkit/core (+ plugin-api, geometry, kernels, search) and a third-party plugin, trains a SOM, prints QE; nothing else of somkit is installed', async () => {
    const r = await consumerSmoke();
    const failed = r.steps.find((s: { ok: boolean }) => !s.ok);
    expect(failed, failed && `${failed.name}:\n${failed.output}`).toBeUndefined();
    console.log(`consumer smoke: npm install ${r.installSeconds.toFixed(1)} s, total ${r.seconds.toFixed(1)} s; QE ${r.output.qe.toFixed(4)}, TE ${r.output.te}`);
    expect(r.somkitPackages).toEqual(['core', 'geometry', 'kernels', 'plugin-api', 'search']);
    expect(r.absent).toEqual({ '@somkit/viz': true, '@somkit/a3som': true, '@somkit/clustering': true, '@somkit/jitl': true, '@somkit/runtime': true, '@somkit/datasets': true });
    expect(r.output.backend).toBe('cpu');
    expect(r.output.qe).toBeGreaterThan(0);
    expect(r.output.qe).toBeLessThan(1);
    expect(r.output.reloadedQe).toBeCloseTo(r.output.qe, 6);
    expect(r.output.distances).toEqual(['somkit-distance-hamming/hamming']);
    expect(Number.isFinite(r.output.hammingQe)).toBe(true);
    expect(r.output.tensorsLeft).toBe(0);
  }, 300_000);
});

describe('pack:all and a fresh npm project (issue 18)', () => {
  it('installs @somkit/core from the tarballs index.json lists for it; a model file the CLI wrote (cosine, bubble, linear schedules) loads with only @somkit/core imported; a third-party name says which package to import', async () => {
    const r = await freshProject();
    const failed = r.steps.find((s: { ok: boolean }) => !s.ok);
    expect(failed, failed && `${failed.name}:\n${failed.output}`).toBeUndefined();
    console.log(`fresh project: npm install ${r.installSeconds.toFixed(1)} s, total ${r.seconds.toFixed(1)} s; QE ${r.output.qe.toFixed(4)}`);
    for (const dir of PUBLISHED) expect(r.index.packages, `pack:all packed ${dir}`).toContain(readPackage(dir).name);
    expect(r.somkitPackages).toEqual(['core', 'geometry', 'kernels', 'plugin-api', 'search']);
    expect(r.cliConfig.distance).toEqual({ name: 'cosine' });
    expect(r.output.distance).toEqual({ name: 'cosine' });
    expect(r.output.neighborhood).toEqual({ name: 'bubble' });
    expect(r.output.lrDecay).toEqual({ name: 'lr_linear_decay_to_zero' });
    expect(r.output.sigmaDecay).toEqual({ name: 'sig_linear_decay_to_one' });
    expect(Number.isFinite(r.output.qe)).toBe(true);
    expect(r.output.thirdParty.code).toBe('ERR_UNKNOWN_PLUGIN');
    expect(r.output.thirdParty.message).toContain("import 'somkit-distance-hamming/register'");
    expect(r.output.thirdParty.package).toBe('somkit-distance-hamming');
    expect(r.output.tensorsLeft).toBe(0);
  }, 600_000);

  it('the same script (train, evaluate, save, load, build maps, load a CLI file) gives equal results under Node, Deno and Bun, on wasm and on cpu', async (ctx) => {
    const r = await runtimes();
    if (r.skip) {
      console.log(`cross-runtime test skipped: ${r.skip}`);
      ctx.skip();
    }
    const failed = r.steps.find((s: { ok: boolean }) => !s.ok);
    expect(failed, failed && `${failed.name}:\n${failed.output}`).toBeUndefined();
    console.log(`runtimes (${Object.values(r.versions).join(', ')}; ${r.runtimesCached ? 'cached' : 'installed'}): ${r.seconds.toFixed(1)} s; ${Object.entries(r.results).map(([k, v]: [string, any]) => `${k} QE ${v.qe} (${v.seconds.toFixed(1)} s)`).join(', ')}`);
    for (const backend of BACKENDS) {
      const node = r.results[`node/${backend}`];
      expect(node.backend).toBe(backend);
      expect(node.reloadedQe).toBe(node.qe);
      expect(node.tensorsLeft).toBe(0);
      for (const rt of ['deno', 'bun']) {
        const o = r.results[`${rt}/${backend}`];
        const what = `${rt} vs node on ${backend}`;
        expect(o.backend, what).toBe(backend);
        // Same seed, same backend: bit-equal codebooks, so equal QE, TE, maps.
        expect(o.weightsHash, what).toBe(node.weightsHash);
        expect(o.qe, what).toBe(node.qe);
        expect(o.te, what).toBe(node.te);
        expect(o.reloadedQe, what).toBe(node.qe);
        expect(o.umatrixSum, what).toBe(node.umatrixSum);
        expect(o.hitCounts, what).toEqual(node.hitCounts);
        expect(o.cliQe, what).toBe(node.cliQe);
        expect(o.tensorsLeft, what).toBe(0);
      }
    }
    // wasm and cpu agree to float32 tolerance.
    expect(r.results['node/wasm'].qe).toBeCloseTo(r.results['node/cpu'].qe, 5);
  }, 600_000);
});

describe('browser bundles (Vite 8)', () => {
  let m: Awaited<ReturnType<typeof measure>>;
  beforeAll(async () => {
    m = await measure();
  }, 300_000);

  it('`import { SOM } from "@somkit/core"` stays within scripts/size-budget.json', () => {
    const v = verdict(m);
    console.log(v.lines.join('\n'));
    expect(v.ok, v.lines.join('\n')).toBe(true);
  });

  it('the map builders and the model-file reader are loaded on first use, not with the SOM class', () => {
    for (const scenario of ['minimal', 'with-chebyshev']) {
      const r = m.results[scenario].own;
      expect(r.code, `${scenario}: the map builders are in the code a page loads`).not.toMatch(/Unknown map type/);
      expect(r.code, `${scenario}: the model-file reader is in the code a page loads`).not.toMatch(/Invalid somkit model file/);
      expect(r.lazyGzip, `${scenario}: no chunk is loaded on first use`).toBeGreaterThan(0);
    }
  });

  it("engine code a page training on the tfjs reference does not need is loaded on first use (issue 21)", () => {
    for (const scenario of ['minimal', 'with-chebyshev']) {
      const r = m.results[scenario].own;
      for (const module of ['engineKernels', 'measureEngines', 'separableProduct']) {
        expect(r.code, `${scenario}: core's train/${module}.js is in the code a page loads`).not.toMatch(new RegExp(`train/${module}\\.js`));
      }
      expect(r.code, `${scenario}: the engine kernels' size checks are in the code a page loads`).not.toMatch(/returned arrays of/);
    }
  });

  it('a page that only renders a U-matrix from plain data carries no model code and no tfjs (issue 20)', () => {
    const r = m.results.umatrix;
    expect(r.own.code, 'umatrix: @somkit/core is in the bundle').not.toMatch(/packages\/core\/|@somkit\/core/);
    expect(r.own.code).not.toMatch(/Invalid somkit model file|Unknown map type/);
    expect(r.full.gzip, 'umatrix: tfjs is in the bundle (with and without @tensorflow/* external differ)').toBe(r.own.gzip);
    expect(r.own.code).toMatch(/<svg/);
  });

  it('unused plugins are tree-shaken: the minimal bundle names none of them; adding chebyshev adds only chebyshev', () => {
    const minimal = m.results.minimal.own.code as string;
    const withCheb = m.results['with-chebyshev'].own.code as string;
    for (const name of ['euclidean', 'gaussian', 'asymptotic_decay', 'brute-force']) expect(hasName(minimal, name), `${name} (a default) is in the minimal bundle`).toBe(true);
    const leaked = (UNUSED_PLUGIN_NAMES as string[]).filter((n) => hasName(minimal, n));
    expect(leaked, 'plugins the minimal entry never uses ended up in its bundle').toEqual([]);
    expect(hasName(withCheb, 'chebyshev')).toBe(true);
    expect((UNUSED_PLUGIN_NAMES as string[]).filter((n) => n !== 'chebyshev' && hasName(withCheb, n))).toEqual([]);
    const added = m.results['with-chebyshev'].own.gzip - m.results.minimal.own.gzip;
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThanOrEqual(m.budget.maxGzipAddedByOneDistance);
  });

  it.skipIf(!existsSync(CHROMIUM))('the getting-started app (examples/vite-browser) builds and trains a SOM on iris in headless Chromium', async () => {
    const { build, preview } = await import('vite');
    const { chromium } = await import('playwright-core');
    const app = join(root, 'examples', 'vite-browser');
    await build({ root: app, logLevel: 'silent' });
    const server = await preview({ root: app, logLevel: 'silent', preview: { port: 0, host: '127.0.0.1', strictPort: false } });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('response', (r) => {
        if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`);
      });
      await page.goto(server.resolvedUrls!.local[0]!);
      await page.waitForSelector('#result[data-done]', { timeout: 120_000 });
      const result = JSON.parse((await page.textContent('#result'))!);
      expect(errors).toEqual([]);
      expect(result.backend).toBe('cpu');
      expect(result.qe).toBeGreaterThan(0);
      expect(result.qe).toBeLessThan(0.6);
      // The lazily loaded chunks (model-file reader, map builders) load in a real browser.
      expect(result.umatrixMax).toBe(1);
      expect(await page.textContent('#log')).toMatch(/not webgpu: /);
    } finally {
      await browser.close();
      await server.close();
    }
  }, 180_000);

  it('the size budget file is committed and names existing entries', () => {
    const budget = JSON.parse(readFileSync(join(root, 'scripts', 'size-budget.json'), 'utf8'));
    for (const s of Object.values(budget.scenarios) as { entry: string }[]) expect(existsSync(join(root, s.entry)), s.entry).toBe(true);
  });
});
