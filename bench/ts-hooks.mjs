// Module hooks that let `node` run the TypeScript benches straight from the sources: a `.js`
// import that only exists as `.ts` (the NodeNext convention src/ follows) resolves to the `.ts`
// file, which is transpiled without type checking (`npm run typecheck` covers bench/**/*.ts).
// This avoids both a build step and a TS runner dependency for two dev-only scripts.
import { readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { fileURLToPath, URL } from 'node:url'
import ts from 'typescript'

export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
    const url = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL)
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) {
      return { url: url.href, format: 'module', shortCircuit: true }
    }
  }
  return next(specifier, context)
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context)
  const source = await readFile(new URL(url), 'utf8')
  const { outputText } = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: false,
      sourceMap: false
    }
  })
  return { format: 'module', source: outputText, shortCircuit: true }
}
