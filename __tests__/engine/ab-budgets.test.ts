import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseConfig } from '../../src/config/load.js'
import type { PerfGateConfig } from '../../src/config/types.js'
import {
  budgetChanges,
  judgingThresholds,
  matchBenchmarks,
  pairsPlan
} from '../../src/engine/ab/configs.js'
import { compareAb, measureAb, planAb, type AbMeasured } from '../../src/engine/ab/index.js'
import type { MeasuredPairs } from '../../src/engine/ab/measure.js'
import { poolVisits } from '../../src/engine/ab/pairs.js'
import type { BaselineChoice } from '../../src/engine/baseline-select.js'
import { silentReporter } from '../../src/runners/index.js'
import { unknownEnvironment } from '../../src/results/environment.js'
import type { Benchmark, Metric, ResultSet } from '../../src/results/model.js'
import { gitRepo } from '../helpers/git-repo.js'
import { gaussian, mulberry32 } from '../helpers/random.js'

const config = (text: string): PerfGateConfig => parseConfig(text, '/repo/perf-gate.yml')

const BASE = `thresholds:
  core: { warn: 5%, fail: 5% }
benchmarks:
  - name: work
    kind: command
    run: ./work
    class: core
  - name: gone
    kind: command
    run: ./gone
`

/** The same benchmark, with the budgets a pull request would like to be judged by. */
const LOOSER = `thresholds:
  core: { warn: 5%, fail: 20% }
benchmarks:
  - name: work
    kind: command
    run: ./work --new-flag
    class: non-critical
    metrics:
      wall-time: { gate: false }
  - name: fresh
    kind: command
    run: ./fresh
`

function visit(value: number, over: Partial<Metric> = {}): Benchmark[] {
  const metric: Metric = {
    name: 'wall-time',
    unit: 'ms',
    direction: 'lower',
    class: 'core',
    samples: [value],
    ...over
  }
  return [{ name: 'work', metrics: [metric] }]
}

/** Ten pairs that share a drifting job factor; the head is `ratio` times the base. */
function pairs(ratio: number, head: Partial<Metric>, seed = 3): MeasuredPairs {
  const rng = mulberry32(seed)
  const base: Benchmark[][] = []
  const heads: Benchmark[][] = []
  for (let i = 0; i < 10; i++) {
    const shared = 100 * Math.exp(0.1 * gaussian(rng))
    base.push(visit(shared * Math.exp(0.005 * gaussian(rng))))
    heads.push(visit(shared * ratio * Math.exp(0.005 * gaussian(rng)), head))
  }
  return {
    name: 'work',
    base,
    head: heads,
    baseWarm: [],
    headWarm: [],
    orders: Array.from({ length: 10 }, (_, i) => (i % 2 ? 'AB' : 'BA')),
    plan: { min: 10, max: 20, step: 10 },
    baseResult: poolVisits(base, []),
    headResult: poolVisits(heads, [])
  }
}

const set = (benchmarks: Benchmark[]): ResultSet => ({
  $schema: 'perf-gate/results',
  version: 1,
  testbed: 'local',
  createdAt: '2026-12-01T00:00:00.000Z',
  commit: { sha: null },
  environment: unknownEnvironment(),
  benchmarks
})

const NO_STORED: BaselineChoice = {
  stored: null,
  how: null,
  distance: null,
  walkedFrom: null,
  commit: null,
  date: null,
  ageMs: null,
  testbed: 'local',
  reason: 'an A/B run compares with the base measured in the same job'
}

function measured(base: PerfGateConfig, head: PerfGateConfig, p: MeasuredPairs): AbMeasured {
  return {
    current: set(p.headResult),
    base: set(p.baseResult),
    pairs: [p],
    matched: matchBenchmarks(base, head),
    run: {
      base: { sha: 'a'.repeat(40), how: 'HEAD~1' },
      head: { sha: 'b'.repeat(40), dirty: false },
      seed: 1,
      order: 'balanced',
      benchmarks: [{ name: 'work', pairs: 10 }],
      stored: [],
      added: ['fresh'],
      removed: ['gone'],
      budgetChanges: budgetChanges(base, head),
      builds: []
    },
    judge: {
      thresholdsFor: judgingThresholds(base, head),
      targetsFor: () => [],
      minSamples: 5
    }
  }
}

describe("an A/B run is judged by the base's config", () => {
  it("fails a +10 % change at the base's 5 % budget although the PR loosened it to 20 %", () => {
    const base = config(BASE)
    const head = config(LOOSER)
    const { outcome } = compareAb(
      measured(base, head, pairs(1.1, { class: 'non-critical' })),
      NO_STORED,
      []
    )
    expect(outcome.verdict).toBe('fail')
    const row = outcome.comparisons.find((c) => c.metric === 'wall-time')
    expect(row).toMatchObject({ class: 'core', thresholds: { warn: 0.05, fail: 0.05 } })
    expect(row?.reason).toMatch(/past the 5 % fail budget/)
  })

  it('keeps gating a metric the PR switched off, in the class the base gave it', () => {
    const base = config(BASE)
    const head = config(LOOSER)
    const { outcome } = compareAb(
      measured(base, head, pairs(1.1, { gate: false, class: 'non-critical' })),
      NO_STORED,
      []
    )
    expect(outcome.comparisons.map((c) => `${c.benchmark}/${c.metric}/${c.class}`)).toEqual([
      'work/wall-time/core'
    ])
    expect(outcome.verdict).toBe('fail')
  })

  it('only warns on the same change when the base itself allows 20 %', () => {
    const base = config(BASE.replace('fail: 5%', 'fail: 20%'))
    const { outcome } = compareAb(measured(base, base, pairs(1.1, {})), NO_STORED, [])
    expect(outcome.verdict).toBe('warn')
    expect(outcome.comparisons[0]?.reason).toMatch(/past the 5 % warn budget/)
  })

  it('says in one line what the PR changes, and lists new and removed benchmarks', () => {
    const base = config(BASE)
    const head = config(LOOSER)
    expect(budgetChanges(base, head)).toEqual([
      'core.fail 5 % → 20 %',
      'work.class core → non-critical',
      'work.wall-time.gate unset → false'
    ])
    expect(budgetChanges(base, base)).toEqual([])
    const m = matchBenchmarks(base, head)
    expect(m.paired.map((p) => p.base.name)).toEqual(['work'])
    // The head's command runs, shaped by the base's entry: its metrics cannot flip a direction.
    expect(m.paired[0]?.head).toMatchObject({
      run: './work --new-flag',
      class: 'core',
      metrics: {}
    })
    expect(m.added).toEqual(['fresh'])
    expect(m.removed).toEqual(['gone'])
  })

  it('takes the pairs from the base: the PR cannot buy itself a wider interval', () => {
    const base = config(BASE.replace('    class: core\n', '    class: core\n    repetitions: 12\n'))
    const head = config(BASE.replace('    class: core\n', '    class: core\n    repetitions: 6\n'))
    expect(pairsPlan(base.benchmarks[0])).toEqual({ min: 12, max: 24, step: 12 })
    expect(budgetChanges(base, head)).toEqual(['work pairs 12–24 → 6–12'])
  })
})

/** A `file` benchmark of class `cls`; `extra` is appended to its entry, `more` to the list. */
const fileConfig = (cls: string, extra = '', more = ''): string =>
  `thresholds:
  core: { warn: 5%, fail: 5% }
  non-critical: { warn: 30%, fail: 50% }
benchmarks:
  - name: imported
    kind: file
    path: results/*.json
    format: custom
    class: ${cls}
${extra}${more}`

/** What a trusted run of the base stored for `imported`: about 100 ms. */
function storedChoice(): BaselineChoice {
  const samples = [100, 100.4, 99.7, 100.2, 99.9, 100.1, 100.3, 99.8]
  const stored = set([
    {
      name: 'imported',
      metrics: [{ name: 'value', unit: 'ms', direction: 'lower', class: 'core', samples }]
    }
  ])
  return {
    ...NO_STORED,
    stored: {
      entry: { testbed: 'local', sha: 'a'.repeat(40), createdAt: '', id: 'x' },
      results: stored
    },
    how: 'ancestor',
    reason: ''
  }
}

describe("a `file` benchmark in an A/B run is judged by the base's entry too", () => {
  it("keeps the gate, class, direction and target of the base's entry when the PR's config drops them", async () => {
    const results = JSON.stringify([
      { name: 'x', unit: 'ms', values: [112, 112.3, 111.8, 112.1, 111.9, 112.2, 112.4, 111.7] }
    ])
    const loosened = '    metrics:\n      value: { gate: false, direction: higher }\n'
    const { dir, shas } = gitRepo([
      {
        'perf-gate.yml': fileConfig('core', '    targets:\n      value: "<= 105"\n'),
        'results/r.json': '[]'
      },
      {
        'perf-gate.yml': fileConfig(
          'non-critical',
          loosened,
          '  - name: added-file\n    kind: file\n    path: results/*.json\n    format: custom\n'
        ),
        'results/r.json': results
      }
    ])
    const file = path.join(dir, 'perf-gate.yml')
    const head = parseConfig(readFileSync(file, 'utf8'), file)
    const plan = await planAb({ base: { kind: 'default' }, when: 'always', seed: 1 }, head, {
      mode: 'gate',
      imported: false,
      reporter: silentReporter
    })
    expect(plan?.base.sha).toBe(shas[0])
    const m = await measureAb(plan!, head, {
      commit: { sha: shas[1] },
      reporter: silentReporter,
      now: new Date('2026-12-01T00:00:00Z')
    })
    // The PR's own file entry is new: listed, never read or gated.
    expect(m.run.stored).toEqual(['imported'])
    expect(m.run.added).toEqual(['added-file'])
    expect(m.current.benchmarks.map((b) => b.name)).toEqual(['imported'])
    expect(m.run.budgetChanges).toEqual([
      'imported.class core → non-critical',
      'imported.value.direction unset → higher',
      'imported.value.gate unset → false',
      'imported.targets.value <= 105 → unset'
    ])
    // The head's arm is read and shaped as the base's entry says: gated, core, lower is better.
    expect(m.current.benchmarks[0]?.metrics[0]).toMatchObject({
      class: 'core',
      direction: 'lower'
    })
    expect(m.current.benchmarks[0]?.metrics[0]?.gate).toBeUndefined()
    expect(m.judge.targetsFor('imported')).toEqual([
      { metric: 'value', op: '<=', bound: 105, text: '<= 105' }
    ])

    const { outcome } = compareAb(m, storedChoice(), [])
    expect(outcome.verdict).toBe('fail')
    expect(outcome.comparisons).toHaveLength(1)
    expect(outcome.comparisons[0]).toMatchObject({
      benchmark: 'imported',
      metric: 'value',
      class: 'core',
      direction: 'lower',
      thresholds: { warn: 0.05, fail: 0.05 },
      verdict: 'fail'
    })
  })
})
