import { describe, expect, it } from '@jest/globals'
import { importText } from '../../src/importers/index.js'
import { errorOf } from '../helpers/capture.js'

const nc = { class: 'core' as const }
const lines = (...l: string[]): string => l.join('\n') + '\n'

describe('go test -bench', () => {
  it('keeps -count repeats as samples of one benchmark, per metric', () => {
    const text = lines(
      'pkg: example.com/x',
      'BenchmarkA-8   \t 1000\t  100.5 ns/op\t  16 B/op\t  1 allocs/op',
      'BenchmarkA-8   \t 1000\t  101.5 ns/op\t  16 B/op\t  1 allocs/op',
      'BenchmarkB-8   \t 2000\t  50 ns/op\t  20.5 MB/s',
      'BenchmarkA-8   \t 1000\t  99.5 ns/op\t  24 B/op\t  2 allocs/op',
      'PASS'
    )
    const { format, benchmarks } = importText('g.txt', text, 'auto', nc)
    expect(format).toBe('go')
    expect(benchmarks.map((b) => b.name)).toEqual(['BenchmarkA', 'BenchmarkB'])
    expect(benchmarks[0].metrics.map((m) => [m.name, m.direction, m.samples])).toEqual([
      ['ns/op', 'lower', [100.5, 101.5, 99.5]],
      ['B/op', 'lower', [16, 16, 24]],
      ['allocs/op', 'lower', [1, 1, 2]]
    ])
    expect(benchmarks[1].metrics[1]).toMatchObject({
      name: 'MB/s',
      direction: 'higher',
      class: 'core'
    })
  })

  it('cuts the GOMAXPROCS suffix from names and records it in the fingerprint', () => {
    const text = lines(
      'BenchmarkA-8   1000   100 ns/op',
      'BenchmarkB/n=-3-8   1000   100 ns/op',
      'BenchmarkA-8   1000   101 ns/op'
    )
    const got = importText('g.txt', text, 'go', nc)
    expect(got.benchmarks.map((b) => [b.name, b.metrics[0].samples])).toEqual([
      ['BenchmarkA', [100, 101]],
      ['BenchmarkB/n=-3', [100]]
    ])
    expect(got.fingerprint).toEqual({ 'go.gomaxprocs': '8' })
  })

  it('keeps the suffix of a benchmark run at several GOMAXPROCS in one file (-cpu 1,4)', () => {
    const text = lines(
      'BenchmarkA   1000   100 ns/op',
      'BenchmarkA-4   1000   30 ns/op',
      'BenchmarkB-4   1000   7 ns/op'
    )
    const got = importText('g.txt', text, 'go', nc)
    expect(got.benchmarks.map((b) => b.name)).toEqual(['BenchmarkA', 'BenchmarkA-4', 'BenchmarkB'])
    expect(got.fingerprint).toEqual({ 'go.gomaxprocs': '1,4' })
  })

  it('says which direction it assumed for a custom unit', () => {
    const { benchmarks } = importText('g.txt', 'BenchmarkA 10 5 ns/op 3 hits\n', 'go', nc)
    expect(benchmarks[0].metrics[1]).toMatchObject({ name: 'hits', direction: 'lower' })
    expect(benchmarks[0].notes).toEqual([
      "unit 'hits' does not say whether higher or lower is better; lower was assumed (set the metric's direction in the config if not)"
    ])
  })

  it('reads thousands separators and exponents but not other text', () => {
    const { benchmarks } = importText('g.txt', 'BenchmarkA 10 1,234.5 ns/op 1e3 B/op\n', 'go', nc)
    expect(benchmarks[0].metrics.map((m) => m.samples[0])).toEqual([1234.5, 1000])
  })

  it.each([
    [
      'a line with a missing unit',
      lines('goos: linux', 'BenchmarkA-8   1000   325 ns/op', 'BenchmarkFib10-8   1000   325'),
      "g.txt:3: BenchmarkFib10-8: the value 325 has no unit (go prints value/unit pairs such as '325 ns/op')"
    ],
    [
      'a last line cut off mid-value (nothing half-parsed is kept)',
      'BenchmarkA-8   1000   325 ns/op\nBenchmarkA-8   1000   32',
      "g.txt:2: BenchmarkA-8: the value 32 has no unit (go prints value/unit pairs such as '325 ns/op')"
    ],
    [
      'a negative time',
      'BenchmarkA-8   1000   325 ns/op\nBenchmarkA-8   1000   -3.5 ns/op\n',
      'g.txt:2: BenchmarkA-8 ns/op: must not be negative, got -3.5'
    ],
    [
      'NaN',
      'BenchmarkA-8   1000   NaN ns/op\n',
      "g.txt:1: BenchmarkA-8 ns/op: 'NaN' is not a number"
    ],
    [
      '1e309',
      'BenchmarkA-8   1000   5 ns/op\nBenchmarkA-8   1000   1e309 ns/op\n',
      'g.txt:2: BenchmarkA-8 ns/op: 1e309 is too large to be a measurement (it overflows to Infinity)'
    ],
    [
      'an iteration count without measurements',
      'BenchmarkA-8   1000\n',
      'g.txt:1: BenchmarkA-8: no measurement after the iteration count'
    ],
    [
      'output without results',
      'PASS\nok  \texample.com/x\t0.1s\n',
      "g.txt:1: no benchmark result lines ('BenchmarkX-8  1000  325 ns/op') found"
    ]
  ])('refuses %s', (_what, text, message) => {
    expect(errorOf(() => importText('g.txt', text, 'go', nc))).toBe(message)
  })
})

describe('cargo bench (libtest)', () => {
  it('refuses a duplicate benchmark name, e.g. from two bench targets', () => {
    const text = lines(
      'test bench_a ... bench:         135 ns/iter (+/- 24)',
      'test bench_b ... bench:         136 ns/iter (+/- 24)',
      '',
      'running 1 test',
      'test bench_a ... bench:         140 ns/iter (+/- 20)'
    )
    expect(errorOf(() => importText('c.txt', text, 'auto', nc))).toBe(
      'c.txt:5: duplicates the benchmark name "bench_a" first used at line 1'
    )
  })

  it.each([
    [
      'a value it cannot read',
      'test bench_a ... bench:   fast ns/iter (+/- 2)\n',
      "c.txt:1: bench_a: 'fast' is not a number"
    ],
    [
      'a line in another shape',
      'test bench_a ... bench:   135 ns/iter\n',
      "c.txt:1: bench_a: cannot read '135 ns/iter' (expected e.g. '135 ns/iter (+/- 24)')"
    ],
    [
      'a negative time',
      'test bench_a ... bench:   -135 ns/iter (+/- 2)\n',
      'c.txt:1: bench_a: must not be negative, got -135'
    ],
    [
      'output without bench lines',
      'running 0 tests\n',
      "c.txt:1: no benchmark lines ('test NAME ... bench: N ns/iter (+/- R)') found"
    ]
  ])('refuses %s', (_what, text, message) => {
    expect(errorOf(() => importText('c.txt', text, 'cargo', nc))).toBe(message)
  })
})

describe('criterion terminal output', () => {
  it('reads the estimate, converts units, and skips the change block', () => {
    const text = lines(
      'Benchmarking a: Analyzing',
      'a                       time:   [990.00 ns 1.0100 µs 1.0300 µs]',
      '                        thrpt:  [1.0000 Melem/s 1.1000 Melem/s 1.2000 Melem/s]',
      '                 change:',
      '                        time:   [+1.0% +2.0% +3.0%] (p = 0.00 < 0.05)',
      '                        thrpt:  [-3.0% -2.0% -1.0%]',
      '                        Performance has regressed.',
      'b                       time:   [1.5 ms 2.5 ms 3.5 ms]'
    )
    const { benchmarks } = importText('t.txt', text, 'auto', nc)
    expect(
      benchmarks.map((b) => [b.name, b.metrics.map((m) => [m.name, m.unit, m.samples[0]])])
    ).toEqual([
      [
        'a',
        [
          ['time', 'ns', 1010],
          ['throughput', 'elem/s', 1.1e6]
        ]
      ],
      ['b', [['time', 'ns', 2.5e6]]]
    ])
  })

  it('refuses a time line with no benchmark name before it', () => {
    expect(
      errorOf(() => importText('t.txt', '\n          time:   [1 ns 2 ns 3 ns]\n', 'criterion', nc))
    ).toBe("t.txt:2: a 'time:' line without a benchmark name before it")
  })

  it('reads --output-format bencher lines under format criterion too', () => {
    const { format, benchmarks } = importText(
      'b.txt',
      'test fib ... bench:         215 ns/iter (+/- 65)\n',
      'criterion',
      nc
    )
    expect(format).toBe('criterion')
    expect(benchmarks[0]).toMatchObject({ name: 'fib', source: { format: 'criterion' } })
  })
})

describe('Catch2', () => {
  const table = (row: string): string =>
    lines(
      'benchmark name                                  samples       iterations    estimated',
      '                                                mean          low mean      high mean',
      '                                                std dev       low std dev   high std dev',
      '-------------------------------------------------------------------------------',
      row
    )

  it('converts each mean to ns', () => {
    const text =
      table('Slow thing                                      100             1     1.5 s ') +
      '                                                    1.25 ms      1.2 ms     1.3 ms \n' +
      '                                                      10 us        9 us      11 us \n'
    const { benchmarks } = importText('c2.txt', text, 'auto', nc)
    expect(benchmarks[0].metrics[0]).toMatchObject({ unit: 'ns', samples: [1.25e6] })
  })

  it('takes runs repeated into one file as samples, but a name twice in one run as an error', () => {
    const banner = 'bench is a Catch v2.13.10 host application.'
    const result = (mean: string): string =>
      table('Mix 1000                                        20            32    1.29856 ms ') +
      `                                        ${mean} us    1.0 us    1.2 us \n` +
      '                                        6.50176 ns    3.80491 ns    11.3751 ns \n'
    const twoRuns = lines(banner) + result('1.5') + lines(banner) + result('2.5')
    const { benchmarks } = importText('c2.txt', twoRuns, 'auto', nc)
    expect(benchmarks[0].metrics[0].samples).toEqual([1500, 2500])
    const oneRun = lines(banner) + result('1.5') + result('2.5')
    expect(errorOf(() => importText('c2.txt', oneRun, 'catch2', nc))).toBe(
      'c2.txt:13: duplicates the benchmark name "Mix 1000" first used at line 6 of the same run'
    )
  })

  it('reads the XML reporter at any depth, and names the line of a truncated document', () => {
    const doc = (mean: string): string =>
      lines(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<Catch2TestRun name="b" rng-seed="1" xml-format-version="3" catch2-version="3.7.1">',
        '  <TestCase name="t" filename="b.cpp" line="3">',
        '    <Section name="s" filename="b.cpp" line="4">',
        '      <BenchmarkResults name="a &amp; &lt;b&gt;" samples="20" resamples="1" iterations="2" clockResolution="1" estimatedDuration="1">',
        `        <mean value="${mean}" lowerBound="1" upperBound="2" ci="0.95"/>`,
        '      </BenchmarkResults>',
        '    </Section>',
        '  </TestCase>',
        '</Catch2TestRun>'
      )
    const { format, benchmarks } = importText('c2.xml', doc('12.5') + doc('13'), 'auto', nc)
    expect(format).toBe('catch2')
    expect(benchmarks.map((b) => [b.name, b.metrics[0].unit, b.metrics[0].samples])).toEqual([
      ['a & <b>', 'ns', [12.5, 13]]
    ])
    const cut = doc('12.5') + doc('13').split('\n').slice(0, 7).join('\n')
    expect(errorOf(() => importText('c2.xml', cut, 'auto', nc))).toMatch(
      /^c2\.xml:1[1-9]: not valid XML: .*\(is the file truncated\?\)$/
    )
  })

  it('names a benchmark that failed in the XML reporter', () => {
    const text = lines(
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<Catch name="b">',
      '  <Group name="b">',
      '    <TestCase name="t" filename="b.cpp" line="3">',
      '      <BenchmarkResults name="boom" samples="20" resamples="1" iterations="1" clockResolution="1" estimatedDuration="1">',
      '        <failed message="std::runtime_error: no"/>',
      '      </BenchmarkResults>',
      '    </TestCase>',
      '  </Group>',
      '</Catch>'
    )
    expect(errorOf(() => importText('c2.xml', text, 'auto', nc))).toBe(
      'c2.xml:5: boom: the benchmark failed: std::runtime_error: no'
    )
  })

  it('refuses output cut off before a mean', () => {
    const text = table(
      'Fibonacci 10                                    100           208     7.1968 ms '
    )
    expect(errorOf(() => importText('c2.txt', text, 'catch2', nc))).toBe(
      'c2.txt:5: Fibonacci 10: the output ends before its mean (truncated?)'
    )
  })
})

describe('benchmark.js and Luau', () => {
  it('refuses a duplicate benchmark.js name', () => {
    const text = lines(
      'fib x 1,431,759 ops/sec ±0.74% (93 runs sampled)',
      'fib x 1,431,000 ops/sec ±0.70% (90 runs sampled)'
    )
    expect(errorOf(() => importText('b.txt', text, 'auto', nc))).toBe(
      'b.txt:2: duplicates the benchmark name "fib" first used at line 1'
    )
  })

  it('reads Luau times in ms, lower is better', () => {
    const { benchmarks } = importText(
      'l.txt',
      'SUCCESS: base64       :   15.041ms +/-  0.636% on luau\n',
      'auto',
      nc
    )
    expect(benchmarks[0].metrics[0]).toMatchObject({
      unit: 'ms',
      direction: 'lower',
      samples: [15.041]
    })
  })
})
