import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { importFile, importText } from '../../src/importers/index.js'
import type { Benchmark, Direction } from '../../src/results/model.js'

/**
 * Every result file under fixtures/ imports with `--format auto` (what `perf-gate import FILE
 * --format auto --json` does) to the benchmarks, values and units its tool printed. A fixture
 * added without an expectation here fails the last test.
 */
const nc = { class: 'non-critical' as const }

/** [benchmark, metric, unit, direction, first sample, number of samples] */
type Spot = [string, string, string, Direction, number, number]
interface Expected {
  format: string
  names: string[]
  spots: Spot[]
  /** Fingerprint keys the format records (Go's GOMAXPROCS, cut from the names). */
  fingerprint?: Record<string, string>
}

/**
 * hyperfine run once per file (fixtures/hyperfine/README.md), --runs 5: [file, first wall time,
 * user, system]. The CPU times are hyperfine's means: one sample per file.
 */
const HYPERFINE_RUNS: Array<[string, number, number, number]> = [
  ['hyperfine/runs/loop/run-1.json', 0.22830878724, 0.09601989999999999, 0.00019096399999999998],
  ['hyperfine/runs/loop/run-2.json', 0.27740324184, 0.09517778, 0.000762192],
  ['hyperfine/runs/loop/run-3.json', 0.34117918550000004, 0.09753166, 0.000595724],
  ['hyperfine/runs/loop/run-4.json', 0.18703040464, 0.095412, 0.002516272],
  ['hyperfine/runs/loop/run-5.json', 0.13649914364000001, 0.09580227999999999, 0.000180756],
  ['hyperfine/runs/loop-slowed/run-1.json', 0.33667461826, 0.12470171999999999, 0.0],
  ['hyperfine/runs/loop-slowed/run-2.json', 0.4096361561, 0.12481706000000001, 0.0],
  ['hyperfine/runs/loop-slowed/run-3.json', 0.17637951442000002, 0.1240119, 0.000304952],
  ['hyperfine/runs/loop-slowed/run-4.json', 0.19782292034, 0.12436327999999999, 0.0],
  ['hyperfine/runs/loop-slowed/run-5.json', 0.20259583378, 0.12343688, 0.0015294479999999999]
]
const hyperfineRuns = (): Record<string, Expected> =>
  Object.fromEntries(
    HYPERFINE_RUNS.map(([file, time, user, system]) => [
      file,
      {
        format: 'hyperfine',
        names: ['loop'],
        spots: [
          ['loop', 'time', 's', 'lower', time, 5],
          ['loop', 'user', 's', 'lower', user, 1],
          ['loop', 'system', 's', 'lower', system, 1]
        ]
      }
    ])
  )

const GIB = 1024 ** 3
const EXPECTED: Record<string, Expected> = {
  'benchmarkdotnet/benchmarkdotnet.json': {
    format: 'benchmarkdotnet',
    names: ['Sample.Benchmarks.Fib10', 'Sample.Benchmarks.Fib20'],
    spots: [
      ['Sample.Benchmarks.Fib10', 'time', 'ns', 'lower', 24.805462032556534, 14],
      ['Sample.Benchmarks.Fib20', 'time', 'ns', 'lower', 51.17876464128494, 13]
    ]
  },
  'benchmarkjs/benchmarkjs_output.txt': {
    format: 'benchmarkjs',
    names: ['fib(10)', 'fib(20)', 'createObjectBuffer with 200 comments'],
    spots: [
      ['fib(10)', 'throughput', 'ops/s', 'higher', 1431759, 1],
      ['createObjectBuffer with 200 comments', 'throughput', 'ops/s', 'higher', 81.61, 1]
    ]
  },
  'cargo/cargo_output.txt': {
    format: 'cargo',
    names: ['bench_fib_10', 'bench_fib_20'],
    spots: [['bench_fib_20', 'time', 'ns', 'lower', 18149, 1]]
  },
  'cargo/cargo_output2.txt': {
    format: 'cargo',
    names: [
      'bench_engine_new',
      'bench_engine_new_raw',
      'bench_engine_new_raw_core',
      'bench_engine_register_fn'
    ],
    spots: [['bench_engine_new', 'time', 'ns', 'lower', 211834, 1]]
  },
  'cargo/cargo_output3.txt': {
    format: 'cargo',
    names: ['bench_fib_10', 'bench_fib_20'],
    spots: [['bench_fib_20', 'time', 'ns', 'lower', 18794.12, 1]]
  },
  'cargo/cargo_output_units.txt': {
    format: 'cargo',
    names: ['cmov', 'cmov2', 'mov', 'upload', 'download'],
    spots: [
      ['cmov', 'cycles', 'cycles', 'lower', 2835, 1],
      ['download', 'MS/s', 'MS/s', 'higher', 9001, 1]
    ]
  },
  'cargo/real-libtest.txt': {
    format: 'cargo',
    names: ['bench_copy_4k', 'bench_fib_10', 'bench_fib_15'],
    spots: [
      ['bench_copy_4k', 'time', 'ns', 'lower', 76.17, 1],
      ['bench_copy_4k', 'throughput', 'MB/s', 'higher', 53894, 1],
      ['bench_fib_15', 'time', 'ns', 'lower', 1631.98, 1]
    ]
  },
  'catch2/catch2_output_v2.txt': {
    format: 'catch2',
    names: ['Fibonacci 10', 'Fibonacci 20', 'Fibonacci~ 5!', 'Fibonacci-15_bench'],
    spots: [
      ['Fibonacci 10', 'time', 'ns', 'lower', 344, 1],
      // 41.731 us, converted so a benchmark keeps one unit when Catch2 rescales it.
      ['Fibonacci 20', 'time', 'ns', 'lower', 41731, 1]
    ]
  },
  'catch2/catch2_output_v3.txt': {
    format: 'catch2',
    names: ['Fibonacci 10', 'Fibonacci 20', 'Fibonacci~ 5!', 'Fibonacci-15_bench'],
    spots: [['Fibonacci-15_bench', 'time', 'ns', 'lower', 3789, 1]]
  },
  'catch2/issue16_output.txt': {
    format: 'catch2',
    names: ['Fibonacci 10', 'Fibonacci 20'],
    spots: [
      ['Fibonacci 10', 'time', 'ns', 'lower', 0, 1],
      ['Fibonacci 20', 'time', 'ns', 'lower', 1, 1]
    ]
  },
  'catch2/real-v2-console-x10.txt': {
    format: 'catch2',
    // Ten runs of the console reporter in one file: each run's mean is a sample.
    names: ['Mix 1000'],
    spots: [['Mix 1000', 'time', 'ns', 'lower', 1082.88, 10]]
  },
  'catch2/real-v2-console-x10-slowed.txt': {
    format: 'catch2',
    names: ['Mix 1000'],
    spots: [['Mix 1000', 'time', 'ns', 'lower', 1416.75, 10]]
  },
  'catch2/real-v2.xml': {
    format: 'catch2',
    names: ['Mix 1000'],
    spots: [['Mix 1000', 'time', 'ns', 'lower', 1097.31, 1]]
  },
  'catch2/real-v3-xml-x10.xml': {
    format: 'catch2',
    // Ten XML documents one after the other: ten samples.
    names: ['Mix 1000'],
    spots: [['Mix 1000', 'time', 'ns', 'lower', 1064.93, 10]]
  },
  'catch2/real-v3-xml-x10-slowed.xml': {
    format: 'catch2',
    names: ['Mix 1000'],
    spots: [['Mix 1000', 'time', 'ns', 'lower', 1389.38, 10]]
  },
  'criterion/criterion_output.txt': {
    format: 'cargo',
    names: ['Create Realm', 'Symbols (Execution)', 'For loop (Execution)', 'Fibonacci (Execution)'],
    spots: [['Fibonacci (Execution)', 'time', 'ns', 'lower', 1672496, 1]]
  },
  'criterion/real-bencher.txt': {
    format: 'cargo',
    names: ['fib 10', 'fib/5', 'fib/15', 'copy/4k', 'a fairly long benchmark name that wraps'],
    spots: [['fib/15', 'time', 'ns', 'lower', 1416, 1]]
  },
  'criterion/real-terminal.txt': {
    format: 'criterion',
    names: ['fib 10', 'fib/5', 'fib/15', 'copy/4k', 'a fairly long benchmark name that wraps'],
    spots: [
      ['fib/15', 'time', 'ns', 'lower', 1680.6, 1],
      ['copy/4k', 'throughput', 'B/s', 'higher', 40.57 * GIB, 1],
      ['a fairly long benchmark name that wraps', 'time', 'ns', 'lower', 47.899, 1]
    ]
  },
  'criterion/real-terminal-second-run.txt': {
    format: 'criterion',
    names: ['fib 10', 'fib/5', 'fib/15', 'copy/4k', 'a fairly long benchmark name that wraps'],
    spots: [
      ['copy/4k', 'time', 'ns', 'lower', 198.46, 1],
      ['copy/4k', 'throughput', 'B/s', 'higher', 19.222 * GIB, 1],
      ['a fairly long benchmark name that wraps', 'time', 'ns', 'lower', 57.101, 1]
    ]
  },
  'criterion/target/criterion/fib/15/new/sample.json': {
    format: 'criterion-json',
    names: ['fib/15'],
    spots: [['fib/15', 'time', 'ns', 'lower', 8679291 / 4754, 10]]
  },
  'criterion/target/criterion/fib/15/new/estimates.json': {
    format: 'criterion-json',
    names: ['fib/15'],
    spots: [['fib/15', 'time', 'ns', 'lower', 1470.9928738068832, 1]]
  },
  'criterion/target/criterion/copy/4k/new/sample.json': {
    format: 'criterion-json',
    names: ['copy/4k'],
    spots: [
      ['copy/4k', 'time', 'ns', 'lower', 6070741 / 33078, 10],
      ['copy/4k', 'throughput', 'B/s', 'higher', (4096 * 1e9) / (6070741 / 33078), 10]
    ]
  },
  'criterion/target/criterion/copy/4k/new/estimates.json': {
    format: 'criterion-json',
    // The same estimate as the terminal report of that run (198.46 ns).
    names: ['copy/4k'],
    spots: [['copy/4k', 'time', 'ns', 'lower', 198.456606776741, 1]]
  },
  'custom/customSmallerIsBetter_output2.json': {
    format: 'custom',
    names: ['No instrumentation', 'Deactivated probe', 'No logging', 'Binary file'],
    spots: [['No instrumentation', 'value', 'ns', 'lower', 90.9439, 1]]
  },
  'genai-perf/genai-perf-profile_export_genai_perf.SHAPE.json': {
    format: 'genai-perf',
    names: ['genai-perf-profile_export_genai_perf.SHAPE'],
    spots: [
      [
        'genai-perf-profile_export_genai_perf.SHAPE',
        'time_to_first_token p50',
        'ms',
        'lower',
        16.3,
        1
      ],
      [
        'genai-perf-profile_export_genai_perf.SHAPE',
        'request_latency p99',
        'ms',
        'lower',
        548.69,
        1
      ],
      [
        'genai-perf-profile_export_genai_perf.SHAPE',
        'output_token_throughput',
        'tokens/sec',
        'higher',
        520.87,
        1
      ]
    ]
  },
  'genai-perf/genai-perf-profile_export_genai_perf.csv': {
    format: 'genai-perf',
    names: ['genai-perf-profile_export_genai_perf'],
    spots: [
      ['genai-perf-profile_export_genai_perf', 'time_to_first_token p50', 'ms', 'lower', 8, 1],
      ['genai-perf-profile_export_genai_perf', 'inter_token_latency p99', 'ms', 'lower', 11.98, 1],
      [
        'genai-perf-profile_export_genai_perf',
        'request_throughput',
        'requests/sec',
        'higher',
        123,
        1
      ]
    ]
  },
  'go/go_fiber_duplicate_names_output.txt': {
    format: 'go',
    fingerprint: { 'go.gomaxprocs': '4' },
    // The same names in two packages are four benchmarks, told apart by package.
    names: [
      'BenchmarkAppendMsgitem (github.com/gofiber/fiber/v3/middleware/cache)',
      'BenchmarkUnmarshalitem (github.com/gofiber/fiber/v3/middleware/cache)',
      'BenchmarkAppendMsgitem (github.com/gofiber/fiber/v3/middleware/csrf)',
      'BenchmarkUnmarshalitem (github.com/gofiber/fiber/v3/middleware/csrf)'
    ],
    spots: [
      [
        'BenchmarkAppendMsgitem (github.com/gofiber/fiber/v3/middleware/csrf)',
        'ns/op',
        'ns/op',
        'lower',
        0.3733,
        1
      ],
      [
        'BenchmarkAppendMsgitem (github.com/gofiber/fiber/v3/middleware/cache)',
        'MB/s',
        'MB/s',
        'higher',
        2833.37,
        1
      ]
    ]
  },
  'go/go_fiber_output.txt': {
    format: 'go',
    fingerprint: { 'go.gomaxprocs': '4' },
    names: [
      'Benchmark_Ctx_Accepts/run-[]string{".xml"}',
      'Benchmark_Ctx_Accepts/run-[]string{"json",_"xml"}',
      'Benchmark_Ctx_Accepts/run-[]string{"application/json",_"application/xml"}',
      'Benchmark_Utils_GetOffer/mime_extension#01',
      'Benchmark_Utils_GetOffer/mime_extension#02',
      'Benchmark_Utils_GetOffer/mime_extension#03'
    ],
    spots: [
      ['Benchmark_Utils_GetOffer/mime_extension#01', 'B/op', 'B/op', 'lower', 48, 1],
      ['Benchmark_Utils_GetOffer/mime_extension#01', 'allocs/op', 'allocs/op', 'lower', 2, 1]
    ]
  },
  'go/go_output.txt': {
    format: 'go',
    fingerprint: { 'go.gomaxprocs': '1,8,16' },
    names: [
      'BenchmarkFib10',
      'BenchmarkFib20',
      'BenchmarkFib/my_tabled_benchmark_-_10',
      'BenchmarkFib/my_tabled_benchmark_-_20',
      'BenchmarkFib/my/tabled/benchmark_-_20',
      'BenchmarkFib/my/tabled/benchmark_-_20,var1=13,var2=14',
      'BenchmarkFib11',
      'BenchmarkFib22'
    ],
    spots: [
      ['BenchmarkFib20', 'ns/op', 'ns/op', 'lower', 40537.123, 1],
      ['BenchmarkFib22', 'auxMetricUnits', 'auxMetricUnits', 'lower', 4, 1]
    ]
  },
  'go/go_single_package_output.txt': {
    format: 'go',
    fingerprint: { 'go.gomaxprocs': '8' },
    names: ['BenchmarkFib10', 'BenchmarkFib20'],
    spots: [['BenchmarkFib20', 'ns/op', 'ns/op', 'lower', 40537, 1]]
  },
  'go/real-count3-benchmem-two-packages.txt': {
    format: 'go',
    fingerprint: { 'go.gomaxprocs': '2' },
    names: [
      'BenchmarkFib10 (example.com/gobench/fib)',
      'BenchmarkFibSizes/n=5 (example.com/gobench/fib)',
      'BenchmarkFibSizes/n=15 (example.com/gobench/fib)',
      'BenchmarkAlloc (example.com/gobench/fib)',
      'BenchmarkJoin (example.com/gobench/strs)',
      'BenchmarkFib10 (example.com/gobench/strs)'
    ],
    spots: [
      // -count 3: three samples each.
      ['BenchmarkFib10 (example.com/gobench/fib)', 'ns/op', 'ns/op', 'lower', 233.2, 3],
      ['BenchmarkAlloc (example.com/gobench/fib)', 'widgets/op', 'widgets/op', 'lower', 3, 3],
      ['BenchmarkJoin (example.com/gobench/strs)', 'MB/s', 'MB/s', 'higher', 44.64, 3],
      ['BenchmarkFib10 (example.com/gobench/strs)', 'B/op', 'B/op', 'lower', 16, 3]
    ]
  },
  'go/real-single.txt': {
    format: 'go',
    fingerprint: { 'go.gomaxprocs': '2' },
    names: ['BenchmarkFib10'],
    spots: [['BenchmarkFib10', 'ns/op', 'ns/op', 'lower', 327.7, 1]]
  },
  'go/real-work-count10.txt': {
    format: 'go',
    fingerprint: { 'go.gomaxprocs': '2' },
    // `BenchmarkMix-2`: the GOMAXPROCS suffix is a setting, recorded apart from the name.
    names: ['BenchmarkMix', 'BenchmarkKey'],
    spots: [
      ['BenchmarkMix', 'ns/op', 'ns/op', 'lower', 3269, 10],
      ['BenchmarkKey', 'allocs/op', 'allocs/op', 'lower', 0, 10],
      ['BenchmarkKey', 'B/op', 'B/op', 'lower', 0, 10]
    ]
  },
  'go/real-work-count10-slowed.txt': {
    format: 'go',
    fingerprint: { 'go.gomaxprocs': '2' },
    names: ['BenchmarkMix', 'BenchmarkKey'],
    spots: [
      ['BenchmarkMix', 'ns/op', 'ns/op', 'lower', 2761, 10],
      ['BenchmarkKey', 'allocs/op', 'allocs/op', 'lower', 1, 10],
      ['BenchmarkKey', 'B/op', 'B/op', 'lower', 8, 10]
    ]
  },
  'go/real-work-count10-cpu4.txt': {
    format: 'go',
    fingerprint: { 'go.gomaxprocs': '4' },
    names: ['BenchmarkMix', 'BenchmarkKey'],
    spots: [['BenchmarkKey', 'ns/op', 'ns/op', 'lower', 15.85, 10]]
  },
  'go/real-work-cpu1-2.txt': {
    format: 'go',
    // -cpu 1,2: one benchmark at two settings stays two benchmarks, named as Go printed them.
    fingerprint: { 'go.gomaxprocs': '1,2' },
    names: ['BenchmarkMix', 'BenchmarkMix-2'],
    spots: [
      ['BenchmarkMix', 'ns/op', 'ns/op', 'lower', 3520, 3],
      ['BenchmarkMix-2', 'ns/op', 'ns/op', 'lower', 2964, 3]
    ]
  },
  'googlebench/googlecpp_output.json': {
    format: 'googlebench',
    names: ['fib_10', 'fib_20'],
    spots: [
      ['fib_10', 'real_time', 'ns', 'lower', 214.98980114547953, 1],
      ['fib_20', 'cpu_time', 'ns', 'lower', 27364.903204272359, 1]
    ]
  },
  'googlebench/real-work-reps10.json': {
    format: 'googlebench',
    names: ['BM_Mix/1000'],
    spots: [
      ['BM_Mix/1000', 'real_time', 'ns', 'lower', 2951.1079965586814, 10],
      ['BM_Mix/1000', 'cpu_time', 'ns', 'lower', 1098.5028140389277, 10]
    ]
  },
  'googlebench/real-work-reps10-slowed.json': {
    format: 'googlebench',
    names: ['BM_Mix/1000'],
    spots: [
      ['BM_Mix/1000', 'real_time', 'ns', 'lower', 4359.435690122254, 10],
      ['BM_Mix/1000', 'cpu_time', 'ns', 'lower', 1437.0746891412202, 10]
    ]
  },
  'hyperfine/hyperfine-two-commands.json': {
    format: 'hyperfine',
    names: ['sleep 20ms', 'true'],
    spots: [['sleep 20ms', 'time', 's', 'lower', 0.021395, 10]]
  },
  'hyperfine/work-baseline.json': {
    format: 'hyperfine',
    names: ['work'],
    spots: [['work', 'time', 's', 'lower', 0.051731, 10]]
  },
  'hyperfine/work-same.json': {
    format: 'hyperfine',
    names: ['work'],
    spots: [['work', 'time', 's', 'lower', 0.051917, 10]]
  },
  'hyperfine/work-slower-2x.json': {
    format: 'hyperfine',
    names: ['work'],
    spots: [['work', 'time', 's', 'lower', 0.101671, 10]]
  },
  'hyperfine/work-slower-20pct.json': {
    format: 'hyperfine',
    names: ['work'],
    spots: [['work', 'time', 's', 'lower', 0.062258, 10]]
  },
  'hyperfine/loop.json': {
    format: 'hyperfine',
    names: ['loop'],
    spots: [
      ['loop', 'time', 's', 'lower', 0.16316316754000001, 10],
      ['loop', 'user', 's', 'lower', 0.10078814, 1],
      ['loop', 'system', 's', 'lower', 0.000978716, 1]
    ]
  },
  'hyperfine/loop-slowed.json': {
    format: 'hyperfine',
    names: ['loop'],
    spots: [
      ['loop', 'time', 's', 'lower', 0.17840176288, 10],
      ['loop', 'user', 's', 'lower', 0.13612804, 1],
      ['loop', 'system', 's', 'lower', 0.00186332, 1]
    ]
  },
  ...hyperfineRuns(),
  'jmh/jmh_output.json': {
    format: 'jmh',
    names: ['org.openjdk.jmh.samples.JMHSample_01_HelloWorld.wellHelloThere'],
    spots: [
      [
        'org.openjdk.jmh.samples.JMHSample_01_HelloWorld.wellHelloThere',
        'throughput',
        'ops/s',
        'higher',
        3.376842765688582e9,
        3
      ]
    ]
  },
  'jmh/jmh_output_2.json': {
    format: 'jmh',
    names: [
      'org.openjdk.jmh.samples.JMHSample_01_HelloWorld.wellHelloThere {paramA=17, paramB=33}'
    ],
    spots: [
      [
        'org.openjdk.jmh.samples.JMHSample_01_HelloWorld.wellHelloThere {paramA=17, paramB=33}',
        'throughput',
        'ops/s',
        'higher',
        3.376842765688582e9,
        3
      ]
    ]
  },
  'julia/julia_output.json': {
    format: 'julia',
    // Integer-like keys come out in numeric order, as JavaScript orders them.
    names: ['fib/10', 'fib/20'],
    spots: [
      ['fib/20', 'time', 'ns', 'lower', 31028, 1],
      ['fib/10', 'allocs', 'allocs', 'lower', 0, 1]
    ]
  },
  'llama-bench/llama-bench.json': {
    format: 'llama-bench',
    names: ['pp512', 'tg128'],
    spots: [
      ['pp512', 'tokens/s', 'tokens/s', 'higher', 6863.1, 5],
      ['tg128', 'tokens/s', 'tokens/s', 'higher', 119.03, 5]
    ]
  },
  'llama-bench/llama-bench.jsonl': {
    format: 'llama-bench',
    names: ['pp512', 'tg128'],
    spots: [['tg128', 'tokens/s', 'tokens/s', 'higher', 120.038, 5]]
  },
  'llama-bench/llama-bench.csv': {
    format: 'llama-bench',
    names: ['pp512', 'tg128'],
    spots: [['pp512', 'tokens/s', 'tokens/s', 'higher', 7285.676949, 1]]
  },
  'llama-bench/llama-bench.md': {
    format: 'llama-bench',
    // This older build prints "pp 512".
    names: ['pp512', 'tg128'],
    spots: [['tg128', 'tokens/s', 'tokens/s', 'higher', 131.42, 1]]
  },
  'llmperf/llmperf-summary.SHAPE.json': {
    format: 'llmperf',
    names: ['llama3-1-8b_550_150_summary'],
    spots: [
      ['llama3-1-8b_550_150_summary', 'ttft_s p50', 's', 'lower', 0.152, 1],
      ['llama3-1-8b_550_150_summary', 'inter_token_latency_s p99', 's', 'lower', 0.0184, 1],
      [
        'llama3-1-8b_550_150_summary',
        'mean_output_throughput_token_per_s',
        'tokens/s',
        'higher',
        56.9,
        1
      ]
    ]
  },
  'luau/benchmarkluau_output.txt': {
    format: 'benchmarkluau',
    names: ['base64', 'chess', 'life'],
    spots: [['chess', 'time', 'ms', 'lower', 69.56, 1]]
  },
  'pytest/pytest_output.json': {
    format: 'pytest',
    names: ['bench.py::test_fib_10', 'bench.py::test_fib_20'],
    // stats.data was cut by hand to 4 values: the mean stands in.
    spots: [['bench.py::test_fib_10', 'time', 's', 'lower', 2.408868133322941e-5, 1]]
  },
  'pytest/pytest_several_units.json': {
    format: 'pytest',
    names: [
      'bench.py::test_fib_1',
      'bench.py::test_fib_10',
      'bench.py::test_fib_20',
      'bench.py::test_sleep_2'
    ],
    spots: [
      ['bench.py::test_fib_1', 'time', 's', 'lower', 1.4995610248628836e-7, 1],
      // The one benchmark whose data holds every round: each round is a sample.
      ['bench.py::test_sleep_2', 'time', 's', 'lower', 2.005173128, 5]
    ]
  },
  'pytest/real-work.json': {
    format: 'pytest',
    names: ['test_work.py::test_mix'],
    // --benchmark-save-data: every round is a sample.
    spots: [['test_work.py::test_mix', 'time', 's', 'lower', 0.00007655300032638479, 60]]
  },
  'pytest/real-work-slowed.json': {
    format: 'pytest',
    names: ['test_work.py::test_mix'],
    spots: [['test_work.py::test_mix', 'time', 's', 'lower', 0.00009706499986350536, 48]]
  },
  'vllm/vllm-bench-serve-result.SHAPE.json': {
    format: 'vllm',
    names: ['llama3.1:8b'],
    spots: [
      ['llama3.1:8b', 'output_throughput', 'tokens/s', 'higher', 59.45, 1],
      ['llama3.1:8b', 'median_ttft_ms', 'ms', 'lower', 150.3, 1],
      ['llama3.1:8b', 'p99_itl_ms', 'ms', 'lower', 21.4, 1]
    ]
  }
}

/** Files that are not imported with --format auto, and why (also in their folder's README). */
const NOT_AUTO: Record<string, string> = {
  'catch2/real-v2-junit.xml': "Catch2's JUnit reporter writes no benchmark results",
  'catch2/real-v3-junit.xml': "Catch2's JUnit reporter writes no benchmark results",
  'custom/customBiggerIsBetter_output.json': 'unit "Megabytes" needs customBiggerIsBetter',
  'custom/customSmallerIsBetter_output.json': 'unit "Percent" needs customSmallerIsBetter',
  'criterion/target/criterion/fib/15/new/benchmark.json': 'metadata read beside sample.json',
  'criterion/target/criterion/copy/4k/new/benchmark.json': 'metadata read beside sample.json'
}
/**
 * Folders of other inputs than benchmark results (API responses, GPU sampler lines, the report's
 * golden files).
 */
const OTHER_INPUTS = ['ollama', 'nvidia-smi', 'golden']

const root = 'fixtures'

function listFixtures(dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return OTHER_INPUTS.includes(path.relative(root, p)) ? [] : listFixtures(p)
    return e.name === 'README.md' || e.name === 'LICENSE.txt' ? [] : [path.relative(root, p)]
  })
}

function metric(benchmarks: Benchmark[], bench: string, name: string) {
  const b = benchmarks.find((x) => x.name === bench)
  const m = b?.metrics.find((x) => x.name === name)
  if (!m)
    throw new Error(`no metric ${bench} / ${name} in ${benchmarks.map((x) => x.name).join(', ')}`)
  return m
}

describe('every fixture imports with format auto', () => {
  it.each(Object.entries(EXPECTED))('%s', async (file, want) => {
    const got = await importFile(path.join(root, file), 'auto', nc)
    expect(got.format).toBe(want.format)
    expect(got.fingerprint).toEqual(want.fingerprint)
    expect(got.benchmarks.map((b) => b.name)).toEqual(want.names)
    for (const [bench, name, unit, direction, first, count] of want.spots) {
      const m = metric(got.benchmarks, bench, name)
      expect({ unit: m.unit, direction: m.direction, n: m.samples.length }).toEqual({
        unit,
        direction,
        n: count
      })
      expect(m.samples[0]).toBeCloseTo(first, 6)
    }
    for (const b of got.benchmarks) {
      expect(b.source).toEqual({ kind: 'import', format: want.format, file: path.join(root, file) })
      for (const m of b.metrics) {
        expect(m.class).toBe('non-critical')
        expect(m.samples.every((x) => Number.isFinite(x) && x >= 0)).toBe(true)
      }
    }
    // The CLI reads the whole text; the runners stream the file: both give the same benchmarks.
    const text = readFileSync(path.join(root, file), 'utf8')
    expect(importText(path.join(root, file), text, 'auto', nc)).toEqual(got)
  })

  it('reads the custom fixtures whose units need a declared direction with that format', async () => {
    const bigger = await importFile(
      'fixtures/custom/customBiggerIsBetter_output.json',
      'customBiggerIsBetter',
      nc
    )
    expect(
      bigger.benchmarks.map((b) => [b.name, b.metrics[0].unit, b.metrics[0].direction])
    ).toEqual([
      ['My Custom Bigger Is Better Benchmark - Throughput', 'req/s', 'higher'],
      ['My Custom Bigger Is Better Benchmark - Free Memory', 'Megabytes', 'higher']
    ])
    const smaller = await importFile(
      'fixtures/custom/customSmallerIsBetter_output.json',
      'customSmallerIsBetter',
      nc
    )
    expect(smaller.benchmarks.every((b) => b.metrics[0].direction === 'lower')).toBe(true)
  })

  it.each(['catch2/real-v2-junit.xml', 'catch2/real-v3-junit.xml'])(
    'refuses %s: the JUnit reporter writes no benchmark results (v2 and v3)',
    async (file) => {
      await expect(importFile(path.join(root, file), 'auto', nc)).rejects.toThrow(
        `${path.join(root, file)}:1: Catch2's JUnit reporter writes no benchmark results: run the benchmarks with the console reporter (the default) or -r xml, and import that`
      )
    }
  )

  it('has an expectation for every result file under fixtures/', () => {
    const files = listFixtures().sort()
    expect(files).toEqual([...Object.keys(EXPECTED), ...Object.keys(NOT_AUTO)].sort())
  })
})
