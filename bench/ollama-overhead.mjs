// The Ollama runner's own cost per request, and how closely it measures scripted timings.
// Runs the loopback stand-in with zero server work and times (a) a bare node:http request that
// reads the NDJSON stream and (b) the runner's streamed request (our fetch, ollama-js, the timing
// loop). The difference is the harness overhead. Then scripts real delays and compares the
// client-side TTFT and decode rate with the script.
// Usage: npm run bench:ollama [-- --requests 500 --tokens 32]
import { spawnSync } from 'node:child_process'
import http from 'node:http'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '500' },
    tokens: { type: 'string', default: '32' }
  }
})
const requests = Number(values.requests)
const tokens = Number(values.tokens)

// The runner and the stand-in are TypeScript; transpile just them (no type check) into build/.
const out = path.resolve('build/bench-ollama')
const tsc = spawnSync(
  process.execPath,
  [
    'node_modules/typescript/bin/tsc',
    '--outDir',
    out,
    '--rootDir',
    '.',
    '--module',
    'NodeNext',
    '--moduleResolution',
    'NodeNext',
    '--target',
    'ES2022',
    '--skipLibCheck',
    '--types',
    'node',
    '--noCheck',
    '--sourceMap',
    'false',
    'src/runners/ollama-stream.ts',
    '__tests__/helpers/ollama-standin.ts'
  ],
  { stdio: 'inherit' }
)
if (tsc.status !== 0) process.exit(tsc.status ?? 1)
const load = (p) => import(pathToFileURL(path.join(out, p)).href)
const { streamOnce } = await load('src/runners/ollama-stream.js')
const { startOllamaStandin, standinModel } = await load('__tests__/helpers/ollama-standin.js')

const agent = new http.Agent({ keepAlive: true })
const body = JSON.stringify({
  model: 'llama3.2',
  prompt: 'x',
  stream: true,
  options: { num_ctx: 2048, num_predict: tokens }
})

/** The least a client can do: POST, read the stream, parse each line. */
function rawRequest(host) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${host}/api/generate`,
      { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } },
      (res) => {
        let buf = ''
        res.setEncoding('utf8')
        res.on('data', (c) => {
          buf += c
          const lines = buf.split('\n')
          buf = lines.pop() ?? ''
          for (const l of lines) if (l) JSON.parse(l)
        })
        res.on('end', resolve)
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    req.end(body)
  })
}

const request = {
  api: 'generate',
  model: 'llama3.2',
  prompt: 'x',
  options: { num_ctx: 2048, num_predict: tokens },
  keepAlive: '10m'
}
const limits = { timeoutMs: 30_000, stallMs: 30_000 }

async function timeEach(n, fn) {
  const times = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await fn(i)
    times.push(performance.now() - t0)
  }
  return times
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]
}
const ms = (v) => `${v.toFixed(3)} ms`

const zero = { loadMs: 0, warmLoadMs: 0, promptEvalMs: 0, tokenMs: 0, outputTokens: tokens }
const fast = await startOllamaStandin([standinModel({ timing: zero })])
try {
  const warm = Math.min(50, requests)
  await timeEach(warm, () => rawRequest(fast.host))
  await timeEach(warm, () => streamOnce(fast.host, request, limits, 'bench'))
  // Interleaved rounds, so drift in machine load hits both sides alike.
  const raw = []
  const harness = []
  for (let round = 0; round < 5; round++) {
    raw.push(...(await timeEach(requests / 5, () => rawRequest(fast.host))))
    harness.push(
      ...(await timeEach(requests / 5, () => streamOnce(fast.host, request, limits, 'bench')))
    )
  }
  const overhead = quantile(harness, 0.5) - quantile(raw, 0.5)
  console.log(
    `Harness overhead per request (${requests} requests of ${tokens} chunks, loopback, zero server work)\n`
  )
  console.log('| client | median | p90 | p99 |')
  console.log('| --- | --- | --- | --- |')
  console.log(
    `| bare node:http + line parse | ${ms(quantile(raw, 0.5))} | ${ms(quantile(raw, 0.9))} | ${ms(quantile(raw, 0.99))} |`
  )
  console.log(
    `| runner (fetch + ollama-js + timing) | ${ms(quantile(harness, 0.5))} | ${ms(quantile(harness, 0.9))} | ${ms(quantile(harness, 0.99))} |`
  )
  console.log(`\nharness overhead (median difference): ${ms(overhead)} per request (target < 1 ms)`)
} finally {
  await fast.close()
}

// Scripted delays: 150 ms to the first token, then one token every 5 ms (200 tokens/s).
const script = { loadMs: 0, warmLoadMs: 0, promptEvalMs: 150, tokenMs: 5, outputTokens: 41 }
const timed = await startOllamaStandin([standinModel({ timing: script })])
try {
  const runs = []
  for (let i = 0; i < 10; i++) {
    runs.push(
      await streamOnce(
        timed.host,
        { ...request, options: { num_ctx: 2048, num_predict: 41 } },
        limits,
        'bench'
      )
    )
  }
  const ttft = runs.map((r) => r.clientTtftMs)
  const clientRate = runs.map((r) => (40 / (r.e2eMs - r.clientTtftMs)) * 1000)
  const serverRate = runs.map((r) => (r.final.evalCount / r.final.evalDuration) * 1e9)
  const err = (v, want) => `${(((v - want) / want) * 100).toFixed(2)} %`
  console.log('\nAccuracy against scripted delays (10 runs, medians)\n')
  console.log('| quantity | script | measured | error |')
  console.log('| --- | --- | --- | --- |')
  console.log(
    `| client TTFT | 150 ms | ${ms(quantile(ttft, 0.5))} | ${err(quantile(ttft, 0.5), 150)} |`
  )
  console.log(
    `| client decode rate | 200 tokens/s | ${quantile(clientRate, 0.5).toFixed(2)} tokens/s | ${err(quantile(clientRate, 0.5), 200)} |`
  )
  console.log(
    `| decode_tps (server numbers) | 200 tokens/s | ${quantile(serverRate, 0.5).toFixed(2)} tokens/s | ${err(quantile(serverRate, 0.5), 200)} |`
  )
} finally {
  await timed.close()
  agent.destroy()
}
