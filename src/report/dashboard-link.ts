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

/**
 * Whether `v` may be a dashboard's address (`dashboard-url`, `--dashboard-url`): http(s) only, and
 * nothing that would end a markdown link or an HTML attribute early (space, quotes, <, >, `), so
 * a typo or a `javascript:` URL never reaches the ledger as a live link.
 */
export function isDashboardUrl(v: string): boolean {
  return /^https?:\/\/[^\s"'<>`]+$/i.test(v)
}
