import type { BenchmarkSpec, PerfGateConfig } from '../../config/types.js'
import type { Fingerprint } from '../../results/environment.js'
import type { Benchmark } from '../../results/model.js'
import { runCommandVisit } from '../../runners/command.js'
import { openOllamaArm } from '../../runners/ollama-arm.js'
import type { Reporter } from '../../runners/progress.js'
import { plural } from '../../shared/text.js'
import { pairedSequentialLook } from '../../stats/adaptive.js'
import type { ThresholdsFor } from '../../stats/compare-sets.js'
import { pairsPlan } from './configs.js'
import { pairedInputs, poolVisits, type PairedVisits } from './pairs.js'
import type { PairSchedule } from './schedule.js'

/*
 * The interleaved visits of one benchmark: warm-ups in each tree, then pairs in the schedule's
 * order, each visit a fresh process (a command) or one request (Ollama, both arms on the same
 * server). After the plan's first block of pairs the paired rule looks; while a metric is open it
 * adds the next block, up to the cap, spending alpha over the looks as adaptive sampling does.
 */

export type Arm = 'base' | 'head'

export interface Tree {
  arm: Arm
  /** "base tree (abc1234)", for messages. */
  label: string
  config: PerfGateConfig
}

/** What a benchmark's visits in one tree need: warm-ups, one visit, the arm's own result. */
interface ArmRunner {
  prepare(): Promise<void>
  visit(label: string): Promise<Benchmark[]>
  result(measured: Benchmark[][]): Benchmark[]
}

export interface MeasureContext {
  base: Tree
  head: Tree
  reporter: Reporter
  thresholdsFor: ThresholdsFor
  env?: NodeJS.ProcessEnv
  /** The head's fingerprint keys (Ollama version, model digest). */
  fingerprint: Fingerprint
}

export interface MeasuredPairs extends PairedVisits {
  /** Each arm's visits as one result, warm-ups apart. */
  baseResult: Benchmark[]
  headResult: Benchmark[]
}

function withTree(e: unknown, tree: Tree, name: string): never {
  if (e instanceof Error && e.message.startsWith(`benchmark '${name}':`)) {
    e.message = e.message.replace(`benchmark '${name}':`, `benchmark '${name}' (${tree.label}):`)
  }
  throw e
}

async function armRunner(
  spec: BenchmarkSpec,
  tree: Tree,
  ctx: MeasureContext,
  warm: Benchmark[][]
): Promise<ArmRunner> {
  // A benchmark can tell which arm it runs in; the two trees differ in nothing else they are told.
  const env = { ...(ctx.env ?? process.env), PERF_GATE_ARM: tree.arm }
  switch (spec.kind) {
    case 'command':
      return {
        async prepare() {
          for (let i = 1; i <= spec.warmup; i++) {
            warm.push(await runCommandVisit(spec, `warm-up ${i}/${spec.warmup}`, env))
          }
        },
        visit: (label) => runCommandVisit(spec, label, env),
        result: (measured) => poolVisits(measured, warm)
      }
    case 'ollama': {
      const arm = await openOllamaArm(spec, tree.label, {
        env,
        defaultTimeoutSeconds: tree.config.timeoutSeconds,
        ...(tree.arm === 'head' ? { fingerprint: ctx.fingerprint } : {})
      })
      return {
        prepare: () => arm.prepare(),
        visit: (label) => arm.visit(label),
        result: () => arm.result()
      }
    }
    case 'file':
      throw new Error(`a file benchmark ('${spec.name}') cannot be measured in pairs`)
  }
}

/** Warm-ups, then the pairs of one benchmark in schedule order, with the adaptive looks. */
export async function measurePairs(
  pair: { base: BenchmarkSpec; head: BenchmarkSpec },
  schedule: PairSchedule,
  ctx: MeasureContext
): Promise<MeasuredPairs> {
  const name = pair.head.name
  // The base decides how many pairs: a pull request cannot buy itself a wider interval.
  const plan = pairsPlan(pair.base)
  const visits: PairedVisits = {
    name,
    base: [],
    head: [],
    baseWarm: [],
    headWarm: [],
    orders: [],
    plan
  }
  const run = async <T>(tree: Tree, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn()
    } catch (e) {
      return withTree(e, tree, name)
    }
  }
  const base = await run(ctx.base, () => armRunner(pair.base, ctx.base, ctx, visits.baseWarm))
  const head = await run(ctx.head, () => armRunner(pair.head, ctx.head, ctx, visits.headWarm))
  await run(ctx.base, () => base.prepare())
  await run(ctx.head, () => head.prepare())

  const started = Date.now()
  let target = plan.min
  while (visits.orders.length < target) {
    const block = schedule.next(target - visits.orders.length)
    for (const order of block) {
      const i = visits.orders.length + 1
      const label = `pair ${i}`
      const arms = order === 'AB' ? (['base', 'head'] as const) : (['head', 'base'] as const)
      for (const arm of arms) {
        const tree = arm === 'base' ? ctx.base : ctx.head
        const runner = arm === 'base' ? base : head
        const visit = await run(tree, () => runner.visit(label))
        visits[arm].push(visit)
      }
      visits.orders.push(order)
      const eta = ((Date.now() - started) / i) * (target - i)
      ctx.reporter.info(
        `  ${name}: pair ${i}/${target} (${order === 'AB' ? 'base, head' : 'head, base'})${i < target ? ` · ETA ${Math.round(eta / 1000)} s` : ''}`
      )
    }
    if (target >= plan.max) break
    const { inputs } = pairedInputs(visits, ctx.thresholdsFor)
    if (inputs.length === 0) break
    const look = pairedSequentialLook(inputs, visits.orders.length, plan)
    ctx.reporter.info(`  ${name}: after ${plural(visits.orders.length, 'pair')}: ${look.reason}`)
    if (look.stop || look.nextRuns <= 0) break
    target = Math.min(plan.max, visits.orders.length + look.nextRuns)
  }
  return {
    ...visits,
    baseResult: base.result(visits.base),
    headResult: head.result(visits.head)
  }
}
