import type { Assets } from './assets.js'
import { inlineScript, inlineStyle } from './script.js'

/**
 * index.html: the chart library, the styles and the client inlined, so the page needs nothing
 * but its own data/ folder. Nothing from the store is in it: the page reads every name and number
 * from the data scripts and puts them in with textContent.
 */
export function renderIndexHtml(assets: Assets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="perf-gate dashboard">
<title>Benchmark history</title>
<style>${inlineStyle(assets.uplotCss)}</style>
<style>${inlineStyle(assets.appCss)}</style>
</head>
<body>
<noscript><p class="notice">This dashboard draws its charts with JavaScript; please enable it.</p></noscript>
<script>${inlineScript(assets.uplotJs)}</script>
<script>${inlineScript(assets.appJs)}</script>
</body>
</html>
`
}
