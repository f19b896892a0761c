import path from 'node:path';
import { U as UserError, e as errorMessage, a2 as writeFileAtomic, o as parseResultSet, a3 as makeInput, a4 as object, a5 as string, a6 as number, a7 as literal, a8 as array, I as escapeMarkdown, J as formatDate, N as plural, s as shortSha, L as formatPercent, K as formatValue, M as markdownTable, a9 as xyChart, aa as stepLevels, ab as mermaidLabel, ac as loadConfigOrDefaults, ad as median, d as detectChangePoints } from './engine.js';
import { createHash } from 'node:crypto';
import { readdir, mkdir, readFile, rm, open } from 'node:fs/promises';

function status(e) {
    const s = e.status;
    return typeof s === 'number' ? s : undefined;
}
function isRateLimit(e) {
    const headers = e.response
        ?.headers;
    return headers?.['x-ratelimit-remaining'] === '0' || /rate limit/i.test(errorMessage(e));
}
/** Errors no retry can fix: the token, its permissions, or the repository. */
function isFatal(e) {
    const s = status(e);
    return e instanceof UserError || s === 401 || ((s === 403 || s === 404) && !isRateLimit(e));
}
class GitApi {
    gh;
    repo;
    branch;
    constructor(gh, repo, branch) {
        this.gh = gh;
        this.repo = repo;
        this.branch = branch;
    }
    get where() {
        return `branch '${this.branch}' of ${this.repo.owner}/${this.repo.repo}`;
    }
    /** What the user must change, for an error no retry can fix; the error itself otherwise. */
    explain(e, access) {
        if (e instanceof UserError)
            return e;
        const s = status(e);
        if (s === 401) {
            return new UserError(`GitHub refused the token (401 Bad credentials) while accessing the baselines on ${this.where}; check the github-token input (CLI: GITHUB_TOKEN or GH_TOKEN)`);
        }
        if ((s === 403 || s === 404) && !isRateLimit(e)) {
            const nothing = access === 'write' ? '; nothing was written' : '';
            return new UserError(`cannot ${access} the baselines on ${this.where} (${s} ${errorMessage(e)}): the token needs the permission 'contents: ${access}' (add it under 'permissions:' in the workflow)${nothing}`);
        }
        return e instanceof Error ? e : new Error(String(e));
    }
    /** The commit a ref points at, or null when the ref does not exist. */
    async refSha(name) {
        try {
            const r = await this.gh.rest.git.getRef({ ...this.repo, ref: `heads/${name}` });
            return r.data.object.sha;
        }
        catch (e) {
            if (status(e) === 404)
                return null;
            throw e;
        }
    }
    /** The branch and its compaction lock, read in one request so they are one snapshot. */
    async refs(lock) {
        const r = await this.gh.rest.git.listMatchingRefs({ ...this.repo, ref: `heads/${this.branch}` });
        const sha = (name) => r.data.find((x) => x.ref === `refs/heads/${name}`)?.object.sha;
        return { branch: sha(this.branch) ?? null, lock: sha(lock) ?? null };
    }
    async commitTree(commit) {
        return (await this.gh.rest.git.getCommit({ ...this.repo, commit_sha: commit })).data.tree.sha;
    }
    /** The blob sha of a top-level file of a tree, or null. */
    async fileInTree(tree, path) {
        const r = await this.gh.rest.git.getTree({ ...this.repo, tree_sha: tree });
        return r.data.tree.find((e) => e.path === path && e.type === 'blob')?.sha ?? null;
    }
    async blob(sha) {
        const r = await this.gh.rest.git.getBlob({ ...this.repo, file_sha: sha });
        return Buffer.from(r.data.content, r.data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
    }
    async createBlob(content) {
        const r = await this.gh.rest.git.createBlob({ ...this.repo, content, encoding: 'utf-8' });
        return r.data.sha;
    }
    async createTree(base, changes) {
        const r = await this.gh.rest.git.createTree({
            ...this.repo,
            ...(base ? { base_tree: base } : {}),
            tree: changes.map((c) => ({
                path: c.path,
                mode: '100644',
                type: 'blob',
                ...(c.content !== undefined ? { content: c.content } : { sha: c.sha ?? null })
            }))
        });
        return r.data.sha;
    }
    async createCommit(tree, parents, message) {
        const r = await this.gh.rest.git.createCommit({ ...this.repo, tree, parents, message });
        return r.data.sha;
    }
    /** Moves a branch; false when GitHub refuses because it moved first (not a fast forward). */
    async moveRef(name, sha, force) {
        try {
            // A forced update is never sent again: resent after a timeout it could land after the
            // compaction lock's lease, over writes whose runs already checked them (git-store.ts).
            await this.gh.rest.git.updateRef({
                ...this.repo,
                ref: `heads/${name}`,
                sha,
                force,
                ...(force ? { request: { retries: 0 } } : {})
            });
            return true;
        }
        catch (e) {
            if (status(e) === 422 || status(e) === 409)
                return false;
            throw e;
        }
    }
    /** Creates a branch; false when it already exists (someone else created it first). */
    async createRef(name, sha) {
        try {
            await this.gh.rest.git.createRef({ ...this.repo, ref: `refs/heads/${name}`, sha });
            return true;
        }
        catch (e) {
            if (status(e) === 422 || status(e) === 409)
                return false;
            throw e;
        }
    }
    async deleteRef(name) {
        try {
            await this.gh.rest.git.deleteRef({ ...this.repo, ref: `heads/${name}` });
        }
        catch (e) {
            // Already gone is what we wanted.
            if (status(e) !== 422 && status(e) !== 404)
                throw e;
        }
    }
}

/**
 * Baselines as files: `DIR/<testbed folder>/<time>_<sha>.json`, one per recorded run. The
 * directory listing is the index, so there is no second file to keep consistent. Each file is
 * written to a temporary name, flushed, then renamed into place: rename is atomic on POSIX file
 * systems, so a crash or kill mid-write leaves only a stray temporary file that readers ignore.
 *
 * The folder of a testbed is its name where the name is plain (`ci`, `gpu-a100`), else a readable
 * slug and a hash of the exact name (`gpa~3f2a…`), so no two testbeds share one (see
 * testbedFolder). Stores written before that named every folder by the slug alone, which `gpä`
 * and `gpé` shared; those folders are still read, and a baseline is used only for the testbed it
 * records, so an old shared folder can no longer gate one testbed against another.
 */
class LocalBaselineStore {
    dir;
    opts;
    location;
    warned = new Set();
    constructor(dir, opts = {}) {
        this.dir = dir;
        this.opts = opts;
        this.location = `local:${dir}`;
    }
    async testbeds() {
        let dirs;
        try {
            dirs = await readdir(this.dir, { withFileTypes: true });
        }
        catch (e) {
            if (e.code === 'ENOENT')
                return [];
            throw new UserError(`cannot read the baseline store ${this.dir}: ${errorMessage(e)}`);
        }
        // Folder names are escaped, and an older store's folder may hold several testbeds (gpä and
        // gpé shared `gp_`): the names are the ones the baselines record, for the folder they are in.
        const names = new Set();
        for (const d of dirs.filter((e) => e.isDirectory() && !e.name.startsWith('.'))) {
            const folder = path.join(this.dir, d.name);
            const files = (await this.names(folder)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
            // A folder of the current layout with a hash holds one testbed: one file says which.
            for (const f of d.name.includes('~') ? files.slice(-1) : files) {
                const t = await recordedTestbed(path.join(folder, f));
                if (t !== null && (testbedFolder(t) === d.name || safeSegment(t) === d.name))
                    names.add(t);
            }
        }
        return [...names].sort();
    }
    list(testbed) {
        return this.entries(testbed);
    }
    read(entry) {
        return this.load(entry.testbed, entry);
    }
    async forCommit(testbed, sha) {
        // File names carry 12 hex digits of the sha; the loaded file confirms the full one.
        const prefix = sha.slice(0, 12);
        const newestFirst = (await this.entries(testbed)).reverse();
        for (const entry of newestFirst.filter((e) => e.sha === prefix)) {
            const loaded = await this.load(testbed, entry);
            if (loaded && loaded.results.commit.sha === sha)
                return loaded;
        }
        return null;
    }
    async latest(testbed) {
        const newestFirst = (await this.entries(testbed)).reverse();
        for (const entry of newestFirst) {
            const loaded = await this.load(testbed, entry);
            if (loaded)
                return loaded;
        }
        return null;
    }
    async history(testbed, limit) {
        const entries = (await this.entries(testbed)).slice(-limit);
        const loaded = await Promise.all(entries.map((e) => this.load(testbed, e)));
        return loaded.filter((x) => x !== null);
    }
    async write(results) {
        const dir = path.join(this.dir, testbedFolder(results.testbed));
        await mkdir(dir, { recursive: true });
        const id = `${compactTime(results.createdAt)}_${(results.commit.sha ?? 'nosha').slice(0, 12)}.json`;
        const final = path.join(dir, id);
        try {
            await (this.opts.writeFile ?? writeFileAtomic)(final, JSON.stringify(results, null, 2) + '\n');
        }
        catch (e) {
            throw new UserError(`could not write the baseline to ${final}: ${errorMessage(e)}; the previous baseline is unchanged`);
        }
        await this.prune(results.testbed);
        return { testbed: results.testbed, sha: results.commit.sha, createdAt: results.createdAt, id };
    }
    /** Where the testbed's baselines are: its folder, then the folder an older store gave it. */
    folders(testbed) {
        const current = path.join(this.dir, testbedFolder(testbed));
        const legacy = path.join(this.dir, safeSegment(testbed));
        return legacy === current ? [current] : [current, legacy];
    }
    async names(dir) {
        try {
            return await readdir(dir);
        }
        catch (e) {
            if (e.code === 'ENOENT')
                return [];
            throw new UserError(`cannot read the baseline store ${this.dir}: ${errorMessage(e)}`);
        }
    }
    async entries(testbed) {
        const ids = new Set();
        for (const dir of this.folders(testbed)) {
            for (const n of await this.names(dir)) {
                if (n.endsWith('.json') && !n.startsWith('.'))
                    ids.add(n);
            }
        }
        // Names start with a sortable UTC timestamp, so name order is time order.
        return [...ids].sort().map((id) => {
            const [time, sha] = id.replace(/\.json$/, '').split('_');
            return { testbed, id, createdAt: time ?? '', sha: sha && sha !== 'nosha' ? sha : null };
        });
    }
    async load(testbed, entry) {
        for (const dir of this.folders(testbed)) {
            const file = path.join(dir, entry.id);
            let text;
            try {
                text = await readFile(file, 'utf8');
            }
            catch (e) {
                if (e.code === 'ENOENT')
                    continue;
                this.opts.onWarning?.(`skipping unreadable baseline: ${file}: ${errorMessage(e)}`);
                return null;
            }
            try {
                const results = parseResultSet(makeInput(file, text));
                if (results.testbed !== testbed) {
                    this.warnOnce(`${dir}\u0000${results.testbed}`, `skipping baselines in ${dir} recorded for testbed ${JSON.stringify(results.testbed)}, not ${JSON.stringify(testbed)} (a folder an older perf-gate shared between the two)`);
                    return null;
                }
                return {
                    entry: { ...entry, sha: results.commit.sha, createdAt: results.createdAt },
                    results
                };
            }
            catch (e) {
                // A file edited by hand or cut short by a full disk must not hide the older baselines.
                this.opts.onWarning?.(`skipping unreadable baseline: ${errorMessage(e)}`);
                return null;
            }
        }
        return null;
    }
    warnOnce(key, message) {
        if (this.warned.has(key))
            return;
        this.warned.add(key);
        this.opts.onWarning?.(message);
    }
    /** Only the testbed's own folder: an older shared one may hold another testbed's baselines. */
    async prune(testbed) {
        const keep = this.opts.keep ?? 100;
        const dir = path.join(this.dir, testbedFolder(testbed));
        const ids = (await this.names(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
        ids.sort();
        for (const old of ids.slice(0, Math.max(0, ids.length - keep))) {
            await rm(path.join(dir, old), { force: true });
        }
    }
}
/**
 * The testbed a baseline file records, read from its start (perf-gate writes `testbed` among the
 * first keys), else from the whole file; null when unreadable.
 */
async function recordedTestbed(file) {
    try {
        const handle = await open(file, 'r');
        let head;
        try {
            const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
            head = buffer.subarray(0, bytesRead).toString('utf8');
        }
        finally {
            await handle.close();
        }
        const m = /"testbed"\s*:\s*("(?:[^"\\\n]|\\.)*")/.exec(head);
        if (m?.[1])
            return JSON.parse(m[1]);
        const whole = JSON.parse(await readFile(file, 'utf8'));
        return typeof whole.testbed === 'string' ? whole.testbed : null;
    }
    catch {
        return null;
    }
}
/** `2026-11-22T10:01:02.345Z` → `20261122T100102345Z`: sortable and safe in file names. */
function compactTime(iso) {
    return iso.replace(/[-:.]/g, '');
}
/** Plain testbed names are their own folder: lower case (folders on macOS and Windows ignore case). */
const PLAIN = /^[a-z0-9_][a-z0-9._-]{0,63}$/;
/**
 * The folder of a testbed, one per exact name: a plain name as it is; any other a readable slug,
 * `~` (which no plain name has) and 12 hex digits of the SHA-256 of the exact name. `gpä` and
 * `gpé`, `a/b` and `a_b`, `.` and `..`, `CI` and `ci` all get folders of their own, and none
 * leaves the store.
 */
function testbedFolder(name) {
    if (PLAIN.test(name))
        return name;
    const slug = safeSegment(name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')).slice(0, 40);
    return `${slug}~${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 12)}`;
}
/** The folder name stores before testbedFolder used, kept to read them: not one per name. */
function safeSegment(name) {
    const s = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
    return s === '' ? '_' : s;
}

/*
 * The index of a baseline branch: one small JSON file at the root listing every stored baseline,
 * so listing a testbed is one read instead of a walk over trees. The functions here are pure; the
 * store reads and writes the file.
 */
const INDEX_PATH = 'index.json';
const IndexEntry = object({
    testbed: string().min(1),
    sha: string().nullable(),
    createdAt: string(),
    /** Path of the baseline file in the branch; also the entry's id. */
    path: string().min(1),
    bytes: number().int().nonnegative(),
    /** Git blob sha of the file, so a read needs no tree walk. */
    blob: string().regex(/^[0-9a-f]{40}$/)
});
const GitIndex = object({
    version: literal(1),
    /** Commits since the last snapshot (the branch's root); drives compaction. */
    depth: number().int().nonnegative(),
    entries: array(IndexEntry)
});
const EMPTY_INDEX = { version: 1, depth: 0, entries: [] };
function parseIndex(text) {
    return GitIndex.parse(JSON.parse(text));
}
/** Compact, and entries in a stable order so identical content gives an identical blob. */
function serializeIndex(index) {
    return JSON.stringify({ ...index, entries: [...index.entries].sort(byTestbedThenTime) });
}
function byTestbedThenTime(a, b) {
    if (a.testbed !== b.testbed)
        return a.testbed < b.testbed ? -1 : 1;
    return byTime(a, b);
}
function byTime(a, b) {
    if (a.createdAt !== b.createdAt)
        return a.createdAt < b.createdAt ? -1 : 1;
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
/** A testbed's entries, oldest first. */
function entriesOf(index, testbed) {
    return index.entries.filter((e) => e.testbed === testbed).sort(byTime);
}
/**
 * `baselines/<testbed>-<hash>/<time>_<sha12>.json`. The readable part of the folder is escaped for
 * paths; the hash of the exact name keeps `a/b` and `a_b` apart. Several baselines of one commit
 * (a re-run) differ by time.
 */
function entryPath(testbed, createdAt, sha) {
    const folder = `${safeSegment(testbed).slice(0, 60)}-${createHash('sha1').update(testbed).digest('hex').slice(0, 8)}`;
    const time = createdAt.replace(/[-:.]/g, '');
    return `baselines/${folder}/${safeSegment(time)}_${(sha ?? 'nosha').slice(0, 12)}.json`;
}
/**
 * The index after adding `entry` (replacing one at the same path) and keeping only the newest
 * `keep` of its testbed; `removed` are the paths to delete from the tree.
 */
function addEntry(index, entry, keep) {
    const others = index.entries.filter((e) => e.path !== entry.path);
    const mine = [...others.filter((e) => e.testbed === entry.testbed), entry].sort(byTime);
    const dropped = mine.slice(0, Math.max(0, mine.length - keep));
    const gone = new Set(dropped.map((e) => e.path));
    return {
        index: {
            version: 1,
            depth: index.depth + 1,
            entries: [...others, entry].filter((e) => !gone.has(e.path))
        },
        removed: [...gone].filter((p) => p !== entry.path)
    };
}
/** True when the index holds exactly this file (our write landed, or is still there). */
function holds(index, entry) {
    return index.entries.some((e) => e.path === entry.path && e.blob === entry.blob);
}

const DEFAULT_BRANCH = 'perf-gate-data';
const MAX_BACKOFF_MS = 8_000;
const LOCK_LEASE_MS = 120_000;
/**
 * Baselines on a branch of the repository, written through the Git Data API:
 * `baselines/<testbed>-<hash>/<time>_<sha>.json` plus `index.json` listing them.
 *
 * A write is blob, tree (on the head's tree), commit, then a fast-forward-only ref update: either
 * the branch moves to a commit holding everything it held plus the new baseline, or nothing
 * changes. A lost race (GitHub's 422 "not a fast forward") re-reads the head, merges again and
 * retries after a jittered backoff, a bounded number of times.
 *
 * Retention drops old baselines from the tree, but history keeps them reachable, so every
 * `compactEvery` commits the branch is replaced by a single root commit with the same tree. That
 * replacement needs a forced ref update, which GitHub cannot make conditional; a ref lock (a
 * `<branch>--compacting` branch, created atomically) brackets it, and every writer, after its own
 * update, waits out a lock it sees and then checks its baseline is still on the branch, writing
 * again if a compaction dropped it. See docs/github-workflows.md, "Baselines on a branch".
 */
class GitBaselineStore {
    repo;
    opts;
    location;
    shared = true;
    api;
    lockName;
    keep;
    compactEvery;
    attempts;
    timeScale;
    random;
    leaseMs;
    /** The head as this run last saw it: reads within one run are served from it. */
    head = null;
    /** Blobs never change, so their text is cached by sha. */
    blobs = new Map();
    constructor(gh, repo, opts) {
        this.repo = repo;
        this.opts = opts;
        this.location = `git:${opts.branch}`;
        this.api = new GitApi(gh, repo, opts.branch);
        this.lockName = `${opts.branch}--compacting`;
        this.keep = Math.max(1, opts.keep ?? 100);
        this.compactEvery = opts.compactEvery ?? 50;
        this.attempts = Math.max(1, opts.attempts ?? 8);
        this.timeScale = opts.timeScale ?? 1;
        this.random = opts.random ?? Math.random;
        this.leaseMs = opts.lockLeaseMs ?? LOCK_LEASE_MS;
    }
    async testbeds() {
        const head = await this.cachedHead();
        return [...new Set(head?.index.entries.map((e) => e.testbed) ?? [])].sort();
    }
    async list(testbed) {
        const head = await this.cachedHead();
        return head ? entriesOf(head.index, testbed).map(toEntry) : [];
    }
    async read(entry) {
        const head = await this.cachedHead();
        const found = head?.index.entries.find((e) => e.path === entry.id);
        if (!found) {
            this.warn(`skipping baseline ${entry.id}: it is no longer on branch '${this.opts.branch}'`);
            return null;
        }
        return this.load(found);
    }
    async forCommit(testbed, sha) {
        const head = await this.cachedHead();
        const newestFirst = head ? entriesOf(head.index, testbed).reverse() : [];
        for (const e of newestFirst.filter((x) => x.sha === sha)) {
            const loaded = await this.load(e);
            if (loaded)
                return loaded;
        }
        return null;
    }
    async latest(testbed) {
        const head = await this.cachedHead();
        for (const e of head ? entriesOf(head.index, testbed).reverse() : []) {
            const loaded = await this.load(e);
            if (loaded)
                return loaded;
        }
        return null;
    }
    async history(testbed, limit) {
        const head = await this.cachedHead();
        const entries = head ? entriesOf(head.index, testbed).slice(-limit) : [];
        const loaded = await Promise.all(entries.map((e) => this.load(e)));
        return loaded.filter((x) => x !== null);
    }
    async write(results) {
        let text;
        try {
            text = JSON.stringify(results);
        }
        catch (e) {
            throw new UserError(`could not serialise the baseline (${errorMessage(e)}); nothing was written to branch '${this.opts.branch}'`);
        }
        const sha = results.commit.sha;
        const path = entryPath(results.testbed, results.createdAt, sha);
        let blob = null;
        let problem = '';
        for (let attempt = 1; attempt <= this.attempts; attempt++) {
            if (attempt > 1)
                await this.sleep(this.backoffMs(attempt));
            try {
                // The first attempt may build on what this run already read; a stale head only costs a
                // lost race, after which the head is read afresh.
                const [head, blobSha] = await Promise.all([
                    attempt === 1 && this.head ? this.head : this.freshHead(),
                    blob ?? this.api.createBlob(text)
                ]);
                blob = blobSha;
                const entry = {
                    testbed: results.testbed,
                    sha,
                    createdAt: results.createdAt,
                    path,
                    bytes: Buffer.byteLength(text),
                    blob: blobSha
                };
                // A retry after a 5xx whose update did land, or a re-run writing identical results.
                if (head && holds(head.index, entry))
                    return toEntry(entry);
                const next = addEntry(head?.index ?? EMPTY_INDEX, entry, this.keep);
                if (!holds(next.index, entry)) {
                    this.warn(`baseline ${path} is older than the ${this.keep} kept for testbed '${results.testbed}'; not stored`);
                    return toEntry(entry);
                }
                const tree = await this.api.createTree(head?.tree, [
                    { path, sha: blob },
                    { path: INDEX_PATH, content: serializeIndex(next.index) },
                    ...next.removed.map((p) => ({ path: p, sha: null }))
                ]);
                const message = `perf-gate: baseline ${results.testbed} ${(sha ?? 'nosha').slice(0, 12)} ${results.createdAt}`;
                const commit = await this.api.createCommit(tree, head ? [head.commit] : [], message);
                const moved = head
                    ? await this.api.moveRef(this.opts.branch, commit, false)
                    : await this.api.createRef(this.opts.branch, commit);
                if (!moved) {
                    problem = 'another run updated the branch first';
                    this.head = null;
                    continue;
                }
                this.head = Promise.resolve({ commit, tree, index: next.index });
                if (await this.settle(commit, entry, next.index.depth))
                    return toEntry(entry);
                problem = 'a compaction of the branch dropped it';
                // The blob may be unreachable now; create it again rather than trust it survived.
                blob = null;
            }
            catch (e) {
                this.head = null;
                if (isFatal(e))
                    throw this.api.explain(e, 'write');
                problem = errorMessage(e);
                // Whatever failed, the next attempt starts from nothing it cannot re-create.
                blob = null;
            }
        }
        throw new UserError(`could not write the baseline to branch '${this.opts.branch}' of ${this.repo.owner}/${this.repo.repo} after ${this.attempts} attempts (last: ${problem}); nothing was written and the previous baseline is unchanged`);
    }
    /**
     * After our update landed: compact if it is due, then make sure our baseline survived any
     * compaction that read the branch before our update and forced it after.
     */
    async settle(commit, entry, depth) {
        if (this.compactEvery > 0 && depth >= this.compactEvery)
            await this.compact(commit);
        let waitStart = Date.now();
        let holder = null;
        for (let poll = 1;; poll++) {
            const refs = await this.api.refs(this.lockName);
            if (!refs.lock) {
                if (refs.branch === commit)
                    return true;
                const head = await this.freshHead();
                return head !== null && holds(head.index, entry);
            }
            // The lease runs from when this holder's lock was first seen, not from an earlier holder's.
            if (refs.lock !== holder) {
                holder = refs.lock;
                waitStart = Date.now();
            }
            if (Date.now() - waitStart > this.leaseMs) {
                this.warn(`removing the compaction lock '${this.lockName}', held for over ${this.leaseMs / 1000} s by a run that seems to have died`);
                await this.api.deleteRef(this.lockName);
                continue;
            }
            await this.sleep(this.backoffMs(Math.min(poll + 1, 5)));
        }
    }
    /** Replaces the branch by one root commit with the same files, under the lock. */
    async compact(ours) {
        const started = Date.now();
        // Taking the lock is atomic (creating a ref that exists fails); if it is held, someone else
        // is compacting and our update will be checked against theirs.
        if (!(await this.api.createRef(this.lockName, ours)))
            return;
        try {
            // Read after locking: every update that landed before the lock is in this head, and every
            // later one is checked by its writer once the lock is gone.
            const head = await this.freshHead();
            if (!head)
                return;
            const index = { ...head.index, depth: 0 };
            const tree = await this.api.createTree(head.tree, [
                { path: INDEX_PATH, content: serializeIndex(index) }
            ]);
            const root = await this.api.createCommit(tree, [], `perf-gate: snapshot of ${index.entries.length} baselines (history squashed to bound the branch size)`);
            if (Date.now() - started > this.leaseMs / 2) {
                this.warn('skipping the compaction of the baseline branch: it took too long to prepare');
                return;
            }
            await this.api.moveRef(this.opts.branch, root, true);
            this.head = Promise.resolve({ commit: root, tree, index });
        }
        catch (e) {
            // Compaction only saves space; the baseline itself is written already.
            this.warn(`could not compact branch '${this.opts.branch}': ${errorMessage(e)}`);
        }
        finally {
            await this.api.deleteRef(this.lockName).catch((e) => {
                this.warn(`could not remove the compaction lock '${this.lockName}': ${errorMessage(e)}`);
            });
        }
    }
    cachedHead() {
        this.head ??= this.readHead().catch((e) => {
            this.head = null;
            throw this.api.explain(e, 'read');
        });
        return this.head;
    }
    freshHead() {
        this.head = null;
        return this.cachedHead();
    }
    async readHead() {
        const commit = await this.api.refSha(this.opts.branch);
        if (!commit)
            return null;
        const tree = await this.api.commitTree(commit);
        const indexBlob = await this.api.fileInTree(tree, INDEX_PATH);
        if (!indexBlob) {
            // Writing here would mix baselines into someone's code branch.
            throw new UserError(`branch '${this.opts.branch}' exists but has no ${INDEX_PATH}, so it is not a perf-gate baseline branch; set baseline-store to another branch (the default is git:${DEFAULT_BRANCH})`);
        }
        // Fetched outside the try: a failed request is GitHub's trouble, to retry or explain, never a
        // reason to tell the user their index is damaged and the branch should go.
        const text = await this.blobText(indexBlob);
        try {
            return { commit, tree, index: parseIndex(text) };
        }
        catch (e) {
            throw new UserError(`${INDEX_PATH} on branch '${this.opts.branch}' is not a valid baseline index (${errorMessage(e)}); restore it from the branch history or delete the branch to start over`);
        }
    }
    blobText(sha) {
        let text = this.blobs.get(sha);
        if (!text) {
            text = this.api.blob(sha);
            text.catch(() => this.blobs.delete(sha));
            this.blobs.set(sha, text);
        }
        return text;
    }
    async load(e) {
        try {
            const results = parseResultSet(makeInput(`${this.location}:${e.path}`, await this.blobText(e.blob)));
            return { entry: toEntry(e), results };
        }
        catch (err) {
            // A blob missing (404) after the index was readable is damage, not a permission problem.
            const s = status(err);
            if ((s === 401 || s === 403) && isFatal(err))
                throw this.api.explain(err, 'read');
            // One damaged file must not hide the older baselines.
            this.warn(`skipping unreadable baseline: ${errorMessage(err)}`);
            return null;
        }
    }
    backoffMs(attempt) {
        const base = Math.min(MAX_BACKOFF_MS, 250 * 2 ** (attempt - 1));
        return base * (0.5 + this.random()) * this.timeScale;
    }
    sleep(ms) {
        return new Promise((resolve) => setTimeout(resolve, ms));
    }
    warn(message) {
        this.opts.onWarning?.(message);
    }
}
function toEntry(e) {
    return { testbed: e.testbed, sha: e.sha, createdAt: e.createdAt, id: e.path };
}

const DEFAULT_STORE = 'local:.perf-gate/baselines';
const DEFAULT_KEEP = 100;
/** `local:DIR` (the default) or `git:BRANCH`. */
function openStore(spec, opts) {
    const m = /^(local|git):(.+)$/.exec(spec.trim());
    if (!m?.[2]) {
        throw new UserError(`baseline-store must be 'local:DIR' or 'git:BRANCH', got '${spec}'`);
    }
    const keep = opts.keep ?? DEFAULT_KEEP;
    const warn = opts.onWarning ? { onWarning: opts.onWarning } : {};
    if (m[1] === 'git') {
        const branch = m[2].trim();
        if (!/^[A-Za-z0-9._/-]+$/.test(branch) || /(^[./-]|\.\.|\/\/|\.lock$|[./]$)/.test(branch)) {
            throw new UserError(`baseline-store '${spec}': '${branch}' is not a usable branch name`);
        }
        if (!opts.github) {
            throw new UserError(`baseline-store '${spec}' keeps baselines on a branch through the GitHub API, which needs the github-token input and a run on GitHub; use 'local:DIR' (for example ${DEFAULT_STORE}) elsewhere`);
        }
        return new GitBaselineStore(opts.github.client, opts.github.repo, {
            branch,
            keep,
            ...(opts.github.timeScale !== undefined ? { timeScale: opts.github.timeScale } : {}),
            ...warn
        });
    }
    return new LocalBaselineStore(path.resolve(opts.cwd, m[2]), { keep, ...warn });
}

/** Charts drawn at most: the metrics with the largest steps. */
const MAX_CHARTS = 5;
/** The metric's trend chart, the level between its steps drawn as a second line. */
function historyChart(m) {
    const points = m.points.slice(-100);
    const values = points.map((p) => p.value);
    const shown = m.points.length - points.length;
    const steps = m.steps.map((s) => s.index - shown).filter((i) => i > 0);
    return xyChart({
        title: mermaidLabel(`${m.benchmark} / ${m.metric}`, 'history'),
        labels: points.map((p, i) => mermaidLabel(shortSha(p.sha) ?? `#${i + 1}`, '?')),
        unit: mermaidLabel(m.unit, 'value'),
        // With its steps, the level between them: a picture of where it moved.
        lines: steps.length && values.every((v) => v > 0) ? [values, stepLevels(values, steps)] : [values]
    });
}
/** Every step, newest first: the one a maintainer most likely has to look into. */
function allSteps(report) {
    return report.metrics
        .flatMap((m) => m.steps.map((s) => ({ m, s })))
        .sort((a, b) => b.s.createdAt.localeCompare(a.s.createdAt) || Math.abs(b.s.change) - Math.abs(a.s.change));
}
function countSteps(report) {
    return report.metrics.reduce((n, m) => n + m.steps.length, 0);
}
function renderHistory(report) {
    const testbed = escapeMarkdown(report.testbed, { maxLength: 80 });
    const steps = allSteps(report);
    const out = [`## perf history: testbed ${testbed}`, ''];
    const dates = report.metrics.flatMap((m) => m.points.map((p) => p.createdAt)).sort();
    const span = dates.length > 0 ? ` (${formatDate(dates[0] ?? '')} … ${formatDate(dates.at(-1) ?? '')})` : '';
    const unreadable = report.unreadable > 0 ? ` ${plural(report.unreadable, 'baseline')} could not be read.` : '';
    out.push(`${plural(steps.length, 'change point')} in ${plural(report.metrics.length, 'metric')} over ` +
        `${plural(report.baselines, 'baseline')}${span} in ${escapeMarkdown(report.location, { maxLength: 200 })}.${unreadable} ` +
        'Found by E-Divisive means on the median of each baseline; this report never fails a run.');
    out.push('');
    if (report.baselines < report.minPoints) {
        out.push(`Too few baselines to look for change points: at least ${report.minPoints} are needed, ` +
            `${report.baselines === 0 ? 'there are none yet' : `there ${report.baselines === 1 ? 'is' : 'are'} ${report.baselines}`}.`);
        return out.join('\n') + '\n';
    }
    if (steps.length === 0) {
        out.push('No change points: every metric held its level.');
        return out.join('\n') + '\n';
    }
    const rows = steps.map(({ m, s }) => {
        const unit = escapeMarkdown(m.unit, { maxLength: 20 });
        const sha = shortSha(s.sha);
        return [
            sha ? `\`${sha}\`` : 'unknown',
            formatDate(s.createdAt),
            escapeMarkdown(m.benchmark),
            escapeMarkdown(m.metric),
            formatPercent(s.change),
            formatValue(s.before, unit),
            formatValue(s.after, unit),
            s.worse ? '⚠️ worse' : '✅ better'
        ];
    });
    out.push(markdownTable([['Commit', 'Recorded', 'Benchmark', 'Metric', 'Step', 'Before', 'After', ''], ...rows], { alignDelimiters: false }));
    out.push('', 'The commit is the first baseline at the new level; the change lies between it and the baseline before.');
    const charted = report.metrics
        .filter((m) => m.steps.length > 0 && m.points.length >= 2)
        .sort((a, b) => Math.max(...b.steps.map((s) => Math.abs(s.change))) -
        Math.max(...a.steps.map((s) => Math.abs(s.change))))
        .slice(0, MAX_CHARTS);
    for (const m of charted)
        out.push('', historyChart(m));
    return out.join('\n') + '\n';
}

const DEFAULT_MIN_SIZE = 3;
/** The steps in each gated metric's series of medians, oldest baseline first. */
function analyseHistory(sets, meta, opts = {}) {
    const minSize = opts.changePoints?.minSize ?? DEFAULT_MIN_SIZE;
    const series = new Map();
    for (const set of sets) {
        for (const b of set.benchmarks) {
            for (const m of b.metrics) {
                if (m.gate === false || m.samples.length === 0)
                    continue;
                const value = median(m.samples);
                // Steps are found on ratios: a zero or negative level has none to speak of.
                if (!(Number.isFinite(value) && value > 0))
                    continue;
                const key = `${b.name}\u0000${m.name}`;
                let h = series.get(key);
                if (!h) {
                    h = {
                        benchmark: b.name,
                        metric: m.name,
                        unit: m.unit,
                        direction: m.direction,
                        class: m.class,
                        points: [],
                        steps: []
                    };
                    series.set(key, h);
                }
                h.class = m.class;
                h.points.push({ sha: set.commit.sha, createdAt: set.createdAt, value });
            }
        }
    }
    const metrics = [...series.values()];
    for (const h of metrics) {
        if (h.points.length < 2 * minSize)
            continue;
        const values = h.points.map((p) => p.value);
        const found = detectChangePoints(values, opts.changePoints);
        h.steps = found.map((c, i) => {
            const from = found[i - 1]?.index ?? 0;
            const to = found[i + 1]?.index ?? values.length;
            const point = h.points[c.index] ?? { sha: null, createdAt: '' };
            return {
                index: c.index,
                sha: point.sha,
                createdAt: point.createdAt,
                change: c.change,
                before: median(values.slice(from, c.index)),
                after: median(values.slice(c.index, to)),
                pValue: c.pValue,
                worse: h.direction === 'higher' ? c.change < 0 : c.change > 0
            };
        });
    }
    return {
        testbed: meta.testbed,
        location: meta.location,
        baselines: sets.length,
        unreadable: meta.unreadable ?? 0,
        minPoints: 2 * minSize,
        metrics,
        timestamp: (opts.now ?? new Date()).toISOString()
    };
}
/** Every retained baseline of the testbed, oldest first, and how many could not be read. */
async function readHistory(store, testbed) {
    const sets = [];
    let unreadable = 0;
    for (const entry of await store.list(testbed)) {
        const stored = await store.read(entry);
        if (stored)
            sets.push(stored.results);
        else
            unreadable++;
    }
    return { sets, unreadable };
}
async function runHistoryJob(opts) {
    // History only reads: a workflow that imports results with no perf-gate.yml has one too.
    const { config, assumed } = await loadConfigOrDefaults(opts.configPath, {
        imported: true,
        testbed: opts.testbed
    });
    const testbed = opts.testbed ?? config.testbed;
    const { sets, unreadable } = await readHistory(opts.store, testbed);
    const report = analyseHistory(sets, { testbed, location: opts.store.location, unreadable }, {
        ...(opts.changePoints ? { changePoints: opts.changePoints } : {}),
        now: (opts.now ?? (() => new Date()))()
    });
    const markdown = renderHistory(report);
    const file = path.join(path.resolve(opts.outDir), 'history.md');
    await writeFileAtomic(file, markdown);
    return { config, assumed, report, markdown, path: file, changePoints: countSteps(report) };
}

export { DEFAULT_STORE as D, historyChart as h, openStore as o, runHistoryJob as r };
