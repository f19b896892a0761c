// `node --import ./bench/ts-register.mjs bench/x.ts`: see ts-hooks.mjs.
import { register } from 'node:module'

register('./ts-hooks.mjs', import.meta.url)
