import { o as openStore } from './history-mode.js';
import { U as UserError } from './engine.js';
import { b as readApiSettings, c as createClient } from './context.js';
import 'node:path';
import 'node:crypto';
import 'node:fs/promises';
import 'process';
import 'buffer';
import 'node:fs';
import 'node:os';
import 'node:string_decoder';
import 'fs';
import 'path';
import 'url';
import 'module';
import 'node:child_process';
import 'node:readline';
import 'node:http';
import 'node:https';
import 'node:stream';
import 'node:util';
import 'os';
import 'http';
import 'https';
import 'net';
import 'tls';
import 'events';
import 'assert';
import 'util';
import 'node:assert';
import 'node:net';
import 'node:buffer';
import 'node:querystring';
import 'node:events';
import 'node:diagnostics_channel';
import 'node:tls';
import 'node:zlib';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:worker_threads';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';

const REPO = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;
function openCliStore(spec, opts) {
    const common = { cwd: opts.cwd, onWarning: opts.onWarning };
    if (!/^\s*git:/.test(spec)) {
        if (opts.repo !== undefined) {
            throw new UserError(`--repo names the repository of a git: store; --store is '${spec}'`);
        }
        return openStore(spec, common);
    }
    const named = opts.repo ?? opts.env.GITHUB_REPOSITORY;
    if (!named) {
        throw new UserError(`--store ${spec.trim()} needs --repo OWNER/NAME: the repository whose branch holds the baselines`);
    }
    const m = REPO.exec(named.trim());
    if (!m?.[1] || !m[2]) {
        throw new UserError(`--repo must be OWNER/NAME (for example acme/llm); got '${named}'`);
    }
    const token = opts.env.GITHUB_TOKEN?.trim() || opts.env.GH_TOKEN?.trim();
    if (!token) {
        throw new UserError(`--store ${spec.trim()} reads ${m[1]}/${m[2]}'s baselines through the GitHub API and needs a token: set GITHUB_TOKEN (or GH_TOKEN), for example GITHUB_TOKEN=$(gh auth token)`);
    }
    const api = readApiSettings(opts.env);
    const client = createClient(token, {
        baseUrl: api.baseUrl,
        tuning: api.tuning,
        ...(opts.log ? { log: opts.log } : {})
    });
    return openStore(spec, {
        ...common,
        github: { client, repo: { owner: m[1], repo: m[2] }, timeScale: api.tuning.timeScale }
    });
}

export { openCliStore };
