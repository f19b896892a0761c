// The npm registry this project installs from serves only some platforms' prebuilt binaries
// (rollup, unrs-resolver), so `npm install` leaves the others out of package-lock.json, and
// `npm ci` then refuses the lock as out of sync. This adds those optional, other-platform
// packages back as entries npm ci skips on this platform by their os/cpu/libc fields.
// Run after changing dependencies: `npm install && node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs'

const FILE = 'package-lock.json'
const lock = JSON.parse(readFileSync(FILE, 'utf8'))
const OS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'win32']
const CPU = ['arm64', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'arm']

function platformOf(name) {
  const parts = name.split('/').pop().split('-')
  const os = OS.find((o) => parts.includes(o))
  const cpu = CPU.find((c) => parts.includes(c))
  if (!os || !cpu) return null
  const libc = parts.some((p) => p.startsWith('musl'))
    ? 'musl'
    : parts.includes('gnu') || parts.some((p) => p.startsWith('gnueabi'))
      ? 'glibc'
      : null
  return { os, cpu, libc }
}

let added = 0
for (const pkg of Object.values(lock.packages)) {
  for (const [name, spec] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`
    if (lock.packages[key] || !/^\d+\.\d+\.\d+$/.test(spec)) continue
    const platform = platformOf(name)
    if (!platform) continue
    lock.packages[key] = {
      version: spec,
      cpu: [platform.cpu],
      ...(pkg.dev ? { dev: true } : {}),
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      optional: true,
      os: [platform.os]
    }
    added++
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)
  )
)
writeFileSync(FILE, JSON.stringify(lock, null, 2) + '\n')
console.log(`added ${added} other-platform optional entries to ${FILE}`)
