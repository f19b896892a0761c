/*
 * perf-gate dashboard: the page. Data arrives as scripts pushing [kind, key, data] onto
 * window.__PG (see src/dashboard/model.ts); every text from the data is put into the page with
 * textContent or attributes, never parsed as HTML. All view state lives in the URL hash.
 */
;(function () {
  'use strict'
  const doc = document
  const UPLOT = window.uPlot
  const DETAIL_FILES = 3
  const PHONE = 700

  // ---- elements ---------------------------------------------------------------------------------

  function el(tag, props, ...children) {
    const e = doc.createElement(tag)
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) continue
      if (k === 'text') e.textContent = String(v)
      else if (k === 'class') e.className = v
      else if (k === 'dataset') Object.assign(e.dataset, v)
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v)
      else e.setAttribute(k, v === true ? '' : String(v))
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue
      e.append(c instanceof Node ? c : doc.createTextNode(String(c)))
    }
    return e
  }
  const $ = (id) => doc.getElementById(id)

  // ---- data scripts -----------------------------------------------------------------------------

  const received = new Map()
  const waiters = new Map()
  const requested = new Map()
  function receive(message) {
    if (!Array.isArray(message) || message.length < 3) return
    const id = message[0] + ':' + message[1]
    received.set(id, message[2])
    for (const fn of waiters.get(id) || []) fn(message[2])
    waiters.delete(id)
  }
  const queued = Array.isArray(window.__PG) ? window.__PG : []
  window.__PG = { push: (m) => (receive(m), 0) }
  queued.forEach(receive)

  /** Loads `src` (once) and resolves with the data it pushes under kind:key. */
  function load(kind, key, src) {
    const id = kind + ':' + key
    if (received.has(id)) return Promise.resolve(received.get(id))
    if (!requested.has(id)) {
      requested.set(
        id,
        new Promise((resolve, reject) => {
          waiters.set(id, [...(waiters.get(id) || []), resolve])
          const s = el('script', { src })
          s.onerror = () => reject(new Error('could not load ' + src))
          s.onload = () => {
            if (!received.has(id)) reject(new Error(src + ' holds no data for ' + key))
          }
          doc.head.append(s)
        })
      )
    }
    return requested.get(id)
  }

  // ---- formatting -------------------------------------------------------------------------------

  const nf4 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 })
  const nf6 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6 })
  const nfInt = new Intl.NumberFormat('en-US')
  function fmt(v) {
    if (v === null || v === undefined || !Number.isFinite(v)) return '–'
    const a = Math.abs(v)
    if (a >= 1e6 || (a > 0 && a < 1e-3)) return v.toExponential(2)
    return nf4.format(v)
  }
  function fmtAxis(v) {
    if (v === null || v === undefined) return ''
    const a = Math.abs(v)
    if (a >= 1e9) return nf4.format(v / 1e9) + 'G'
    if (a >= 1e6) return nf4.format(v / 1e6) + 'M'
    if (a >= 1e4) return nf4.format(v / 1e3) + 'k'
    if (a > 0 && a < 1e-3) return v.toExponential(1)
    return nf4.format(v)
  }
  const nf3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 })
  const pct = (f) => (f > 0 ? '+' : f < 0 ? '−' : '') + nf3.format(Math.abs(f * 100)) + ' %'
  const budgetPct = (f) => nf4.format(f * 100) + ' %'
  function date(t) {
    return new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ')
  }
  const withUnit = (v, unit) => fmt(v) + (unit ? ' ' + unit : '')

  // ---- state in the hash ------------------------------------------------------------------------

  const state = {
    tb: '',
    x: 'commit',
    log: false,
    q: '',
    theme: 'auto',
    focus: null,
    zoom: new Map(),
    point: null
  }
  const enc = encodeURIComponent
  const dec = (s) => {
    try {
      return decodeURIComponent(s)
    } catch {
      return s
    }
  }

  function readHash() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ''))
    state.tb = p.get('tb') || ''
    state.x = p.get('x') === 'date' ? 'date' : 'commit'
    state.log = p.get('log') === '1'
    state.q = p.get('q') || ''
    const theme = p.get('theme')
    state.theme = theme === 'dark' || theme === 'light' ? theme : 'auto'
    const m = (p.get('m') || '').split(':')
    state.focus = m.length === 2 ? { b: dec(m[0]), m: dec(m[1]) } : null
    state.zoom = new Map()
    for (const z of p.getAll('z')) {
      const [b, a, c] = z.split(':')
      const min = Number(a)
      const max = Number(c)
      if (b !== undefined && Number.isFinite(min) && Number.isFinite(max) && max > min) {
        state.zoom.set(dec(b), [min, max])
      }
    }
    const pt = (p.get('p') || '').split(':')
    state.point =
      pt.length === 3 && /^\d+$/.test(pt[2])
        ? { b: dec(pt[0]), m: dec(pt[1]), x: Number(pt[2]) }
        : null
  }

  function hashOf(over) {
    const s = Object.assign({}, state, over || {})
    const p = new URLSearchParams()
    if (s.tb) p.set('tb', s.tb)
    if (s.x === 'date') p.set('x', 'date')
    if (s.log) p.set('log', '1')
    if (s.q) p.set('q', s.q)
    if (s.theme !== 'auto') p.set('theme', s.theme)
    if (s.focus) p.set('m', enc(s.focus.b) + ':' + enc(s.focus.m))
    for (const [b, [min, max]] of s.zoom)
      p.append('z', enc(b) + ':' + round(min) + ':' + round(max))
    if (s.point) p.set('p', enc(s.point.b) + ':' + enc(s.point.m) + ':' + s.point.x)
    return p.toString()
  }
  const round = (v) => Math.round(v * 100) / 100

  let hashTimer = 0
  function saveHash(now) {
    clearTimeout(hashTimer)
    const write = () => {
      const h = hashOf()
      if (location.hash.replace(/^#/, '') === h) return
      history.replaceState(null, '', h ? '#' + h : location.pathname + location.search)
    }
    if (now) write()
    else hashTimer = setTimeout(write, 150)
  }

  // ---- theme ------------------------------------------------------------------------------------

  const darkQuery = window.matchMedia('(prefers-color-scheme: dark)')
  function applyTheme() {
    const dark = state.theme === 'dark' || (state.theme === 'auto' && darkQuery.matches)
    const scheme = dark ? 'dark' : 'light'
    const changed = doc.documentElement.dataset.theme !== scheme
    doc.documentElement.dataset.theme = scheme
    const btn = $('theme')
    if (btn) {
      btn.textContent = state.theme === 'auto' ? 'Auto' : dark ? 'Dark' : 'Light'
      btn.title = 'Colour scheme: ' + btn.textContent + ' (click to change)'
    }
    return changed
  }
  function colors() {
    const cs = getComputedStyle(doc.documentElement)
    const v = (n) => cs.getPropertyValue('--' + n).trim()
    return {
      fg: v('fg'),
      muted: v('muted'),
      grid: v('grid'),
      card: v('card'),
      line: v('line'),
      band: v('band'),
      worse: v('worse'),
      better: v('better'),
      warn: v('warn'),
      env: v('env'),
      pr: v('pr')
    }
  }

  // ---- page -------------------------------------------------------------------------------------

  let site = null
  let testbed = null
  /** benchmark id → group */
  let groups = new Map()
  let observer = null
  let firstChart = false

  function start() {
    readHash()
    applyTheme()
    buildShell()
    load('index', 'site', 'data/index.js').then(
      (index) => {
        site = index
        showTestbed()
      },
      (e) =>
        fatal(e.message + '. Build the site with `perf-gate dashboard` and open its index.html.')
    )
  }

  function fatal(message) {
    $('groups').replaceChildren(el('div', { class: 'notice', role: 'alert', text: message }))
  }

  function buildShell() {
    const xSeg = el(
      'div',
      { class: 'seg', role: 'group', 'aria-label': 'X axis' },
      ['commit', 'date'].map((x) =>
        el('button', {
          class: 'btn',
          type: 'button',
          id: 'x-' + x,
          text: x === 'commit' ? 'By commit' : 'By date',
          onclick: () => setX(x)
        })
      )
    )
    const search = el('input', {
      id: 'search',
      type: 'search',
      placeholder: 'Filter benchmarks and metrics',
      'aria-label': 'Filter benchmarks and metrics',
      value: state.q,
      oninput: (e) => {
        state.q = e.target.value
        applyFilter()
        saveHash()
      }
    })
    doc.body.replaceChildren(
      el(
        'header',
        { class: 'top' },
        el(
          'div',
          { class: 'brand' },
          el('span', { class: 'logo', text: 'perf-gate' }),
          el('h1', { id: 'title', text: 'Benchmark history' })
        ),
        el(
          'div',
          { class: 'controls' },
          el('button', {
            class: 'btn toc-toggle',
            type: 'button',
            text: 'Contents',
            onclick: () => $('toc').classList.toggle('open')
          }),
          el('select', {
            id: 'testbed',
            'aria-label': 'Testbed',
            class: 'hidden',
            onchange: (e) => {
              state.tb = e.target.value
              state.focus = null
              state.point = null
              state.zoom = new Map()
              saveHash(true)
              showTestbed()
            }
          }),
          search,
          xSeg,
          el('button', {
            class: 'btn',
            type: 'button',
            id: 'log',
            text: 'Log scale',
            onclick: () => {
              state.log = !state.log
              saveHash(true)
              syncControls()
              rebuildCharts()
            }
          }),
          el('button', {
            class: 'btn',
            type: 'button',
            id: 'theme',
            onclick: () => {
              state.theme = { auto: 'dark', dark: 'light', light: 'auto' }[state.theme]
              saveHash(true)
              if (applyTheme()) rebuildCharts()
            }
          })
        )
      ),
      el('div', { id: 'summary', class: 'summary' }),
      el(
        'div',
        { class: 'layout' },
        el('nav', { id: 'toc', class: 'toc', 'aria-label': 'Contents' }),
        el('main', { id: 'groups', class: 'groups' })
      ),
      el('aside', { id: 'panel', class: 'panel', hidden: true, 'aria-live': 'polite' }),
      el('div', { id: 'tip', class: 'tip', role: 'tooltip', hidden: true })
    )
    applyTheme()
    syncControls()
  }

  function syncControls() {
    for (const x of ['commit', 'date']) {
      $('x-' + x).setAttribute('aria-pressed', String(state.x === x))
    }
    $('log').setAttribute('aria-pressed', String(state.log))
    if ($('search').value !== state.q) $('search').value = state.q
  }

  function setX(x) {
    if (state.x === x) return
    state.x = x
    // A zoom is a range of run numbers or of dates; neither carries over to the other.
    state.zoom = new Map()
    saveHash(true)
    syncControls()
    rebuildCharts()
  }

  function showTestbed() {
    const point = state.point
    closePanel(false)
    state.point = point
    for (const g of groups.values()) for (const c of g.cards) destroyChart(c)
    groups = new Map()
    if (observer) observer.disconnect()
    if (!site.testbeds.length) {
      fatal('No baselines in ' + site.store + ' yet: record one with perf-gate baseline.')
      return
    }
    testbed = site.testbeds.find((t) => t.name === state.tb) || site.testbeds[0]
    if (state.tb && state.tb !== testbed.name) state.tb = ''
    const select = $('testbed')
    select.replaceChildren(
      ...site.testbeds.map((t) =>
        el('option', { value: t.name, text: t.name, selected: t === testbed })
      )
    )
    select.classList.toggle('hidden', site.testbeds.length < 2)
    $('title').textContent = site.title
    doc.title = site.title + ' · ' + testbed.name
    renderSummary()
    renderGroups()
    renderToc()
    applyFilter()
    observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) if (e.isIntersecting) activate(e.target.dataset.group)
      },
      { rootMargin: '400px 0px' }
    )
    for (const g of groups.values()) observer.observe(g.el)
    restoreFocusAndPoint()
  }

  function renderSummary() {
    const t = testbed
    const range = t.from && t.to ? ' from ' + t.from.slice(0, 10) + ' to ' + t.to.slice(0, 10) : ''
    const metrics = t.benchmarks.reduce((n, b) => n + b.metrics.length, 0)
    const parts = [
      'Testbed ',
      el('strong', { text: t.name }),
      ': ' + nfInt.format(t.runs) + ' baseline run' + (t.runs === 1 ? '' : 's') + range + ', ',
      nfInt.format(t.benchmarks.length) + ' benchmarks, ' + nfInt.format(metrics) + ' metrics',
      t.unreadable ? ', ' + t.unreadable + ' unreadable' : '',
      ' · store ',
      el('code', { text: site.store }),
      ' · built ' + site.generatedAt.slice(0, 16).replace('T', ' ') + ' UTC'
    ]
    const key = (cls, text) =>
      el('span', { class: 'key' }, el('span', { class: 'swatch ' + cls }), text)
    $('summary').replaceChildren(
      el('div', {}, parts),
      el(
        'details',
        // Open on a wide screen; on a phone the charts come first.
        { open: window.innerWidth >= PHONE },
        el('summary', { text: 'How to read the charts' }),
        el(
          'div',
          { class: 'legend' },
          key('line', 'median per run'),
          key('band', 'band: 90 % CI of the median (p5–p95 under 5 samples)'),
          key('cp', 'change point (red worse, green better)'),
          key('env', 'environment changed'),
          key('budget', 'warn / fail budget around the current level'),
          key('pr', 'pull-request run'),
          key('', 'drag to zoom (synced across a benchmark), double-click to reset')
        )
      )
    )
  }

  function metricMatches(b, m) {
    const terms = state.q.toLowerCase().split(/\s+/).filter(Boolean)
    const text = (b.name + ' ' + m.name + ' ' + m.unit).toLowerCase()
    return terms.every((t) => text.includes(t))
  }

  function renderGroups() {
    const main = $('groups')
    main.replaceChildren()
    for (const b of testbed.benchmarks) {
      const grid = el('div', { class: 'grid' })
      const runs = Math.max(...b.metrics.map((m) => m.runs))
      const cps = b.metrics.reduce((n, m) => n + m.changePoints, 0)
      const section = el(
        'section',
        { class: 'group', id: 'g-' + b.id, dataset: { group: b.id } },
        el(
          'header',
          {},
          el('h2', { text: b.name }),
          el('span', {
            class: 'meta',
            text:
              nfInt.format(b.metrics.length) +
              (b.metrics.length === 1 ? ' metric · ' : ' metrics · ') +
              nfInt.format(runs) +
              ' runs' +
              (cps ? ' · ' + cps + ' change point' + (cps === 1 ? '' : 's') : '')
          })
        ),
        grid
      )
      const g = { b, el: section, grid, cards: [], shard: null, loading: null, syncing: false }
      for (const m of b.metrics) g.cards.push(makeCard(g, m))
      groups.set(b.id, g)
      main.append(section)
    }
  }

  function makeCard(g, m) {
    const chips = [
      el('span', {
        class: 'chip',
        title: m.direction === 'lower' ? 'lower is better' : 'higher is better',
        text: (m.direction === 'lower' ? '↓ lower' : '↑ higher') + ' is better'
      }),
      el('span', { class: 'chip', text: m.class })
    ]
    if (m.lastChange !== null) {
      chips.push(
        el('span', {
          class: 'chip ' + (m.lastChangeWorse ? 'worse' : 'better'),
          title: 'the newest change point',
          text: 'step ' + pct(m.lastChange)
        })
      )
    }
    if (m.fingerprintChanges) {
      chips.push(
        el('span', {
          class: 'chip env',
          text: m.fingerprintChanges + ' env change' + (m.fingerprintChanges === 1 ? '' : 's')
        })
      )
    }
    const plot = el('div', { class: 'plot' }, el('div', { class: 'placeholder', text: 'Loading…' }))
    const readout = el('div', { class: 'readout' })
    const card = el(
      'article',
      {
        class: 'card',
        id: 'c-' + g.b.id + '-' + m.id,
        dataset: { chart: '', metric: m.id, benchmark: g.b.id, state: 'waiting' }
      },
      el(
        'header',
        {},
        el('h3', { text: m.name }),
        m.unit ? el('span', { class: 'unit', text: m.unit }) : null
      ),
      el(
        'div',
        { class: 'headline' },
        el('span', { class: 'latest', text: m.latest === null ? '–' : withUnit(m.latest, m.unit) }),
        chips
      ),
      plot,
      readout
    )
    g.grid.append(card)
    return { g, m, el: card, plot, readout, s: null, u: null, view: null, detail: null }
  }

  function renderToc() {
    const list = el('ul')
    for (const g of groups.values()) {
      const sub = el('ul')
      for (const c of g.cards) {
        const m = c.m
        const mark =
          m.lastChange !== null
            ? el('span', {
                class: 'dot ' + (m.lastChangeWorse ? 'worse' : 'better'),
                title: 'newest change point ' + pct(m.lastChange)
              })
            : null
        c.tocItem = el(
          'li',
          {},
          el(
            'a',
            {
              href: '#' + hashOf({ focus: { b: g.b.name, m: m.name }, point: null }),
              onclick: (e) => {
                e.preventDefault()
                focusMetric(g, c)
              }
            },
            el('span', { text: m.name }),
            mark
          )
        )
        sub.append(c.tocItem)
      }
      g.tocItem = el(
        'li',
        {},
        el(
          'a',
          {
            class: 'bench',
            href: '#' + hashOf({ focus: null, point: null }),
            onclick: (e) => {
              e.preventDefault()
              $('toc').classList.remove('open')
              g.el.scrollIntoView({ block: 'start' })
            }
          },
          el('span', { text: g.b.name })
        ),
        sub
      )
      list.append(g.tocItem)
    }
    $('toc').replaceChildren(list)
  }

  function applyFilter() {
    let shown = 0
    for (const g of groups.values()) {
      let any = false
      for (const c of g.cards) {
        const ok = metricMatches(g.b, c.m)
        c.el.classList.toggle('hidden', !ok)
        if (c.tocItem) c.tocItem.classList.toggle('hidden', !ok)
        any = any || ok
        if (ok) shown++
      }
      g.el.classList.toggle('hidden', !any)
      if (g.tocItem) g.tocItem.classList.toggle('hidden', !any)
    }
    let none = $('none')
    if (!shown && state.q) {
      if (!none) $('groups').prepend((none = el('div', { id: 'none', class: 'notice' })))
      none.textContent = 'No benchmark or metric matches “' + state.q + '”.'
    } else if (none) none.remove()
  }

  function focusMetric(g, c) {
    $('toc').classList.remove('open')
    state.focus = { b: g.b.name, m: c.m.name }
    saveHash(true)
    for (const gg of groups.values()) for (const cc of gg.cards) cc.el.classList.remove('focused')
    c.el.classList.add('focused')
    c.el.scrollIntoView({ block: 'center' })
  }

  function findCard(b, m) {
    for (const g of groups.values()) {
      if (g.b.name !== b) continue
      for (const c of g.cards) if (c.m.name === m) return c
    }
    return null
  }

  function restoreFocusAndPoint() {
    const f = state.focus && findCard(state.focus.b, state.focus.m)
    if (f) {
      f.el.classList.add('focused')
      f.el.scrollIntoView({ block: 'center' })
    }
    const p = state.point
    const c = p && findCard(p.b, p.m)
    if (c) {
      activate(c.g.b.id).then(() => openRun(c, p.x))
    }
  }

  // ---- charts -----------------------------------------------------------------------------------

  function activate(id) {
    const g = groups.get(id)
    if (!g) return Promise.resolve()
    if (!g.loading) {
      g.loading = load('shard', testbed.id + '/' + g.b.id, g.b.file).then(
        (shard) => {
          g.shard = shard
          for (const c of g.cards) {
            c.s = shard.metrics.find((s) => s.id === c.m.id) || null
            createChart(c)
          }
        },
        (e) => {
          for (const c of g.cards)
            c.plot.replaceChildren(el('div', { class: 'placeholder', text: e.message }))
        }
      )
    }
    return g.loading
  }

  function rebuildCharts() {
    for (const g of groups.values()) {
      if (!g.shard) continue
      for (const c of g.cards) {
        destroyChart(c)
        createChart(c)
      }
    }
  }

  function destroyChart(c) {
    if (c.u) c.u.destroy()
    c.u = null
    if (c.resize) c.resize.disconnect()
  }

  /** The points drawn: the shard's (runs or overview buckets), with detail files spliced in. */
  function makeView(c) {
    const s = c.s
    const v = { x: [], t: [], sha: [], med: [], lo: [], hi: [], n: [], pr: [], runs: [], pos: [] }
    const pushShard = (i) => {
      v.x.push(s.x[i])
      v.t.push(s.t[i])
      v.sha.push(s.sha[i])
      v.med.push(s.med[i])
      v.lo.push(s.lo[i])
      v.hi.push(s.hi[i])
      v.n.push(s.n[i])
      v.pr.push(s.pr[i])
      v.runs.push(s.runs ? s.runs[i] : 1)
      v.pos.push(s.runs ? -1 - i : i)
    }
    const chunks = c.detail ? c.detail.chunks : null
    if (!chunks) {
      for (let i = 0; i < s.x.length; i++) pushShard(i)
      return v
    }
    const first = chunks[0].x[0]
    const lastChunk = chunks[chunks.length - 1]
    const last = lastChunk.x[lastChunk.x.length - 1]
    let i = 0
    for (; i < s.x.length && s.x[i] < first; i++) pushShard(i)
    for (const ch of chunks) {
      for (let j = 0; j < ch.x.length; j++) {
        const pr = ch.pr[j] === 1
        v.x.push(ch.x[j])
        v.t.push(ch.t[j])
        v.sha.push(ch.sha[j] ? ch.sha[j].slice(0, 7) : '')
        v.med.push(pr ? null : ch.med[j])
        v.lo.push(pr ? null : ch.lo[j])
        v.hi.push(pr ? null : ch.hi[j])
        v.n.push(ch.n[j])
        v.pr.push(pr ? ch.med[j] : null)
        v.runs.push(1)
        v.pos.push(ch.from + j)
      }
    }
    for (; i < s.x.length; i++) if (s.x[i] > last) pushShard(i)
    return v
  }

  const xsOf = (v) => (state.x === 'date' ? v.t : v.x)
  const markX = (mark) => (state.x === 'date' ? mark.t : mark.x)

  function dataOf(c) {
    const v = c.view
    return [xsOf(v), v.lo, v.hi, v.med, v.pr]
  }

  function countView(c) {
    const v = c.view
    let bands = 0
    let pr = 0
    for (let i = 0; i < v.x.length; i++) {
      if (v.lo[i] !== null && v.hi[i] !== null) bands++
      if (v.pr[i] !== null) pr++
    }
    Object.assign(c.el.dataset, {
      points: v.x.length,
      bands,
      prPoints: pr,
      overview: c.s.runs && !c.detail ? '1' : '0'
    })
  }

  function positiveView(v) {
    for (let i = 0; i < v.x.length; i++) {
      for (const a of [v.med, v.lo, v.hi, v.pr]) if (a[i] !== null && !(a[i] > 0)) return false
    }
    return true
  }

  function createChart(c) {
    if (!c.s) {
      c.plot.replaceChildren(el('div', { class: 'placeholder', text: 'No data for this metric.' }))
      return
    }
    c.view = makeView(c)
    const col = colors()
    const phone = window.innerWidth < PHONE
    const height = phone ? 190 : 220
    const log = state.log && positiveView(c.view)
    const g = c.g
    c.plot.replaceChildren()
    const zoom = state.zoom.get(g.b.name)
    const opts = {
      width: Math.max(200, c.plot.clientWidth || 400),
      height,
      padding: [8, 28, 0, 0],
      legend: { show: false },
      scales: {
        x: { time: state.x === 'date', range: (u, min, max) => padX(min, max) },
        y: { distr: log ? 3 : 1, range: (u, min, max) => yRange(c, min, max, log) }
      },
      series: [
        {},
        { class: 'pg-edge', stroke: 'transparent', width: 0, points: { show: false } },
        { class: 'pg-edge', stroke: 'transparent', width: 0, points: { show: false } },
        {
          label: c.m.name,
          stroke: col.line,
          width: 1.75,
          spanGaps: true,
          points: { size: 5, fill: col.line, stroke: col.line }
        },
        {
          label: 'PR',
          stroke: col.pr,
          width: 2,
          paths: () => null,
          points: { show: true, size: 9, width: 2, fill: col.card, stroke: col.pr }
        }
      ],
      bands: [{ series: [2, 1], fill: col.band }],
      axes: [
        {
          stroke: col.muted,
          grid: { stroke: col.grid, width: 1 },
          ticks: { stroke: col.grid, width: 1 },
          space: state.x === 'date' ? 70 : 64,
          incrs:
            state.x === 'date'
              ? undefined
              : [
                  1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5,
                  1e6
                ],
          values: state.x === 'date' ? undefined : (u, splits) => splits.map((x) => runLabel(c, x))
        },
        {
          stroke: col.muted,
          grid: { stroke: col.grid, width: 1 },
          ticks: { stroke: col.grid, width: 1 },
          size: 52,
          values: (u, splits) => splits.map(fmtAxis),
          // uPlot puts log ticks at powers of ten, which a narrow range may not even contain.
          splits: log ? (u, i, min, max) => logSplits(min, max) : undefined
        }
      ],
      cursor: {
        sync: { key: 'pg-' + testbed.id + '-' + g.b.id, setSeries: false },
        drag: { x: true, y: false, setScale: true },
        points: { size: 8, width: 2, fill: col.card }
      },
      tzDate: (ts) => UPLOT.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      hooks: {
        draw: [(u) => drawMarks(c, u, col)],
        setScale: [
          (u, key) => {
            if (key !== 'x') return
            // What is shown, for the tests and anyone inspecting the page.
            c.el.dataset.xMin = String(u.scales.x.min)
            c.el.dataset.xMax = String(u.scales.x.max)
            onScale(c, u)
          }
        ],
        setCursor: [(u) => onCursor(c, u)]
      }
    }
    // Creating a chart and applying the group's zoom must not be taken for a user's zoom.
    g.syncing = true
    try {
      c.u = new UPLOT(opts, dataOf(c), c.plot)
      if (zoom) c.u.setScale('x', { min: zoom[0], max: zoom[1] })
    } finally {
      g.syncing = false
    }
    countView(c)
    c.el.dataset.state = 'drawn'
    c.el.dataset.scale = log ? 'log' : 'linear'
    showReadout(c, null)
    wirePointer(c)
    c.resize = new ResizeObserver(() => {
      const w = c.plot.clientWidth
      if (c.u && w && Math.abs(w - c.u.width) > 1) c.u.setSize({ width: w, height })
    })
    c.resize.observe(c.plot)
    if (zoom) ensureDetail(c, zoom[0], zoom[1])
  }

  /** About five ticks evenly spaced on a log axis, each rounded to two significant digits. */
  function logSplits(min, max) {
    const out = []
    const a = Math.log(min)
    const b = Math.log(max)
    for (let i = 0; i <= 4; i++) {
      const v = Number(Math.exp(a + ((b - a) * (i + 0.5)) / 5).toPrecision(2))
      if (v > min && v < max && out[out.length - 1] !== v) out.push(v)
    }
    return out
  }

  function padX(min, max) {
    if (min === max) return [min - 1, max + 1]
    return [min, max]
  }

  function yRange(c, min, max, log) {
    const b = c.s.budget
    let lo = min
    let hi = max
    if (b) {
      for (const v of [b.level, b.warnAt, b.failAt]) {
        if (v === null || !Number.isFinite(v)) continue
        lo = Math.min(lo, v)
        hi = Math.max(hi, v)
      }
    }
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1]
    if (log) return [lo / 1.08, hi * 1.08]
    const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.05 || 1
    return [lo - pad, hi + pad]
  }

  /** The short sha of run x when it is drawn, else its number. */
  function runLabel(c, x) {
    if (!Number.isInteger(x)) return ''
    const v = c.view
    const i = bisect(v.x, x)
    return i < v.x.length && v.x[i] === x && v.sha[i] ? v.sha[i] : '#' + (x + 1)
  }

  function bisect(arr, x) {
    let lo = 0
    let hi = arr.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (arr[mid] < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  function drawMarks(c, u, col) {
    const ctx = u.ctx
    const { left, top, width, height } = u.bbox
    const dpr = UPLOT.pxRatio
    const s = c.s
    let cps = 0
    let fps = 0
    ctx.save()
    ctx.beginPath()
    ctx.rect(left, top, width, height)
    ctx.clip()
    const inside = (px) => px >= left - 1 && px <= left + width + 1

    // Few runs in view: each run's band also as a whisker, since a band between two far-apart
    // runs reads as a trend that was never measured.
    const [i0, i1] = u.series[0].idxs || [0, -1]
    if (i1 - i0 < 40) {
      const v = c.view
      const xs = u.data[0]
      ctx.strokeStyle = col.line
      ctx.globalAlpha = 0.5
      ctx.lineWidth = dpr
      for (let i = i0; i <= i1; i++) {
        if (v.lo[i] === null || v.hi[i] === null) continue
        const px = u.valToPos(xs[i], 'x', true)
        const y0 = u.valToPos(v.lo[i], 'y', true)
        const y1 = u.valToPos(v.hi[i], 'y', true)
        const cap = 3 * dpr
        ctx.beginPath()
        ctx.moveTo(px, y0)
        ctx.lineTo(px, y1)
        ctx.moveTo(px - cap, y0)
        ctx.lineTo(px + cap, y0)
        ctx.moveTo(px - cap, y1)
        ctx.lineTo(px + cap, y1)
        ctx.stroke()
      }
      ctx.globalAlpha = 1
    }

    const b = s.budget
    if (b) {
      const x0 = Math.max(left, u.valToPos(markX(b), 'x', true))
      /** A budget line; its label above it, or below when `under` or when above leaves the plot. */
      const line = (v, color, dash, label, under) => {
        if (v === null) return
        const y = u.valToPos(v, 'y', true)
        ctx.strokeStyle = color
        ctx.lineWidth = dpr
        ctx.setLineDash(dash.map((d) => d * dpr))
        ctx.beginPath()
        ctx.moveTo(x0, y)
        ctx.lineTo(left + width, y)
        ctx.stroke()
        if (label) {
          ctx.setLineDash([])
          ctx.fillStyle = color
          ctx.font = 11 * dpr + 'px ' + getComputedStyle(doc.body).fontFamily
          ctx.textAlign = 'right'
          const below = under || y - 14 * dpr < top
          ctx.textBaseline = below ? 'top' : 'bottom'
          ctx.fillText(label, left + width - 4 * dpr, y + (below ? 2 : -2) * dpr)
        }
      }
      line(b.level, col.muted, [2, 3], '')
      const px = (v) => (v === null ? null : u.valToPos(v, 'y', true))
      const yw = px(b.warnAt)
      const yf = px(b.failAt)
      if (yw !== null && yf !== null && Math.abs(yw - yf) < 1) {
        line(b.failAt, col.worse, [6, 4], 'warn / fail ' + budgetPct(b.failPct))
      } else {
        // Two lines close together: the lower one's label goes under it, so they never overlap.
        const close = yw !== null && yf !== null && Math.abs(yw - yf) < 14 * dpr
        line(b.warnAt, col.warn, [6, 4], 'warn ' + budgetPct(b.warnPct), close && yw > yf)
        line(
          b.failAt,
          col.worse,
          [6, 4],
          b.failPct === null ? '' : 'fail ' + budgetPct(b.failPct),
          close && yf > yw
        )
      }
    }

    ctx.setLineDash([])
    for (const f of s.fingerprints) {
      const px = u.valToPos(markX(f), 'x', true)
      if (!inside(px)) continue
      fps++
      const blocking = f.keys.some((k) => k.effect === 'block')
      ctx.strokeStyle = col.env
      ctx.lineWidth = (blocking ? 2 : 1.25) * dpr
      ctx.setLineDash([4 * dpr, 3 * dpr])
      ctx.beginPath()
      ctx.moveTo(px, top)
      ctx.lineTo(px, top + height)
      ctx.stroke()
      ctx.setLineDash([])
      ctx.fillStyle = col.env
      const r = 4 * dpr
      ctx.beginPath()
      ctx.moveTo(px, top + height - 2 * r)
      ctx.lineTo(px + r, top + height - r)
      ctx.lineTo(px, top + height)
      ctx.lineTo(px - r, top + height - r)
      ctx.closePath()
      ctx.fill()
    }

    for (const p of s.changePoints) {
      const px = u.valToPos(markX(p), 'x', true)
      if (!inside(px)) continue
      cps++
      const color = p.worse ? col.worse : col.better
      ctx.strokeStyle = color
      ctx.lineWidth = 1.5 * dpr
      ctx.beginPath()
      ctx.moveTo(px, top)
      ctx.lineTo(px, top + height)
      ctx.stroke()
      const y = u.valToPos(p.after, 'y', true)
      ctx.fillStyle = color
      ctx.beginPath()
      ctx.arc(px, y, 4.5 * dpr, 0, 2 * Math.PI)
      ctx.fill()
      ctx.fillStyle = color
      ctx.font = '600 ' + 11 * dpr + 'px ' + getComputedStyle(doc.body).fontFamily
      ctx.textBaseline = 'top'
      const label = pct(p.change)
      const w = ctx.measureText(label).width
      const rightSide = px + 4 * dpr + w < left + width
      ctx.textAlign = rightSide ? 'left' : 'right'
      ctx.fillText(label, px + (rightSide ? 4 : -4) * dpr, top + 2 * dpr)
    }
    ctx.restore()
    Object.assign(c.el.dataset, { changePoints: cps, fingerprints: fps })
    if (!firstChart) {
      firstChart = true
      performance.mark('pg:first-chart')
      doc.documentElement.dataset.firstChart = String(Math.round(performance.now()))
    }
  }

  // ---- zoom -------------------------------------------------------------------------------------

  function onScale(c, u) {
    const g = c.g
    const { min, max } = u.scales.x
    if (g.syncing || min === undefined) return
    const xs = u.data[0]
    const full = !xs.length || (min <= xs[0] && max >= xs[xs.length - 1])
    const fullRange = c.s.x.length ? [xsOf(c.s)[0], xsOf(c.s)[c.s.x.length - 1]] : null
    const whole = full && (!fullRange || (min <= fullRange[0] && max >= fullRange[1]))
    if (whole) state.zoom.delete(g.b.name)
    else state.zoom.set(g.b.name, [min, max])
    saveHash()
    g.syncing = true
    try {
      for (const o of g.cards) {
        if (o !== c && o.u) {
          const ox = o.u.scales.x
          if (ox.min !== min || ox.max !== max) o.u.setScale('x', { min, max })
        }
        if (o.u) ensureDetail(o, min, max)
      }
    } finally {
      g.syncing = false
    }
  }

  /** Long series: once the view spans few enough detail files, draw every run from them. */
  function ensureDetail(c, min, max) {
    const s = c.s
    if (!s || !s.runs) return
    const useT = state.x === 'date'
    let ka = -1
    let kb = -1
    s.chunks.ranges.forEach((r, k) => {
      const a = useT ? r[2] : r[0]
      const b = useT ? r[3] : r[1]
      if (b >= min && a <= max) {
        if (ka < 0) ka = k
        kb = k
      }
    })
    const want = ka >= 0 && kb - ka + 1 <= DETAIL_FILES ? [ka, kb] : null
    const have = c.detail ? [c.detail.ka, c.detail.kb] : null
    if (String(want) === String(have)) return
    c.wanted = want
    if (!want) {
      c.detail = null
      refresh(c)
      return
    }
    const files = []
    for (let k = want[0]; k <= want[1]; k++) files.push(chunk(c, k))
    Promise.all(files).then(
      (chunks) => {
        if (String(c.wanted) !== String(want) || !c.u) return
        c.detail = { ka: want[0], kb: want[1], chunks }
        refresh(c)
      },
      () => {}
    )
  }

  function refresh(c) {
    if (!c.u) return
    c.view = makeView(c)
    // setData without a rescale draws nothing new; a redraw on the same range does (with new
    // axis labels), and is no zoom of the user's.
    const was = c.g.syncing
    c.g.syncing = true
    try {
      c.u.setData(dataOf(c), false)
      c.u.redraw(true, true)
    } finally {
      c.g.syncing = was
    }
    countView(c)
  }

  function chunk(c, k) {
    return load(
      'chunk',
      testbed.id + '/' + c.g.b.id + '/' + c.m.id + '/' + k,
      c.s.chunks.prefix + k + '.js'
    )
  }

  // ---- hover, readout and markers' tooltips -----------------------------------------------------

  function onCursor(c, u) {
    const idx = u.cursor.idx
    showReadout(c, idx === null || idx === undefined ? null : idx)
    const tip = $('tip')
    const left = u.cursor.left
    if (left === undefined || left < 0) {
      if (tip.dataset.owner === c.el.id) tip.hidden = true
      return
    }
    let best = null
    let bestD = 7
    const consider = (mark, kind) => {
      const d = Math.abs(u.valToPos(markX(mark), 'x') - left)
      if (d < bestD) {
        best = { mark, kind }
        bestD = d
      }
    }
    c.s.changePoints.forEach((m) => consider(m, 'cp'))
    c.s.fingerprints.forEach((m) => consider(m, 'env'))
    // Synced charts move their cursors too; only the chart under the pointer shows a tooltip.
    if (!best || !c.hover) {
      if (tip.dataset.owner === c.el.id) tip.hidden = true
      return
    }
    const m = best.mark
    const at = m.sha ? 'at ' + m.sha : 'at run ' + (m.x + 1)
    if (best.kind === 'cp') {
      tip.replaceChildren(
        el('strong', {
          text: 'Change point ' + at + ': ' + pct(m.change) + (m.worse ? ' (worse)' : ' (better)')
        }),
        el('div', {
          text: 'level ' + withUnit(m.before, c.m.unit) + ' → ' + withUnit(m.after, c.m.unit)
        }),
        el('div', { text: 'p = ' + m.pValue.toExponential(1) + ' · ' + date(m.t) + ' UTC' })
      )
    } else {
      tip.replaceChildren(
        el('strong', { text: 'Environment changed ' + at }),
        ...m.keys.map((k) =>
          el(
            'div',
            {},
            el('span', { class: 'k', text: k.key }),
            ': ' +
              (k.from === null ? 'not recorded' : k.from) +
              ' → ' +
              (k.to === null ? 'not recorded' : k.to),
            k.effect === 'block' ? ' (the gate does not compare across this)' : ''
          )
        )
      )
    }
    const box = u.over.getBoundingClientRect()
    tip.hidden = false
    tip.dataset.owner = c.el.id
    const x = box.left + left
    const w = tip.offsetWidth
    tip.style.left = Math.max(4, Math.min(window.innerWidth - w - 4, x + 12)) + 'px'
    tip.style.top = Math.max(4, box.top + 8) + 'px'
  }

  function showReadout(c, idx) {
    const v = c.view
    const unit = c.m.unit
    if (idx === null) {
      const i = lastIndex(v.med)
      c.readout.textContent =
        i < 0
          ? ''
          : 'newest ' +
            (v.sha[i] || 'run ' + (v.x[i] + 1)) +
            ' · ' +
            date(v.t[i]) +
            ' · ' +
            withUnit(v.med[i], unit) +
            ' [' +
            fmt(v.lo[i]) +
            ' – ' +
            fmt(v.hi[i]) +
            ']'
      return
    }
    const pr = v.pr[idx] !== null
    const value = pr ? v.pr[idx] : v.med[idx]
    const what = v.runs[idx] > 1 ? nfInt.format(v.runs[idx]) + ' runs around ' : pr ? 'PR run ' : ''
    c.readout.textContent =
      what +
      (v.sha[idx] || 'run ' + (v.x[idx] + 1)) +
      ' · ' +
      date(v.t[idx]) +
      ' · ' +
      withUnit(value, unit) +
      (pr ? '' : ' [' + fmt(v.lo[idx]) + ' – ' + fmt(v.hi[idx]) + ']') +
      ' · n ' +
      nfInt.format(v.n[idx])
  }

  function lastIndex(arr) {
    for (let i = arr.length - 1; i >= 0; i--) if (arr[i] !== null) return i
    return -1
  }

  function wirePointer(c) {
    let down = null
    c.u.over.addEventListener('pointerenter', () => {
      c.hover = true
    })
    c.u.over.addEventListener('pointerleave', () => {
      c.hover = false
      const tip = $('tip')
      if (tip.dataset.owner === c.el.id) tip.hidden = true
    })
    c.u.over.addEventListener('pointerdown', (e) => {
      down = [e.clientX, e.clientY]
    })
    c.u.over.addEventListener('click', (e) => {
      if (down && Math.hypot(e.clientX - down[0], e.clientY - down[1]) > 4) return
      const idx = c.u.cursor.idx
      if (idx === null || idx === undefined) return
      const pos = c.view.pos[idx]
      if (pos >= 0) openPosition(c, pos)
      else openBucket(c, idx)
    })
  }

  // ---- the point panel --------------------------------------------------------------------------

  function closePanel(save) {
    const p = $('panel')
    if (p) p.hidden = true
    state.point = null
    if (save !== false) saveHash(true)
  }

  async function openRun(c, x) {
    const pos = await positionOf(c, x)
    if (pos === null) return
    openPosition(c, pos)
  }

  async function positionOf(c, x) {
    const s = c.s
    if (!s) return null
    for (let k = 0; k < s.chunks.count; k++) {
      const r = s.chunks.ranges[k]
      if (x < r[0] || x > r[1]) continue
      const ch = await chunk(c, k)
      const j = bisect(ch.x, x)
      return ch.x[j] === x ? ch.from + j : null
    }
    return null
  }

  async function openPosition(c, pos) {
    const s = c.s
    const size = s.chunks.size
    const k = Math.floor(pos / size)
    const ch = await chunk(c, k)
    const j = pos - ch.from
    if (j < 0 || j >= ch.x.length) return
    const total = c.m.runs
    state.point = { b: c.g.b.name, m: c.m.name, x: ch.x[j] }
    saveHash(true)
    const unit = c.m.unit
    const sha = ch.sha[j]
    const commit = sha
      ? site.repoUrl && /^[0-9a-f]{7,64}$/i.test(sha)
        ? el(
            'a',
            { href: site.repoUrl + '/commit/' + sha, target: '_blank', rel: 'noopener noreferrer' },
            el('code', { text: sha.slice(0, 12) })
          )
        : el('code', { text: sha.slice(0, 12) })
      : 'not recorded'
    let prev = null
    if (j > 0) prev = ch.med[j - 1]
    else if (k > 0) prev = (await chunk(c, k - 1)).med.slice(-1)[0]
    let delta = null
    if (prev !== null && prev !== undefined && prev > 0) {
      const change = ch.med[j] / prev - 1
      const worse = c.m.direction === 'lower' ? change > 0 : change < 0
      delta = el('span', {
        class: 'chip ' + (Math.abs(change) < 1e-12 ? '' : worse ? 'worse' : 'better'),
        text: pct(change)
      })
    }
    const samples = ch.samples[j]
    const canvas = el('canvas', { 'aria-label': 'the samples of this run' })
    const panel = $('panel')
    panel.replaceChildren(
      el('button', {
        class: 'btn close',
        type: 'button',
        text: '×',
        'aria-label': 'Close',
        onclick: () => closePanel()
      }),
      el('h2', { text: c.m.name }),
      el('div', { class: 'sub', text: c.g.b.name + ' · testbed ' + testbed.name }),
      el(
        'dl',
        {},
        el('dt', { text: 'Run' }),
        el(
          'dd',
          {},
          nfInt.format(pos + 1) + ' of ' + nfInt.format(total),
          ch.pr[j] ? el('span', { class: 'chip', text: 'pull request' }) : null
        ),
        el('dt', { text: 'Commit' }),
        el('dd', {}, commit),
        ch.ref[j] ? el('dt', { text: 'Ref' }) : null,
        ch.ref[j] ? el('dd', {}, el('code', { text: ch.ref[j] })) : null,
        el('dt', { text: 'Recorded' }),
        el('dd', { text: ch.at[j] }),
        el('dt', { text: 'Median' }),
        el(
          'dd',
          {},
          el('strong', { text: withUnit(ch.med[j], unit) }),
          delta ? ' ' : null,
          delta,
          delta ? ' vs previous run' : null
        ),
        el('dt', { text: ch.band[j] === 'c' ? '90 % CI' : 'p5 – p95' }),
        el('dd', {
          text:
            fmt(ch.lo[j]) +
            ' – ' +
            fmt(ch.hi[j]) +
            (ch.band[j] === 'c' ? ' (of the median)' : ' (under 5 samples)')
        }),
        el('dt', { text: 'Samples' }),
        el('dd', { text: nfInt.format(ch.n[j]) })
      ),
      canvas,
      el('div', { class: 'samples', text: samples.map((x) => nf6.format(x)).join(', ') }),
      el(
        'div',
        { class: 'nav' },
        el('button', {
          class: 'btn',
          type: 'button',
          id: 'prev',
          text: '← Prev',
          disabled: pos === 0,
          onclick: () => openPosition(c, pos - 1)
        }),
        el('button', {
          class: 'btn',
          type: 'button',
          id: 'next',
          text: 'Next →',
          disabled: pos + 1 >= total,
          onclick: () => openPosition(c, pos + 1)
        })
      )
    )
    panel.hidden = false
    panel.dataset.run = String(ch.x[j])
    drawSamples(canvas, samples, ch.med[j], ch.lo[j], ch.hi[j])
    if (c.u) {
      const xv = state.x === 'date' ? ch.t[j] : ch.x[j]
      const i = bisect(xsOf(c.view), xv)
      if (i < c.view.x.length) {
        const y = c.view.med[i] !== null ? c.view.med[i] : c.view.pr[i]
        if (y !== null)
          c.u.setCursor({ left: c.u.valToPos(xsOf(c.view)[i], 'x'), top: c.u.valToPos(y, 'y') })
      }
    }
  }

  function openBucket(c, idx) {
    const v = c.view
    const x0 = idx > 0 ? xsOf(v)[idx - 1] : xsOf(v)[idx]
    const x1 = idx + 1 < v.x.length ? xsOf(v)[idx + 1] : xsOf(v)[idx]
    const panel = $('panel')
    panel.replaceChildren(
      el('button', {
        class: 'btn close',
        type: 'button',
        text: '×',
        'aria-label': 'Close',
        onclick: () => closePanel()
      }),
      el('h2', { text: c.m.name }),
      el('div', { class: 'sub', text: c.g.b.name + ' · overview point' }),
      el(
        'dl',
        {},
        el('dt', { text: 'Runs' }),
        el('dd', {
          text: nfInt.format(v.runs[idx]) + ' around ' + (v.sha[idx] || 'run ' + (v.x[idx] + 1))
        }),
        el('dt', { text: 'Median of medians' }),
        el('dd', { text: withUnit(v.med[idx], c.m.unit) }),
        el('dt', { text: 'Range of bands' }),
        el('dd', { text: fmt(v.lo[idx]) + ' – ' + fmt(v.hi[idx]) })
      ),
      el('button', {
        class: 'btn',
        type: 'button',
        text: 'Zoom in to these runs',
        onclick: () => {
          closePanel()
          c.u.setScale('x', { min: x0, max: x1 })
        }
      })
    )
    panel.hidden = false
  }

  function drawSamples(canvas, samples, med, lo, hi) {
    const dpr = window.devicePixelRatio || 1
    const w = canvas.clientWidth || 380
    const h = canvas.clientHeight || 56
    canvas.width = w * dpr
    canvas.height = h * dpr
    const ctx = canvas.getContext('2d')
    ctx.scale(dpr, dpr)
    const col = colors()
    let min = Math.min(lo, ...samples)
    let max = Math.max(hi, ...samples)
    if (min === max) {
      min -= 1
      max += 1
    }
    const X = (v) => 8 + ((v - min) / (max - min)) * (w - 16)
    ctx.fillStyle = col.band
    ctx.fillRect(X(lo), 6, Math.max(2, X(hi) - X(lo)), h - 22)
    ctx.strokeStyle = col.line
    ctx.lineWidth = 2
    ctx.beginPath()
    ctx.moveTo(X(med), 4)
    ctx.lineTo(X(med), h - 14)
    ctx.stroke()
    ctx.fillStyle = col.fg
    ctx.globalAlpha = 0.65
    samples.forEach((v, i) => {
      const jitter = ((i * 7919) % 13) / 13
      ctx.beginPath()
      ctx.arc(X(v), 10 + jitter * (h - 30), 2.5, 0, 2 * Math.PI)
      ctx.fill()
    })
    ctx.globalAlpha = 1
    ctx.fillStyle = col.muted
    ctx.font = '11px ' + getComputedStyle(doc.body).fontFamily
    ctx.textBaseline = 'bottom'
    ctx.textAlign = 'left'
    ctx.fillText(fmt(min), 4, h)
    ctx.textAlign = 'right'
    ctx.fillText(fmt(max), w - 4, h)
  }

  // ---- wiring -----------------------------------------------------------------------------------

  doc.addEventListener('keydown', (e) => {
    const panel = $('panel')
    if (!panel || panel.hidden) return
    if (e.key === 'Escape') closePanel()
    else if (e.key === 'ArrowLeft' && $('prev')) $('prev').click()
    else if (e.key === 'ArrowRight' && $('next')) $('next').click()
  })
  darkQuery.addEventListener('change', () => {
    if (applyTheme()) rebuildCharts()
  })
  window.addEventListener('hashchange', () => {
    const before = {
      tb: state.tb,
      x: state.x,
      log: state.log,
      theme: state.theme,
      zoom: [...state.zoom]
    }
    readHash()
    syncControls()
    applyFilter()
    if (!site) return
    if (before.tb !== state.tb) return showTestbed()
    const themeChanged = applyTheme()
    if (
      themeChanged ||
      before.x !== state.x ||
      before.log !== state.log ||
      JSON.stringify(before.zoom) !== JSON.stringify([...state.zoom])
    ) {
      rebuildCharts()
    }
    if (!state.point) closePanel(false)
    restoreFocusAndPoint()
  })

  // For benches and for a look from the console: the live charts (uPlot instances) by card id.
  window.perfGateDashboard = {
    charts: () => {
      const out = {}
      for (const g of groups.values()) for (const c of g.cards) if (c.u) out[c.el.id] = c.u
      return out
    }
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', start)
  else start()
})()
