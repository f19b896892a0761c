import { describe, expect, it } from '@jest/globals'
import { ksTwoSided } from '../../bench/sim/job-rules.js'
import { balancedOrder, drawJobs, JOB_SETTINGS, MAX_PAIRS } from '../../bench/sim/jobs.js'
import { mulberry32 } from '../helpers/random.js'

describe('bench:decisions anchors', () => {
  it("computes Pinpoint's KS p: Stephens-corrected asymptotic Kolmogorov tail", () => {
    // scipy: D = ks_2samp(y, x).statistic, p = scipy.special.kolmogorov((en + 0.12 + 0.11/en)·D).
    const y = [1.2, 3.4, 2.2, 5.1, 0.7, 2.9, 4.4, 3.3]
    const x = [0.5, 1.1, 0.9, 2.0, 1.7, 0.3, 1.4]
    expect(ksTwoSided(y, x)).toBeCloseTo(0.01341663264079051, 12)
    expect(ksTwoSided([1, 2, 3, 4, 5], [1.5, 2.5, 3.5, 4.5, 5.5])).toBeCloseTo(
      0.9996217060535832,
      12
    )
    expect(ksTwoSided([1, 2, 3], [1, 2, 3])).toBe(1)
  })
})

describe('bench:decisions between-job draws', () => {
  it('orders each block of pairs half AB, half BA, the same way for the same seed', () => {
    const a = balancedOrder(mulberry32(3), 10)
    expect(a.filter(Boolean)).toHaveLength(5)
    expect(balancedOrder(mulberry32(3), 10)).toEqual(a)
    expect(balancedOrder(mulberry32(4), 10)).not.toEqual(a)
  })

  it('draws the same trial from the same seed, with every arm filled', () => {
    const setting = JOB_SETTINGS.find((s) => s.scenario === 'drift-ramp') ?? JOB_SETTINGS[0]
    const d = drawJobs(setting, 0.02, 11)
    expect(drawJobs(setting, 0.02, 11)).toEqual(d)
    expect(d.head).toHaveLength(MAX_PAIRS)
    expect([...d.head, ...d.base, ...d.current].every(Number.isFinite)).toBe(true)
    // The ramp lifts the gating job's late runs over its early ones; the stored jobs stay level.
    expect(d.current[9] - d.current[0]).toBeGreaterThan(0.1)
    expect(Math.abs(d.stored[0][9] - d.stored[0][0])).toBeLessThan(0.1)
  })
})
