// A stand-in Ollama server in a process of its own, for the benches that time the client: sharing
// one event loop with the client would add the client's work to the server's timers. Takes its
// models and settings as JSON in argv[2] and prints its URL; it stops when stdin closes.
import { standinModel, startOllamaStandin } from '../__tests__/helpers/ollama-standin.js'
import type { StandinServerOptions, Timing } from '../__tests__/helpers/ollama-standin.js'

interface Spec {
  models: Array<{ name: string; digest?: string; timing: Partial<Timing> }>
  server: StandinServerOptions
}

const spec = JSON.parse(process.argv[2] ?? '{}') as Spec
const standin = await startOllamaStandin(
  spec.models.map((m) => standinModel(m)),
  spec.server
)
process.stdout.write(`${standin.host}\n`)
process.stdin.resume()
process.stdin.on('end', () => {
  void standin.close().then(() => process.exit(0))
})
