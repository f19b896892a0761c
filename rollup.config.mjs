import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'

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
    // name keeps dist/ diffs readable. The engine and the outputs share one chunk: as two, each
    // took modules the other imports, and the cycle between them left a class used before its
    // definition when the bundle loaded.
    manualChunks: (id) =>
      id.includes('/src/engine/job.') || id.includes('/src/outputs/') ? 'engine' : undefined,
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
    typescript({ tsconfig: './tsconfig.json', sourceMap: false, outDir: 'dist' }),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    commonjs(),
    json()
  ]
}

export default config
