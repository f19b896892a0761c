import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { constants } from 'node:os'
import path from 'node:path'
import { runAction } from '../../__tests__/helpers/github-standin-run.js'
import { endAll, eventually, sleepers, uniqueSleep } from '../../__tests__/helpers/processes.js'
import { LocalBaselineStore, safeSegment } from '../../src/baseline/local-store.js'
import { TMP_PREFIX } from '../../src/shared/fs.js'
import {
  hasStackTrace,
  pool,
  removeDir,
  tempDir,
  type CaseResult,
  type RunOptions
} from './common.js'
import { payload } from './events.js'

/*
 * The probes of #19, found from outside the rest of this suite: the local ledger and raw results
 * under 8 concurrent runs, testbed names that used to share a store folder, signals mid-run and
 * the processes they must not leave behind (checked in the process table with `ps`), children a
 * benchmark leaves, outputs of unbounded size, and hostile paths and names. All through the
 * built dist/, as a user or a runner meets them.
 */

const CLI = path.resolve('dist', 'cli.js')
const SIGNAL_LINE =
  /^perf-gate: stopped by (SIG[A-Z]+): ended benchmark '([^']+)' \(process group (\d+)\)$/

interface Ran {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  ms: number
}

function run(
  args: string[],
  cwd: string,
  opts: { detached?: boolean; onSpawn?: (c: ChildProcess) => void; timeoutMs?: number } = {}
): Promise<Ran> {
  return new Promise((resolve) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      detached: opts.detached ?? false,
      env: { PATH: process.env.PATH, HOME: process.env.HOME }
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000)
    opts.onSpawn?.(child)
    child.on('close', (code, signal) => {
      clearTimeout(killer)
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 })
    })
  })
}

function project(config: string, prefix = 'pg-rel-hard-'): string {
  const dir = tempDir(prefix)
  writeFileSync(path.join(dir, 'perf-gate.yml'), config)
  mkdirSync(path.join(dir, 'results'))
  return dir
}

const FILE_CONFIG =
  'testbed: t\nbenchmarks:\n  - name: c\n    kind: file\n    path: results/*.json\n    format: custom\n'

function customResults(dir: string, metrics: number, level = 1): void {
  const entries = Array.from({ length: metrics }, (_, i) => ({
    name: `m${i}`,
    unit: 'ms',
    values: [level, level * 1.1, level * 1.2, level * 1.05, level * 0.98]
  }))
  writeFileSync(path.join(dir, 'results', 'a.json'), JSON.stringify(entries))
}

function outcome(wrong: string[]): Pick<CaseResult, 'outcome' | 'detail'> {
  return { outcome: wrong.length ? 'wrong' : 'recovered', detail: wrong.join('; ') }
}

// --- 1 and 6: the local ledger and the raw results under 8 concurrent runs --------------------

export interface RaceRound extends CaseResult {
  hops: number
  runs: number
  files: number
}

/** One round: a baseline, then `runs` gate runs at once on one `--out`. */
async function localRace(
  round: number,
  runs: number
): Promise<{ ledger: RaceRound; names: CaseResult }> {
  const dir = project(FILE_CONFIG)
  const t0 = performance.now()
  try {
    customResults(dir, 3)
    const first = await run(['baseline', '--results', 'results/*.json'], dir)
    if (first.code !== 0) throw new Error(`baseline failed: ${first.stderr}`)
    const results = await Promise.all(
      Array.from({ length: runs }, (_, i) =>
        run(['gate', '--results', 'results/*.json', '--note', `r${round}-${i}`], dir)
      )
    )
    const ms = performance.now() - t0
    const ledger = readFileSync(path.join(dir, '.perf-gate/out/ledger.md'), 'utf8')
    const hops = (ledger.match(/^- .* · perf · /gm) ?? []).length - 1
    const wrong: string[] = []
    const codes = results.map((r) => r.code)
    if (codes.some((c) => c !== 0)) wrong.push(`exit codes ${codes.join(',')}`)
    if (hops !== runs) wrong.push(`${hops} of ${runs} hop lines`)
    if (results.some((r) => hasStackTrace(r.stdout + r.stderr))) wrong.push('stack trace')
    if (existsSync(path.join(dir, '.perf-gate/out/ledger.md.lock'))) wrong.push('lock left behind')
    // Each run names one file, once, holding its own results.
    const nameWrong: string[] = []
    const printed = results.map((r, i) => {
      const all = [...(r.stdout + r.stderr).matchAll(/results: +(\S+)/g)].map((m) => m[1] ?? '')
      if (all.length !== 1) nameWrong.push(`run ${i} printed its results path ${all.length}×`)
      const file = all[0] ?? ''
      try {
        const note = (JSON.parse(readFileSync(file, 'utf8')) as { note?: string }).note
        if (note !== `r${round}-${i}`)
          nameWrong.push(`run ${i}'s file holds ${String(note)}'s data`)
      } catch (e) {
        nameWrong.push(`run ${i}'s file unreadable: ${(e as Error).message.slice(0, 60)}`)
      }
      return file
    })
    if (new Set(printed).size !== runs) nameWrong.push(`${new Set(printed).size} distinct paths`)
    const raw = readdirSync(path.join(dir, 'benchmarks/results/raw'))
    if (raw.filter((n) => !n.startsWith(TMP_PREFIX)).length !== runs + 1)
      nameWrong.push(`${raw.length} files for ${runs + 1} runs`)
    return {
      ledger: {
        name: `round ${round + 1}: ${runs} gate runs on one ledger.md`,
        ...outcome(wrong),
        ms,
        hops,
        runs,
        files: raw.length
      },
      names: {
        name: `round ${round + 1}: ${runs} results files`,
        ...outcome(nameWrong),
        ms
      }
    }
  } finally {
    removeDir(dir)
  }
}

// --- 2: testbed names that used to share a folder ----------------------------------------------

const COLLIDING = ['gpü', 'gpä', 'gpé', 'gp_', '.', '..', '_', 'a/b', 'a_b', 'CI', 'ci', 'Ci']

async function collisions(quick: boolean): Promise<CaseResult[]> {
  const cases: CaseResult[] = []
  // Every ordered pair through the store: a baseline of one is never the other's.
  const dir = tempDir('pg-rel-testbed-')
  const t0 = performance.now()
  try {
    const store = new LocalBaselineStore(dir)
    const set = (testbed: string) => ({
      version: 1 as const,
      testbed,
      createdAt: '2026-11-22T10:00:00.000Z',
      commit: { sha: null },
      environment: { os: 'l', arch: 'x', cpu: 'c', cpuCount: 1, memoryBytes: 1, node: 'v' },
      benchmarks: [
        {
          name: 'b',
          metrics: [
            {
              name: 'm',
              unit: 'ms',
              direction: 'lower' as const,
              class: 'core' as const,
              samples: [1]
            }
          ]
        }
      ]
    })
    for (const name of COLLIDING) await store.write(set(name))
    // An older store's folder, shared by gpä and gpé under the old names.
    const legacy = path.join(dir, safeSegment('gpä'))
    writeFileSync(path.join(legacy, '20260101T000000000Z_legacy.json'), JSON.stringify(set('gpä')))
    const wrong: string[] = []
    for (const name of COLLIDING) {
      const history = await store.history(name, 100)
      const foreign = history.filter((h) => h.results.testbed !== name)
      if (foreign.length) wrong.push(`${name} read ${foreign[0]?.results.testbed}'s baseline`)
      const own = name === 'gpä' ? 2 : 1
      if (history.length !== own) wrong.push(`${name}: ${history.length} baselines, ${own} written`)
    }
    cases.push({
      name: `${COLLIDING.length} colliding names × each other, in the store (old layout included)`,
      ...outcome(wrong),
      ms: performance.now() - t0
    })
  } finally {
    removeDir(dir)
  }
  // The issue's reproduction through the CLI: baseline on gpä, then gate on each other name.
  const pairs = quick ? [] : COLLIDING.filter((b) => b !== 'gpä').map((b) => ['gpä', b])
  for (const [a, b] of pairs as Array<[string, string]>) {
    const p = project(FILE_CONFIG)
    const t = performance.now()
    try {
      customResults(p, 1, 1)
      const base = await run(['baseline', '--results', 'results/*.json', '--testbed', a], p)
      customResults(p, 1, 5)
      const gate = await run(['gate', '--results', 'results/*.json', '--testbed', b], p)
      const wrong: string[] = []
      if (base.code !== 0) wrong.push(`baseline exit ${base.code}`)
      if (gate.code !== 0) wrong.push(`gate exit ${gate.code}: ${gate.stderr.slice(-200)}`)
      if (!/verdict: neutral/.test(gate.stdout)) wrong.push(`gated ${b} against ${a}'s baseline`)
      cases.push({
        name: `CLI: baseline --testbed ${a}, gate --testbed ${b}`,
        ...outcome(wrong),
        ms: performance.now() - t
      })
    } finally {
      removeDir(p)
    }
  }
  return cases
}

// --- 3: signals mid-run ---------------------------------------------------------------------------

interface SignalCase {
  signal: NodeJS.Signals
  /** To the whole process group, as a terminal's Ctrl-C. */
  group: boolean
  /** Which sleep (1 = the warm-up) is running when the signal comes. */
  at: number
  front: 'cli' | 'action'
}

/** No process left whose command line holds `d`: the sleep, or the shell that ran it. */
function leftovers(d: string): string[] {
  const r = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
  return r.stdout
    .split('\n')
    .filter((l) => l.includes(d) && !l.includes('ps -eo'))
    .map((l) => l.trim())
}

async function signalCase(c: SignalCase): Promise<CaseResult> {
  const d = uniqueSleep()
  // Each run adds a tick; the run that reaches tick `at` sleeps, and the signal comes then.
  const script = `echo tick >> ticks; if [ $(wc -l < ticks) -ge ${c.at} ]; then sleep ${d}; fi`
  const dir = project(
    `testbed: t\nwarmup: 1\nrepetitions: 3\nbenchmarks:\n  - name: slow\n    kind: command\n    run: ${JSON.stringify(script)}\n`
  )
  const name = `${c.front}: ${c.signal}${c.group ? ' to the process group' : ''} during sleep ${c.at}`
  const t0 = performance.now()
  let child: ChildProcess | undefined
  try {
    // A baseline from before, which the signal must leave as it was.
    const store = path.join(dir, '.perf-gate/baselines/t')
    mkdirSync(store, { recursive: true })
    writeFileSync(path.join(store, '20260101T000000000Z_old.json'), '{"kept": true}\n')
    const before = readdirSync(store)
    const ticks = () => {
      try {
        return readFileSync(path.join(dir, 'ticks'), 'utf8').split('\n').length - 1
      } catch {
        return 0
      }
    }
    const onSpawn = (ch: ChildProcess) => {
      child = ch
      void (async () => {
        await eventually(() => ticks() >= c.at && sleepers(d).length > 0, 30_000)
        if (c.group && ch.pid) process.kill(-ch.pid, c.signal)
        else ch.kill(c.signal)
      })()
    }
    let code: number | null
    let text: string
    if (c.front === 'cli') {
      const r = await run(['baseline'], dir, { detached: c.group, onSpawn })
      code = r.code
      text = r.stderr
    } else {
      const r = await runAction({
        ws: dir,
        event: {
          name: 'push',
          payload: payload('push'),
          ref: 'refs/heads/main',
          sha: '9'.repeat(40)
        },
        inputs: { mode: 'gate' },
        onSpawn,
        ...(c.group ? { detached: true } : {})
      })
      code = r.code
      text = r.stdout + r.stderr
    }
    const wrong: string[] = []
    const expected = 128 + (constants.signals[c.signal] ?? 0)
    if (code !== expected) wrong.push(`exit ${code}, expected ${expected}`)
    const line = text
      .trimEnd()
      .split('\n')
      .map((l) => l.replace(/^::error::/, ''))
      .find((l) => SIGNAL_LINE.test(l))
    if (!line) wrong.push(`no line saying what was stopped: ${text.slice(-200)}`)
    else if (SIGNAL_LINE.exec(line)?.[1] !== c.signal)
      wrong.push(`line names another signal: ${line}`)
    const left = await leftoversAfter(d)
    if (left.length) wrong.push(`left running: ${left.join(' | ')}`)
    const after = readdirSync(store)
    if (after.join() !== before.join()) wrong.push(`store changed: ${after.join(', ')}`)
    if (readFileSync(path.join(store, before[0] ?? ''), 'utf8') !== '{"kept": true}\n')
      wrong.push('previous baseline changed')
    if (hasStackTrace(text)) wrong.push('stack trace')
    return { name, ...outcome(wrong), ms: performance.now() - t0 }
  } finally {
    if (child?.exitCode === null) child.kill('SIGKILL')
    endAll(sleepers(d))
    removeDir(dir)
  }
}

/** The process table a moment after the exit: a child may still be on its way out. */
async function leftoversAfter(d: string): Promise<string[]> {
  await eventually(() => leftovers(d).length === 0, 1000)
  return leftovers(d)
}

// --- 4: children a benchmark leaves behind ----------------------------------------------------------

interface ChildCase {
  name: string
  run: (d: string) => string
  /** Processes that escape the group, one a run: they may still run afterwards, reported. */
  escapes: number
  timeout?: number
}

const CHILD_CASES: ChildCase[] = [
  {
    name: 'background child, output to /dev/null',
    run: (d) => `sleep ${d} >/dev/null 2>&1 & echo started`,
    escapes: 0
  },
  {
    name: 'background child holding the pipe (timeout 5 s)',
    run: (d) => `sleep ${d} & echo started`,
    escapes: 0,
    timeout: 5
  },
  {
    name: 'nohup child',
    run: (d) => `nohup sleep ${d} >/dev/null 2>&1 & echo started`,
    escapes: 0
  },
  {
    name: 'double fork (a subshell backgrounds it)',
    run: (d) => `(sleep ${d} >/dev/null 2>&1 &); echo started`,
    escapes: 0
  },
  {
    name: 'setsid child (escapes the group)',
    run: (d) => `setsid sleep ${d} >/dev/null 2>&1 & sleep 0.3; echo started`,
    escapes: 3
  },
  {
    name: 'setsid child holding the pipe',
    run: (d) => `setsid sleep ${d} & sleep 0.3; echo started`,
    escapes: 3,
    timeout: 5
  }
]

async function childCase(c: ChildCase): Promise<CaseResult> {
  const d = uniqueSleep()
  const timeout = c.timeout ? `    timeout: ${c.timeout}\n` : ''
  const dir = project(
    `testbed: t\nwarmup: 1\nrepetitions: 2\nbenchmarks:\n  - name: leaky\n    kind: command\n    run: ${JSON.stringify(c.run(d))}\n${timeout}`
  )
  const t0 = performance.now()
  try {
    const r = await run(['baseline', '--raw-dir', 'raw'], dir)
    const wrong: string[] = []
    if (r.code !== 0) wrong.push(`exit ${r.code}: ${r.stderr.slice(-300)}`)
    // A child still in the group when the command exits is ended there, even one about to call
    // setsid (the setsid cases pause so that it has): up to `escapes` may still run, each of them
    // reported (one warning per run).
    const running = sleepers(d)
    if (running.length > c.escapes)
      wrong.push(`${running.length} left running, at most ${c.escapes} expected`)
    if (c.escapes > 0) {
      if (running.length === 0) wrong.push('no child escaped: the probe measured nothing')
      const warnings = r.stderr
        .split('\n')
        .filter((l) => /running outside its process group/.test(l))
      if (warnings.length !== running.length)
        wrong.push(`${warnings.length} warnings for ${running.length} escaped`)
      const raw = readdirSync(path.join(dir, 'raw'))[0]
      const notes = raw ? readFileSync(path.join(dir, 'raw', raw), 'utf8') : ''
      for (const p of running)
        if (!notes.includes(`pid ${p.pid}`)) wrong.push(`pid ${p.pid} not in the results' notes`)
    }
    if (hasStackTrace(r.stdout + r.stderr)) wrong.push('stack trace')
    return { name: c.name, ...outcome(wrong), ms: performance.now() - t0 }
  } finally {
    endAll(sleepers(d))
    removeDir(dir)
  }
}

// --- 5, 7, 8 and the config: outputs of unbounded size ------------------------------------------

async function caps(): Promise<CaseResult[]> {
  const out: CaseResult[] = []
  const metrics = [12_000, 100_000]
  for (const n of metrics) {
    const dir = project(FILE_CONFIG)
    const t0 = performance.now()
    try {
      customResults(dir, n)
      const r = await runAction({
        ws: dir,
        event: {
          name: 'push',
          payload: payload('push'),
          ref: 'refs/heads/main',
          sha: '9'.repeat(40)
        },
        inputs: { mode: 'gate', results: 'results/*.json' },
        timeoutMs: 600_000
      })
      const wrong: string[] = []
      if (r.code !== 0) wrong.push(`exit ${r.code}: ${r.stderr.slice(-200)}`)
      const summary = Buffer.byteLength(r.summary)
      if (summary > 1024 * 1024) wrong.push(`summary ${summary} bytes`)
      if (!/more rows \(all unchanged\) folded/.test(r.summary)) wrong.push('no folded-rows line')
      const report = Buffer.byteLength(readFileSync(path.join(dir, '.perf-gate/out/report.md')))
      if (report > 1024 * 1024) wrong.push(`report ${report} bytes`)
      // A first run of 100,000 metrics takes about 40 s here; minutes mean a step that grows with
      // the square of the rows (one did: the neutral rows' reasons, copied per row).
      const seconds = (performance.now() - t0) / 1000
      if (seconds > n / 500) wrong.push(`took ${seconds.toFixed(0)} s, over ${n / 500} s`)
      out.push({
        name: `${n.toLocaleString('en-US')} metrics through dist/index.js: summary ${(summary / 1024).toFixed(0)} KiB, report ${(report / 1024).toFixed(0)} KiB`,
        ...outcome(wrong),
        ms: performance.now() - t0
      })
    } finally {
      removeDir(dir)
    }
  }
  // An error quoting a value of any size stays short.
  {
    const mb = 50
    const dir = project(FILE_CONFIG)
    const t0 = performance.now()
    try {
      writeFileSync(
        path.join(dir, 'results', 'a.json'),
        `[{"name":"a","unit":"${'u'.repeat(mb * 1_000_000)}","value":1}]`
      )
      const r = await run(['baseline', '--results', 'results/*.json'], dir)
      const wrong: string[] = []
      if (r.code !== 2) wrong.push(`exit ${r.code}`)
      if (r.stderr.length > 1000) wrong.push(`${r.stderr.length} bytes of stderr`)
      if (!r.stderr.includes(`(${(mb * 1_000_000).toLocaleString('en-US')} characters)`))
        wrong.push(`length not said: ${r.stderr.slice(0, 200)}`)
      out.push({
        name: `a ${mb} MB unit in an error message: ${r.stderr.length} bytes of stderr`,
        ...outcome(wrong),
        ms: performance.now() - t0
      })
    } finally {
      removeDir(dir)
    }
  }
  // stdout past 64 MiB.
  {
    const dir = project(
      `testbed: t\nwarmup: 0\nrepetitions: 1\nbenchmarks:\n  - name: loud\n    kind: command\n    format: custom\n    run: "head -c 70000000 /dev/zero | tr '\\\\0' x; echo; echo '[{\\"name\\":\\"a\\",\\"unit\\":\\"ms\\",\\"value\\":1}]'"\n`
    )
    const t0 = performance.now()
    try {
      const r = await run(['baseline'], dir)
      const wrong: string[] = []
      if (r.code !== 2) wrong.push(`exit ${r.code}`)
      if (!/passed the 64 MiB cap on stdout .* name that file in 'output:'/.test(r.stderr))
        wrong.push(`message: ${r.stderr.slice(-300)}`)
      out.push({
        name: '70 MB on stdout: the cap and output: named',
        ...outcome(wrong),
        ms: performance.now() - t0
      })
    } finally {
      removeDir(dir)
    }
  }
  // A 10 MB config.
  {
    const dir = project(`${FILE_CONFIG}# ${'x'.repeat(10_000_000)}\n`)
    const t0 = performance.now()
    try {
      const r = await run(['gate', '--results', 'results/*.json'], dir)
      const wrong: string[] = []
      if (r.code !== 2) wrong.push(`exit ${r.code}`)
      if (!/the config is 9\.5 MiB; perf-gate reads configs up to 1 MiB/.test(r.stderr))
        wrong.push(`message: ${r.stderr.slice(0, 300)}`)
      out.push({
        name: `a 10 MB config: refused in ${(r.ms / 1000).toFixed(1)} s (parsing took 12.6 s)`,
        ...outcome(wrong),
        ms: performance.now() - t0
      })
    } finally {
      removeDir(dir)
    }
  }
  return out
}

// --- 9, 10, 11: hostile paths and names --------------------------------------------------------

function inNamespace(script: string): { code: number | null; stderr: string } | null {
  if (spawnSync('unshare', ['-rm', 'true']).status !== 0) return null
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, stderr: r.stderr }
}

async function hostile(): Promise<CaseResult[]> {
  const out: CaseResult[] = []
  for (const [kind, mount, cause] of [
    ['read-only', 'ro,size=64k', /the file system is read-only \(EROFS\)$/],
    ['full', 'size=16k', /no space is left on the device \(ENOSPC\)$/]
  ] as const) {
    const dir = project(FILE_CONFIG)
    const t0 = performance.now()
    try {
      customResults(dir, 2000)
      const fs = path.join(dir, 'fs')
      mkdirSync(fs)
      const r = inNamespace(
        `mount -t tmpfs -o ${mount} none ${fs} && cd ${dir} && node ${CLI} run --results 'results/*.json' --out ${fs}/out`
      )
      if (r === null) continue
      const last = r.stderr.trimEnd().split('\n').at(-1) ?? ''
      const wrong: string[] = []
      if (r.code !== 2) wrong.push(`exit ${r.code}`)
      if (!last.startsWith(`perf-gate: cannot write ${fs}/out/`) || !cause.test(last))
        wrong.push(`message: ${last.slice(0, 200)}`)
      out.push({
        name: `--out on a ${kind} file system: exit 2, file and cause named`,
        ...outcome(wrong),
        ms: performance.now() - t0
      })
    } finally {
      removeDir(dir)
    }
  }
  // output: leading out of the project, three ways.
  for (const [how, output] of [
    ['..', '../victim.txt'],
    ['an absolute path', 'ABS'],
    ['a symbolic link', 'up/victim.txt']
  ] as const) {
    const root = tempDir('pg-rel-victim-')
    const t0 = performance.now()
    try {
      const dir = path.join(root, 'project')
      mkdirSync(dir)
      const victim = path.join(root, 'victim.txt')
      writeFileSync(victim, 'keep me')
      symlinkSync(root, path.join(dir, 'up'))
      const target = output === 'ABS' ? victim : output
      writeFileSync(
        path.join(dir, 'perf-gate.yml'),
        `benchmarks:\n  - name: b\n    kind: command\n    run: "true"\n    format: custom\n    output: ${target}\n`
      )
      const r = await run(['run'], dir)
      const wrong: string[] = []
      if (r.code !== 2) wrong.push(`exit ${r.code}`)
      if (!existsSync(victim)) wrong.push('the file outside was deleted')
      if (!/outside the config's folder|must stay inside the config's folder/.test(r.stderr))
        wrong.push(`message: ${r.stderr.slice(0, 200)}`)
      out.push({
        name: `output: outside the project by ${how}: refused, file kept`,
        ...outcome(wrong),
        ms: performance.now() - t0
      })
    } finally {
      removeDir(root)
    }
  }
  // Terminal escapes in names and units, through import and run.
  {
    const dir = project(FILE_CONFIG)
    const t0 = performance.now()
    try {
      const evil = '\u001b[2J\u001b]0;pwned\u0007X\u009b31m\u202e'
      writeFileSync(
        path.join(dir, 'results', 'a.json'),
        JSON.stringify([{ name: evil, unit: `ms${evil}`, direction: 'lower', values: [1, 2, 3] }])
      )
      const imp = await run(['import', 'results/a.json', '--format', 'custom'], dir)
      const runs = await run(['run', '--results', 'results/*.json'], dir)
      // eslint-disable-next-line no-control-regex
      const bad = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/
      const wrong: string[] = []
      if (imp.code !== 0 || runs.code !== 0) wrong.push(`exit ${imp.code}, ${runs.code}`)
      for (const [what, text] of [
        ['import stdout', imp.stdout],
        ['import stderr', imp.stderr],
        ['run stdout', runs.stdout],
        ['run stderr', runs.stderr]
      ] as const)
        if (bad.test(text)) wrong.push(`control characters in ${what}`)
      out.push({
        name: 'escape sequences in names and units: none reach the terminal',
        ...outcome(wrong),
        ms: performance.now() - t0
      })
    } finally {
      removeDir(dir)
    }
  }
  return out
}

// --- the section --------------------------------------------------------------------------------

export interface HardeningReport {
  ledgerRaces: RaceRound[]
  resultNames: CaseResult[]
  collisions: CaseResult[]
  signals: CaseResult[]
  children: CaseResult[]
  caps: CaseResult[]
  hostile: CaseResult[]
}

export async function hardening(opts: RunOptions): Promise<HardeningReport> {
  // The quick run (CI) keeps one round, two signals, the store-level collisions; the rest is full.
  const rounds = opts.quick ? 1 : 10
  const ledgerRaces: RaceRound[] = []
  const resultNames: CaseResult[] = []
  for (let i = 0; i < rounds; i++) {
    const r = await localRace(i, 8)
    opts.log(
      `  ${r.ledger.name}: ${r.ledger.outcome} (${r.ledger.hops}/${r.ledger.runs} hops) ${r.ledger.detail}${r.names.detail}`
    )
    ledgerRaces.push(r.ledger)
    resultNames.push(r.names)
  }
  const coll = await collisions(opts.quick)
  const signalCases: SignalCase[] = opts.quick
    ? [
        { signal: 'SIGINT', group: true, at: 2, front: 'cli' },
        { signal: 'SIGTERM', group: false, at: 1, front: 'action' }
      ]
    : (['cli', 'action'] as const).flatMap((front) =>
        [
          { signal: 'SIGTERM' as const, group: false },
          { signal: 'SIGINT' as const, group: true },
          { signal: 'SIGINT' as const, group: false },
          { signal: 'SIGHUP' as const, group: false }
        ].flatMap((s) => [1, 3].map((at) => ({ ...s, at, front })))
      )
  // One at a time: a signal case reads the process table, which a neighbour's sleeps would fill.
  const signals = await pool(signalCases, 1, signalCase)
  for (const s of signals) opts.log(`  signal ${s.name}: ${s.outcome} ${s.detail}`)
  const children = opts.quick ? [] : await pool(CHILD_CASES, 2, childCase)
  for (const c of children) opts.log(`  children ${c.name}: ${c.outcome} ${c.detail}`)
  const capped = opts.quick ? [] : await caps()
  for (const c of capped) opts.log(`  cap ${c.name}: ${c.outcome} ${c.detail}`)
  const host = opts.quick ? [] : await hostile()
  for (const c of host) opts.log(`  hostile ${c.name}: ${c.outcome} ${c.detail}`)
  return {
    ledgerRaces,
    resultNames,
    collisions: coll,
    signals,
    children,
    caps: capped,
    hostile: host
  }
}
