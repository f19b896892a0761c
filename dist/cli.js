#!/usr/bin/env node
import { U as UserError, i as isUserError, p as pathError, e as errorMessage, b as terminalText, f as describeAssumed, l as loadConfig, c as checkFingerprint, g as compareWithFingerprint, r as renderTerminalTable, h as filesOutput, j as jsonOutput, k as terminalOutput, m as runWithOutputs, n as importFile, o as parseResultSet, u as fileInput, R as RESULTS_VERSION, v as RESULTS_SCHEMA_ID, w as unknownEnvironment, x as sanitizeText, y as selectBaseline, D as DEFAULT_MAX_DISTANCE, s as shortSha, z as withConfigMetrics, A as isDashboardUrl, B as streamReporter, t as thresholdsFromConfig, C as stopOnSignals, E as boundMessage, F as stoppingOn } from './chunks/engine.js';
import path from 'node:path';
import { promisify, parseArgs } from 'node:util';
import { D as DEFAULT_STORE, r as runHistoryJob, o as openStore } from './chunks/history-mode.js';
import { execFile } from 'node:child_process';
import 'process';
import 'buffer';
import 'node:crypto';
import 'node:fs';
import 'node:fs/promises';
import 'node:os';
import 'node:string_decoder';
import 'fs';
import 'path';
import 'url';
import 'module';
import 'node:readline';
import 'node:http';
import 'node:https';
import 'node:stream';

const run$1 = promisify(execFile);
/** The commit of a local checkout, or a null sha outside git: a local run must not need git. */
async function localCommit(cwd) {
    try {
        const { stdout: sha } = await run$1('git', ['rev-parse', 'HEAD'], { cwd });
        const { stdout: ref } = await run$1('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd });
        const { stdout: status } = await run$1('git', ['status', '--porcelain', '--untracked-files=no'], {
            cwd
        });
        return { sha: sha.trim(), ref: ref.trim(), dirty: status.trim() !== '' };
    }
    catch {
        return { sha: null, ref: null };
    }
}

/*
 * The history of a local checkout, for the CLI: `git merge-base` and `git rev-list`, the same
 * ordering GitHub's commit list uses (newest first).
 */
const run = promisify(execFile);
/** A graph over the repository at `cwd`, or null outside a git repository (or without git). */
async function localCommitGraph(cwd) {
    try {
        await run('git', ['rev-parse', '--git-dir'], { cwd });
    }
    catch {
        return null;
    }
    return {
        source: 'git',
        async mergeBase(base, head) {
            // A ref that starts with `-` would be read as an option.
            for (const ref of [base, head])
                if (ref.startsWith('-'))
                    throw new Error(`bad ref '${ref}'`);
            try {
                const { stdout } = await run('git', ['merge-base', base, head], { cwd });
                return stdout.trim() || null;
            }
            catch (e) {
                // Exit status 1 without output: the two commits share no history.
                const err = e;
                if (err.code === 1 && !err.stderr?.trim())
                    return null;
                throw new Error(`git merge-base ${base} ${head}: ${err.stderr?.trim() || String(e)}`);
            }
        },
        async ancestors(sha, limit) {
            if (limit <= 0)
                return [];
            if (sha.startsWith('-'))
                throw new Error(`bad ref '${sha}'`);
            try {
                const { stdout } = await run('git', ['rev-list', `--max-count=${limit}`, sha, '--'], {
                    cwd,
                    maxBuffer: 64 * 1024 * 1024
                });
                return stdout.split('\n').filter((l) => l !== '');
            }
            catch (e) {
                const err = e;
                throw new Error(`git rev-list ${sha}: ${err.stderr?.trim() || String(e)}`);
            }
        }
    };
}
/**
 * What the CLI's baseline is chosen by: with `--base REF`, the merge-base of REF and the checkout
 * (as for a pull request); else the nearest baseline on the checkout's history. Outside git, or
 * without a commit, the latest baseline.
 */
async function localLineage(cwd, sha, opts = {}) {
    const graph = sha ? await localCommitGraph(cwd) : null;
    const maxDistance = opts.maxDistance !== undefined ? { maxDistance: opts.maxDistance } : {};
    if (!graph || !sha)
        return { graph: null, target: { kind: 'latest' }, ...maxDistance };
    const target = opts.base
        ? { kind: 'pull', base: opts.base, head: sha }
        : { kind: 'commit', sha };
    return { graph, target, ...maxDistance };
}

const DASHBOARD_USAGE = `  perf-gate dashboard [--store SPEC] [--repo OWNER/NAME] [--out DIR] [-c FILE]
                     [--testbed NAME] [--title TEXT] [--repo-url URL]
                                 a static site of the stored history (default out
                                 .perf-gate/site)
`;
/** `perf-gate dashboard`: builds the history site; exit 0, or a usage error from the caller. */
async function dashboardCommand(args, io, env) {
    const { values } = parseArgs({
        args,
        options: {
            config: { type: 'string', short: 'c' },
            store: { type: 'string', default: env.PERF_GATE_STORE ?? DEFAULT_STORE },
            out: { type: 'string', default: '.perf-gate/site' },
            testbed: { type: 'string' },
            title: { type: 'string' },
            repo: { type: 'string' },
            'repo-url': { type: 'string' }
        },
        allowPositionals: false
    });
    // Loaded here, not at start-up: the page's assets and the GitHub client are large, and only
    // this command needs them.
    const { describeDashboard, repoUrlFromEnv, runDashboardJob } = await import('./chunks/dashboard.js');
    const { openCliStore } = await import('./chunks/store.js');
    const warn = (m) => io.stderr(`warning: ${m}\n`);
    // A git: store reads the team's branch through the API with the developer's token.
    const store = openCliStore(values.store, {
        repo: values.repo,
        cwd: process.cwd(),
        env,
        onWarning: warn
    });
    const result = await runDashboardJob({
        store,
        outDir: values.out,
        configPath: values.config ?? 'perf-gate.yml',
        configRequired: values.config !== undefined,
        storeLabel: values.store.trim(),
        ...(values.testbed ? { testbed: values.testbed } : {}),
        ...(values.title ? { title: values.title } : {}),
        repoUrl: values['repo-url'] ?? repoUrlFromEnv(env),
        onWarning: warn
    });
    io.stdout(`${describeDashboard(result)}\n`);
    return 0;
}

/** Kept in step with package.json by a test. */
const VERSION = '0.1.0';

const EXIT = { ok: 0, gateFailed: 1, usage: 2 };
const USAGE = `perf-gate ${VERSION}: stop performance regressions before they merge

Usage:
  perf-gate run      [options]   run the benchmarks; gate against the nearest baseline on
                                 HEAD's history (else the latest), or record the first
                                 baseline when there is none
  perf-gate gate     [options]   run and gate; never writes a baseline
  perf-gate baseline [options]   run and record the result as the new baseline
  perf-gate ab       [options]   measure the base commit and this tree in this job,
                                 interleaved, and gate the pairs; never writes a baseline
  perf-gate compare --baseline FILE --current FILE [--json] [--config FILE]
  perf-gate compare BASELINE CURRENT [--json]
  perf-gate compare --store SPEC [--repo OWNER/NAME] [--testbed NAME] [--base REF] CURRENT
                                 CURRENT against the store's baseline for the testbed
  perf-gate import FILE [--format NAME|auto] [--json]
  perf-gate history  [-c FILE] [--store SPEC] [--repo OWNER/NAME] [--testbed NAME] [--out DIR]
                     [--json]    change points over the stored baselines (never fails)
${DASHBOARD_USAGE}
Options for run, gate, baseline and ab:
  -c, --config FILE       config file (default perf-gate.yml)
      --results GLOB      import these result files instead of running benchmarks
      --store SPEC        baseline store: local:DIR (default ${DEFAULT_STORE}), or
                          git:BRANCH, the team's baselines on a branch of --repo, read
                          through the GitHub API with GITHUB_TOKEN (or GH_TOKEN) and
                          GITHUB_API_URL; written only by a trusted CI run
      --repo OWNER/NAME   the repository of a git: store (default GITHUB_REPOSITORY)
      --out DIR           where ledger.md, check-run.json and report.md go (default .perf-gate/out)
      --raw-dir DIR       where the raw results JSON goes (default benchmarks/results/raw)
      --fail-on LEVEL     fail | warn | never (default fail)
      --testbed NAME      override the config's testbed
      --repetitions N     override every benchmark's repetitions
      --note TEXT         note stored with a baseline
      --base REF          compare with the merge-base of REF and HEAD: its stored baseline, or
                          in an A/B run the commit itself (default: the nearest baseline on
                          HEAD's history; for A/B the merge-base with the default branch, on
                          that branch HEAD~1, or HEAD when the working tree has changes)
      --seed N            A/B: the seed of the visit order, to replay a run (default: random)
      --head-env NAME=VALUE
                          set NAME for this tree's commands only (repeatable): in an A/B
                          run the base's do not get it, so a change can be tried uncommitted
      --stored            run, gate: compare with stored baselines even if the config says ab: true
      --json              print the verdict and every metric as JSON instead of the table
      --max-distance N    ancestors searched for a baseline (default 50)
      --allow-fingerprint-changes KEYS
                          environment keys allowed to differ from the baseline's,
                          e.g. gpu.driver,ollama.*.model.digest
      --analyst-model M   Ollama model for the report's analyst narrative (OLLAMA_HOST);
                          without it a deterministic summary is written
      --dashboard-url URL where the history dashboard is published (an http(s) URL): the
                          report and the ledger link each metric to its chart there

Exit codes: 0 pass, warn or neutral; 1 the gate failed; 2 a usage or input error (a file
that cannot be written included); 3 an internal error; 130, 143, 129 stopped by SIGINT,
SIGTERM, SIGHUP (the benchmark's processes ended first).
`;
async function main(argv, raw, env = process.env) {
    // Progress, warnings and errors quote names, units, paths and command output: none may steer
    // the terminal. stdout's renderers clean what they print themselves (JSON stays data).
    const io = { stdout: (s) => raw.stdout(s), stderr: (s) => raw.stderr(terminalText(s)) };
    const [command, ...rest] = argv;
    try {
        switch (command) {
            case undefined:
            case '-h':
            case '--help':
            case 'help':
                io.stdout(USAGE);
                return command === undefined ? EXIT.usage : EXIT.ok;
            case '-v':
            case '--version':
                io.stdout(`${VERSION}\n`);
                return EXIT.ok;
            case 'run':
            case 'gate':
            case 'baseline':
            case 'ab':
                return await jobCommand(command, rest, io, env);
            case 'compare':
                return await compareCommand(rest, io, env);
            case 'import':
                return await importCommand(rest, io);
            case 'history':
                return await historyCommand(rest, io, env);
            case 'dashboard':
                return await dashboardCommand(rest, io, env);
            default:
                throw new UserError(`unknown command '${command}'; run 'perf-gate --help'`);
        }
    }
    catch (e) {
        const problem = isUserError(e) || isArgError(e) ? e : pathError(e);
        if (problem) {
            io.stderr(`perf-gate: ${errorMessage(problem)}\n`);
            return EXIT.usage;
        }
        throw e;
    }
}
async function jobCommand(command, args, io, env) {
    const { values } = parseArgs({
        args,
        options: {
            config: { type: 'string', short: 'c', default: 'perf-gate.yml' },
            results: { type: 'string' },
            store: { type: 'string', default: env.PERF_GATE_STORE ?? DEFAULT_STORE },
            repo: { type: 'string' },
            out: { type: 'string', default: '.perf-gate/out' },
            'raw-dir': { type: 'string', default: 'benchmarks/results/raw' },
            'fail-on': { type: 'string', default: 'fail' },
            testbed: { type: 'string' },
            repetitions: { type: 'string' },
            note: { type: 'string' },
            'analyst-model': { type: 'string' },
            'dashboard-url': { type: 'string' },
            base: { type: 'string' },
            'max-distance': { type: 'string' },
            'allow-fingerprint-changes': { type: 'string' },
            seed: { type: 'string' },
            'head-env': { type: 'string', multiple: true },
            stored: { type: 'boolean', default: false },
            json: { type: 'boolean', default: false }
        },
        allowPositionals: false
    });
    const mode = command === 'ab' ? 'gate' : command;
    if (command === 'ab' && values.stored)
        throw new UserError('--stored cannot be used with ab');
    if (command === 'ab' && values.results)
        throw new UserError('ab measures both trees itself; --results cannot be used with it');
    const seed = values.seed === undefined ? undefined : parseSeed(values.seed);
    const headEnv = parseEnvAssignments(values['head-env'] ?? []);
    const failOn = parseFailOn(values['fail-on']);
    const dashboardUrl = parseDashboardUrl(values['dashboard-url']);
    const repetitions = values.repetitions === undefined
        ? undefined
        : parsePositiveInt(values.repetitions, '--repetitions');
    const reporter = streamReporter((line) => io.stderr(`${line}\n`));
    // Kept as typed, so errors read `perf-gate.yml:12: …` rather than an absolute path.
    const configPath = values.config;
    const store = await cliStore(values.store, values.repo, env, (m) => reporter.warning(m));
    const repoDir = path.dirname(path.resolve(configPath));
    const commit = await localCommit(repoDir);
    const maxDistance = values['max-distance'] === undefined
        ? undefined
        : parsePositiveInt(values['max-distance'], '--max-distance');
    const outputs = [
        // The terminal output lists the files on stdout: stderr keeps to progress.
        filesOutput({ outDir: values.out, rawDir: values['raw-dir'], reporter, announce: false }),
        values.json ? jsonOutput(io) : terminalOutput(io)
    ];
    // `ab` always runs A/B; run and gate do when the config says `ab: true` (unless --stored).
    const ab = command === 'baseline' || values.stored
        ? undefined
        : {
            base: values.base
                ? { kind: 'ref', ref: values.base }
                : { kind: 'default', dirty: commit.dirty === true },
            when: command === 'ab' ? 'always' : 'config',
            // The Quickstart's `run` must work in any clone: without a base commit it gates as before.
            ...(command === 'run' ? { fallback: true } : {}),
            ...(seed !== undefined ? { seed } : {})
        };
    const result = await runWithOutputs({
        mode,
        configPath,
        ...(values.results ? { resultsGlob: values.results } : {}),
        store,
        failOn,
        lineage: await localLineage(repoDir, commit.sha ?? null, {
            ...(values.base ? { base: values.base } : {}),
            ...(maxDistance !== undefined ? { maxDistance } : {})
        }),
        allowFingerprintChanges: allowedKeys(values['allow-fingerprint-changes']),
        commit,
        context: await cliContext(env),
        reporter,
        ...(values.testbed ? { testbed: values.testbed } : {}),
        ...(repetitions !== undefined ? { repetitions } : {}),
        ...(Object.keys(headEnv).length ? { headEnv } : {}),
        ...(values.note ? { note: values.note } : {}),
        ...(dashboardUrl ? { dashboardUrl } : {}),
        ...(values['analyst-model']
            ? { analyst: { model: values['analyst-model'], host: env.OLLAMA_HOST } }
            : {}),
        ...(ab ? { ab } : {})
    }, outputs);
    return result.failed ? EXIT.gateFailed : EXIT.ok;
}
/** `--head-env NAME=VALUE`, repeatable. */
function parseEnvAssignments(items) {
    const out = {};
    for (const item of items) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(item);
        if (!m?.[1])
            throw new UserError(`--head-env must be NAME=VALUE, got '${item}'`);
        out[m[1]] = m[2] ?? '';
    }
    return out;
}
function parseSeed(v) {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n >= 2 ** 32)
        throw new UserError(`--seed must be an integer from 0 to 4294967295, got '${v}'`);
    return n;
}
async function historyCommand(args, io, env) {
    const { values } = parseArgs({
        args,
        options: {
            config: { type: 'string', short: 'c', default: 'perf-gate.yml' },
            store: { type: 'string', default: env.PERF_GATE_STORE ?? DEFAULT_STORE },
            repo: { type: 'string' },
            out: { type: 'string', default: '.perf-gate/out' },
            testbed: { type: 'string' },
            json: { type: 'boolean', default: false }
        },
        allowPositionals: false
    });
    const result = await runHistoryJob({
        configPath: values.config,
        store: await cliStore(values.store, values.repo, env, (m) => io.stderr(`warning: ${m}\n`)),
        outDir: values.out,
        ...(values.testbed ? { testbed: values.testbed } : {})
    });
    if (result.assumed)
        for (const line of describeAssumed(result.assumed))
            io.stderr(`${line}\n`);
    io.stdout(values.json ? JSON.stringify(result.report, null, 2) + '\n' : result.markdown);
    io.stderr(`history: ${result.path}\n`);
    return EXIT.ok;
}
async function compareCommand(args, io, env) {
    const { values, positionals } = parseArgs({
        args,
        options: {
            baseline: { type: 'string' },
            current: { type: 'string' },
            store: { type: 'string' },
            repo: { type: 'string' },
            testbed: { type: 'string' },
            base: { type: 'string' },
            json: { type: 'boolean', default: false },
            config: { type: 'string', short: 'c' },
            format: { type: 'string', default: 'auto' },
            'fail-on': { type: 'string', default: 'fail' },
            'min-samples': { type: 'string' },
            'allow-fingerprint-changes': { type: 'string' }
        },
        allowPositionals: true
    });
    const failOn = parseFailOn(values['fail-on']);
    let config = null;
    let thresholdsFor;
    let minSamples;
    if (values.config) {
        config = await loadConfig(values.config, { imported: true });
        thresholdsFor = thresholdsFromConfig(config);
        minSamples = config.minSamples;
    }
    // The config's top-level metrics (cpu_time: { gate: true }) apply to both files alike.
    const configured = (set) => (config ? withConfigMetrics(set, config) : set);
    if (values['min-samples'] !== undefined)
        minSamples = parsePositiveInt(values['min-samples'], '--min-samples');
    let baseline;
    let current;
    let baselineLabel = 'the baseline';
    let currentLabel = 'the current file';
    if (values.store !== undefined) {
        if (values.baseline !== undefined || positionals.length > 1) {
            throw new UserError('compare --store takes the baseline from the store: give only the current result file');
        }
        const currentFile = values.current ?? positionals[0];
        if (!currentFile)
            throw new UserError('compare --store needs the current result file; see --help');
        currentLabel = currentFile;
        current = await readResultSet(currentFile, values.format);
        baseline = await storeBaseline(values.store, {
            repo: values.repo,
            testbed: values.testbed ??
                config?.testbed ??
                (current.testbed !== IMPORTED ? current.testbed : undefined),
            base: values.base,
            env,
            io
        });
    }
    else {
        for (const flag of ['repo', 'testbed', 'base']) {
            if (values[flag] !== undefined)
                throw new UserError(`compare: --${flag} goes with --store`);
        }
        const baselineFile = values.baseline ?? positionals[0];
        const currentFile = values.current ?? (values.baseline ? positionals[0] : positionals[1]);
        if (!baselineFile || !currentFile)
            throw new UserError('compare needs a baseline and a current result file; see --help');
        baseline = await readResultSet(baselineFile, values.format);
        current = await readResultSet(currentFile, values.format);
        baselineLabel = baselineFile;
        currentLabel = currentFile;
    }
    baseline = configured(baseline);
    current = configured(current);
    assertSharedBenchmarks(baseline, current, baselineLabel, currentLabel);
    // Machines are not checked (two files may come from anywhere), but the settings the tools
    // themselves report are: Go benchmarks at another GOMAXPROCS are not compared silently.
    const toolSettings = checkFingerprint(baseline.environment, current.environment, allowedKeys(values['allow-fingerprint-changes'])).filter((d) => d.format !== undefined);
    const outcome = compareWithFingerprint(baseline, current, toolSettings, {
        ...(thresholdsFor ? { thresholdsFor } : {}),
        ...(minSamples !== undefined ? { minSamples } : {}),
        ...(config?.fromZero ? { fromZero: config.fromZero } : {})
    });
    if (values.json) {
        const metrics = outcome.comparisons.map((c) => ({
            benchmark: c.benchmark,
            metric: c.metric,
            verdict: c.verdict,
            change: c.change,
            ci: c.ci ? c.ci.map(jsonNumber) : null,
            unit: c.unit,
            direction: c.direction,
            inconclusive: c.inconclusive,
            improved: c.improved,
            ...(c.absoluteChange !== undefined && c.change === null
                ? { absoluteChange: c.absoluteChange }
                : {}),
            reason: c.reason
        }));
        io.stdout(JSON.stringify({ verdict: outcome.verdict, route: outcome.route, reason: outcome.reason, metrics }, null, 2) + '\n');
    }
    else {
        io.stdout(renderTerminalTable(outcome));
    }
    const failed = failOn !== 'never' &&
        (outcome.verdict === 'fail' || (failOn === 'warn' && outcome.verdict === 'warn'));
    return failed ? EXIT.gateFailed : EXIT.ok;
}
async function importCommand(args, io) {
    const { values, positionals } = parseArgs({
        args,
        options: {
            format: { type: 'string', default: 'auto' },
            json: { type: 'boolean', default: false }
        },
        allowPositionals: true
    });
    const file = positionals[0];
    if (!file || positionals.length > 1)
        throw new UserError('import needs exactly one FILE; see --help');
    const set = await readResultSet(file, values.format);
    if (values.json) {
        io.stdout(JSON.stringify(set, null, 2) + '\n');
        return EXIT.ok;
    }
    // Names and units come from the file: a terminal must not act on what they contain.
    const clean = (text) => sanitizeText(text, { maxLength: 200 });
    for (const b of set.benchmarks) {
        for (const m of b.metrics) {
            io.stdout(`${clean(b.name)} / ${clean(m.name)}: ${m.samples.length} samples, ${clean(m.unit)}, ${m.direction} is better, ${m.class}\n`);
        }
    }
    return EXIT.ok;
}
/**
 * The baseline a current result file is compared with, from a store: chosen as `gate` chooses it
 * (the merge-base of --base and HEAD, else the nearest baseline on HEAD's history, else the
 * latest), for the testbed named by --testbed, the config or the file itself.
 */
async function storeBaseline(spec, opts) {
    if (!opts.testbed) {
        throw new UserError('compare --store needs the testbed the baselines are kept under: pass --testbed NAME (or --config FILE)');
    }
    const store = await cliStore(spec, opts.repo, opts.env, (m) => opts.io.stderr(`warning: ${m}\n`));
    const cwd = process.cwd();
    const commit = await localCommit(cwd);
    const lineage = await localLineage(cwd, commit.sha ?? null, opts.base ? { base: opts.base } : {});
    const choice = await selectBaseline(store, opts.testbed, {
        graph: lineage.graph,
        target: lineage.target,
        maxDistance: lineage.maxDistance ?? DEFAULT_MAX_DISTANCE,
        now: new Date()
    });
    const where = `${store.location}${opts.repo ? ` of ${opts.repo}` : ''}`;
    if (!choice.stored) {
        throw new UserError(`no baseline to compare with in ${where} for testbed '${opts.testbed}'${choice.reason ? `: ${choice.reason}` : ''}`);
    }
    const b = choice.stored.results;
    opts.io.stderr(`baseline: ${shortSha(b.commit.sha) ?? 'no commit'} recorded ${b.createdAt}, testbed ${b.testbed} (${choice.how ?? 'latest'}${choice.distance ? `, ${choice.distance} commits back` : ''}; ${where})\n`);
    if (choice.reason)
        opts.io.stderr(`baseline: ${choice.reason}\n`);
    return b;
}
/** A git: store loads the GitHub client only when asked for, to keep the CLI's start-up lean. */
async function cliStore(spec, repo, env, onWarning) {
    if (repo === undefined && !/^\s*git:/.test(spec)) {
        return openStore(spec, { cwd: process.cwd(), onWarning });
    }
    const { openCliStore } = await import('./chunks/store.js');
    return openCliStore(spec, { repo, cwd: process.cwd(), env, onWarning });
}
const IMPORTED = 'imported';
/** Any supported file as a result set; files from other tools get an "unknown" environment. */
async function readResultSet(file, format) {
    // Streamed where the format allows; a missing or unreadable file is a clear error from there.
    const got = await importFile(file, format, { class: 'non-critical' });
    // perf-gate's own document also carries the commit, testbed and environment.
    if (got.format === 'perf-gate')
        return parseResultSet(fileInput(file));
    return {
        $schema: RESULTS_SCHEMA_ID,
        version: RESULTS_VERSION,
        testbed: IMPORTED,
        createdAt: new Date(0).toISOString(),
        commit: { sha: null },
        // The machine is unknown; the tool's own settings (Go's GOMAXPROCS) are not.
        environment: { ...unknownEnvironment(), ...got.fingerprint },
        benchmarks: got.benchmarks
    };
}
/** `--allow-fingerprint-changes a,b c` as a list of keys. */
function allowedKeys(v) {
    return (v ?? '').split(/[\s,]+/).filter((k) => k !== '');
}
/**
 * Two files with no benchmark in common compare as a table of "new" and "not measured" rows and
 * a neutral pass, which reads as a success: it is a usage error (the wrong file, or a benchmark
 * renamed on one side), named with what each side holds.
 */
function assertSharedBenchmarks(baseline, current, baselineLabel, currentLabel) {
    const names = new Set(baseline.benchmarks.map((b) => b.name));
    if (current.benchmarks.some((b) => names.has(b.name)))
        return;
    const holds = (label, set) => {
        const formats = [...new Set(set.benchmarks.map((b) => b.source?.format ?? 'perf-gate'))];
        const list = set.benchmarks.map((b) => b.name);
        const shown = list.slice(0, 5).join(', ') + (list.length > 5 ? `, … (${list.length})` : '');
        return `${label} (${formats.join(', ')}) holds ${sanitizeText(shown, { maxLength: 300 })}`;
    };
    throw new UserError(`nothing to compare: the two sides share no benchmark; ${holds(baselineLabel, baseline)}; ${holds(currentLabel, current)}`);
}
/** JSON has no Infinity: an unbounded CI end is written as null. */
function jsonNumber(x) {
    return Number.isFinite(x) ? x : null;
}
/** `--dashboard-url`, held to the action's `dashboard-url` rule: the ledger links to it. */
function parseDashboardUrl(v) {
    if (v === undefined)
        return undefined;
    if (!isDashboardUrl(v))
        throw new UserError(`--dashboard-url must be an http(s) URL, got '${v}'`);
    return v;
}
function parseFailOn(v) {
    if (v === 'fail' || v === 'warn' || v === 'never')
        return v;
    throw new UserError(`--fail-on must be fail, warn or never, got '${v}'`);
}
function parsePositiveInt(v, name) {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
        throw new UserError(`${name} must be an integer >= 1, got '${v}'`);
    return n;
}
function isArgError(e) {
    // node:util parseArgs reports unknown or malformed options with these codes.
    const code = e?.code;
    return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
/**
 * Off GitHub the user owns the store. On a GitHub runner the CLI keeps the action's rule (baselines
 * only from push or workflow_dispatch on the default branch): a pull request job running
 * `perf-gate run` or `baseline` on a persistent self-hosted runner must not leave a baseline there
 * for later trusted runs to gate against. Imported only on a runner, to keep start-up lean.
 */
async function cliContext(env) {
    if (env.GITHUB_ACTIONS !== 'true')
        return { onGitHub: false };
    const { readWorkflowRun } = await import('./chunks/context.js').then(function (n) { return n.f; });
    return readWorkflowRun(env).context;
}

// Ctrl-C, a CI job's cancel or a `kill` ends the benchmark's process group and removes temporary
// files before exiting 130, 143 or 129; after that, the failing command's own error is noise.
stopOnSignals({ write: (line) => process.stderr.write(`${line}\n`) });
const unlessStopping = (write) => (s) => {
    if (!stoppingOn())
        write(s);
};
// The only place the CLI exits: main() returns the code, so tests can call it in-process.
main(process.argv.slice(2), {
    stdout: unlessStopping((s) => process.stdout.write(s)),
    stderr: unlessStopping((s) => process.stderr.write(s))
}).then((code) => {
    process.exitCode = code;
}, (e) => {
    unlessStopping((s) => process.stderr.write(s))(`perf-gate: internal error: ${boundMessage(e instanceof Error ? e.message : String(e))}\n`);
    process.exitCode = 3;
});
