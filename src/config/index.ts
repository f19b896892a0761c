export type {
  BenchmarkCommon,
  BenchmarkSpec,
  CommandBenchmark,
  FileBenchmark,
  MetricOverride,
  OllamaBenchmark,
  PerfGateConfig
} from './types.js'
export { loadConfig, parseConfig } from './load.js'
export { ConfigError, type ConfigProblem } from './errors.js'
export {
  resolveMetricClass,
  resolveMetricDirection,
  resolveMetricGate,
  resolveThresholds,
  resolveThresholdsWithSource,
  type ResolvedThresholds,
  type ThresholdSource
} from './thresholds.js'
export {
  BENCHMARK_KINDS,
  COMMAND_FORMATS,
  CONFIG_DEFAULTS,
  ConfigInput,
  FILE_FORMATS,
  type CommandFormat
} from './schema.js'
export { configJsonSchema } from './json-schema.js'
