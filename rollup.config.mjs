import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'

// The dashboard's page inlines uPlot and its own client. In the sources src/dashboard/assets.ts
// reads them from node_modules and src/dashboard/client; the bundle gets a module holding the
// texts instead, so dist/ runs without node_modules.
const ASSETS_ID = '\0perf-gate-dashboard-assets'
function dashboardAssets() {
  const require = createRequire(import.meta.url)
  return {
    name: 'perf-gate-dashboard-assets',
    resolveId(source, importer) {
      if (
        source === './assets.js' &&
        importer?.replace(/\\/g, '/').endsWith('/src/dashboard/write.ts')
      )
        return ASSETS_ID
      return null
    },
    async load(id) {
      if (id !== ASSETS_ID) return null
      const read = (file) => readFile(file, 'utf8')
      const texts = {
        uplotJs: await read(require.resolve('uplot/dist/uPlot.iife.min.js')),
        uplotCss: await read(require.resolve('uplot/dist/uPlot.min.css')),
        appJs: await read('src/dashboard/client/app.js'),
        appCss: await read('src/dashboard/client/app.css')
      }
      return `export async function loadAssets() { return ${JSON.stringify(texts)} }\n`
    }
  }
}

// Two entry points share one engine: the action (dist/index.js) and the CLI (dist/cli.js).
// Shared modules land in dist/chunks so the engine is bundled once.
/** @type {import('rollup').RollupOptions} */
const config = {
  input: { index: 'src/index.ts', cli: 'src/cli/bin.ts' },
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name].js',
    // Rollup names a shared chunk after one of its modules, which moves as the code does; a fixed
    // name for the engine (with the output step) and the dashboard keeps dist/ diffs readable. The
    // outputs share the engine's chunk: they import the engine, and rollup hoists modules both use
    // into one of them, so two manual chunks would import each other and one would run before
    // what it needs is initialised.
    manualChunks: (id) =>
      id.includes('/src/engine/job.') || id.includes('/src/outputs/')
        ? 'engine'
        : id.includes('/src/dashboard/')
          ? 'dashboard'
          : undefined,
    sourcemap: false,
    banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : '')
  },
  onwarn(warning, warn) {
    // Octokit and @actions/* ship CJS shims with top-level `this` and circular requires; zod has
    // comments in places rollup cannot read as annotations. None of these change the bundle's behaviour.
    if (
      ['THIS_IS_UNDEFINED', 'CIRCULAR_DEPENDENCY', 'INVALID_ANNOTATION'].includes(
        warning.code ?? ''
      )
    )
      return
    warn(warning)
  },
  plugins: [
    dashboardAssets(),
    typescript({ tsconfig: './tsconfig.json', sourceMap: false, outDir: 'dist' }),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    commonjs(),
    json()
  ]
}

export default config
