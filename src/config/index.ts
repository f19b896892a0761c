export type {
  BenchmarkCommon,
  BenchmarkSpec,
  CommandBenchmark,
  Expect,
  FileBenchmark,
  MatrixCell,
  MetricOverride,
  OllamaBenchmark,
  PerfGateConfig,
  Slo,
  TargetSpec
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
export { compileExpect, type Scorer } from './expect.js'
export { targetsForCell } from './targets.js'
export { cellName } from './matrix.js'
