/*
 * A metric's chart on a published dashboard, as the page reads its hash: `tb` the testbed, `m`
 * the benchmark and metric, each URI-encoded and joined by ':'. Shared by the ledger and report
 * (which link to it when `dashboard-url` is set) and the page's own links.
 */
export function metricChartUrl(
  base: string,
  testbed: string,
  benchmark: string,
  metric: string
): string {
  const hash = new URLSearchParams({
    tb: testbed,
    m: `${encodeURIComponent(benchmark)}:${encodeURIComponent(metric)}`
  }).toString()
  // A parenthesis would end a markdown link's target; encoded, it is the same URL.
  return `${base.replace(/#.*$/, '')}#${hash}`.replace(/\(/g, '%28').replace(/\)/g, '%29')
}
