import * as os from 'os';
import os__default, { EOL } from 'os';
import * as crypto from 'crypto';
import * as fs from 'fs';
import { promises, constants } from 'fs';
import 'path';
import * as http from 'http';
import * as https from 'https';
import { r as requireTunnel, u as undiciExports, a as readWorkflowRun, b as readApiSettings, c as createClient } from './chunks/context.js';
import 'string_decoder';
import 'events';
import 'child_process';
import 'assert';
import 'timers';
import { G as explainApiError, s as shortSha, U as UserError, H as findPullForRun, e as errorMessage, I as escapeMarkdown, J as formatDate, K as formatValue, x as sanitizeText, L as formatPercent, M as markdownTable, N as plural, O as statusOf, P as GitHubApiError, t as thresholdsFromConfig, b as terminalText, h as filesOutput, Q as Publisher, m as runWithOutputs, S as shardArtifactName, T as actionOutput, V as describeSelection, f as describeAssumed, l as loadConfig, W as shardArtifactPrefix, o as parseResultSet, u as fileInput, R as RESULTS_VERSION, v as RESULTS_SCHEMA_ID, X as shardFromArtifactName, c as checkFingerprint, Y as mergeFingerprint, Z as shardMembers, _ as baselineWriteDecision, $ as parseBenchmarkList, a0 as parseShard, A as isDashboardUrl, a1 as PROMOTE_DRAFT, F as stoppingOn, i as isUserError, p as pathError, E as boundMessage, C as stopOnSignals } from './chunks/engine.js';
import path from 'node:path';
import { h as historyChart, o as openStore, r as runHistoryJob, D as DEFAULT_STORE } from './chunks/history-mode.js';
import { lstat as lstat$1, readdir as readdir$1, mkdir as mkdir$1, mkdtemp, copyFile as copyFile$1 } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { runDashboardJob, repoUrlFromEnv, describeDashboard } from './chunks/dashboard.js';
import 'node:fs';
import 'net';
import 'tls';
import 'util';
import 'node:assert';
import 'node:net';
import 'node:http';
import 'node:stream';
import 'node:buffer';
import 'node:util';
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
import 'process';
import 'buffer';
import 'node:os';
import 'node:string_decoder';
import 'url';
import 'module';
import 'node:child_process';
import 'node:readline';
import 'node:https';

// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}

/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + os.EOL);
}
function issue(name, message = '') {
    issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}

// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!fs.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    fs.appendFileSync(filePath, `${toCommandValue(message)}${os.EOL}`, {
        encoding: 'utf8'
    });
}
function prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
    const convertedValue = toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${os.EOL}${convertedValue}${os.EOL}${delimiter}`;
}

function getProxyUrl(reqUrl) {
    const usingSsl = reqUrl.protocol === 'https:';
    if (checkBypass(reqUrl)) {
        return undefined;
    }
    const proxyVar = (() => {
        if (usingSsl) {
            return process.env['https_proxy'] || process.env['HTTPS_PROXY'];
        }
        else {
            return process.env['http_proxy'] || process.env['HTTP_PROXY'];
        }
    })();
    if (proxyVar) {
        try {
            return new DecodedURL(proxyVar);
        }
        catch (_a) {
            if (!proxyVar.startsWith('http://') && !proxyVar.startsWith('https://'))
                return new DecodedURL(`http://${proxyVar}`);
        }
    }
    else {
        return undefined;
    }
}
function checkBypass(reqUrl) {
    if (!reqUrl.hostname) {
        return false;
    }
    const reqHost = reqUrl.hostname;
    if (isLoopbackAddress(reqHost)) {
        return true;
    }
    const noProxy = process.env['no_proxy'] || process.env['NO_PROXY'] || '';
    if (!noProxy) {
        return false;
    }
    // Determine the request port
    let reqPort;
    if (reqUrl.port) {
        reqPort = Number(reqUrl.port);
    }
    else if (reqUrl.protocol === 'http:') {
        reqPort = 80;
    }
    else if (reqUrl.protocol === 'https:') {
        reqPort = 443;
    }
    // Format the request hostname and hostname with port
    const upperReqHosts = [reqUrl.hostname.toUpperCase()];
    if (typeof reqPort === 'number') {
        upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
    }
    // Compare request host against noproxy
    for (const upperNoProxyItem of noProxy
        .split(',')
        .map(x => x.trim().toUpperCase())
        .filter(x => x)) {
        if (upperNoProxyItem === '*' ||
            upperReqHosts.some(x => x === upperNoProxyItem ||
                x.endsWith(`.${upperNoProxyItem}`) ||
                (upperNoProxyItem.startsWith('.') &&
                    x.endsWith(`${upperNoProxyItem}`)))) {
            return true;
        }
    }
    return false;
}
function isLoopbackAddress(host) {
    const hostLower = host.toLowerCase();
    return (hostLower === 'localhost' ||
        hostLower.startsWith('127.') ||
        hostLower.startsWith('[::1]') ||
        hostLower.startsWith('[0:0:0:0:0:0:0:1]'));
}
class DecodedURL extends URL {
    constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
    }
    get username() {
        return this._decodedUsername;
    }
    get password() {
        return this._decodedPassword;
    }
}

var tunnelExports = requireTunnel();

/* eslint-disable @typescript-eslint/no-explicit-any */
var __awaiter$3 = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
var HttpCodes;
(function (HttpCodes) {
    HttpCodes[HttpCodes["OK"] = 200] = "OK";
    HttpCodes[HttpCodes["MultipleChoices"] = 300] = "MultipleChoices";
    HttpCodes[HttpCodes["MovedPermanently"] = 301] = "MovedPermanently";
    HttpCodes[HttpCodes["ResourceMoved"] = 302] = "ResourceMoved";
    HttpCodes[HttpCodes["SeeOther"] = 303] = "SeeOther";
    HttpCodes[HttpCodes["NotModified"] = 304] = "NotModified";
    HttpCodes[HttpCodes["UseProxy"] = 305] = "UseProxy";
    HttpCodes[HttpCodes["SwitchProxy"] = 306] = "SwitchProxy";
    HttpCodes[HttpCodes["TemporaryRedirect"] = 307] = "TemporaryRedirect";
    HttpCodes[HttpCodes["PermanentRedirect"] = 308] = "PermanentRedirect";
    HttpCodes[HttpCodes["BadRequest"] = 400] = "BadRequest";
    HttpCodes[HttpCodes["Unauthorized"] = 401] = "Unauthorized";
    HttpCodes[HttpCodes["PaymentRequired"] = 402] = "PaymentRequired";
    HttpCodes[HttpCodes["Forbidden"] = 403] = "Forbidden";
    HttpCodes[HttpCodes["NotFound"] = 404] = "NotFound";
    HttpCodes[HttpCodes["MethodNotAllowed"] = 405] = "MethodNotAllowed";
    HttpCodes[HttpCodes["NotAcceptable"] = 406] = "NotAcceptable";
    HttpCodes[HttpCodes["ProxyAuthenticationRequired"] = 407] = "ProxyAuthenticationRequired";
    HttpCodes[HttpCodes["RequestTimeout"] = 408] = "RequestTimeout";
    HttpCodes[HttpCodes["Conflict"] = 409] = "Conflict";
    HttpCodes[HttpCodes["Gone"] = 410] = "Gone";
    HttpCodes[HttpCodes["TooManyRequests"] = 429] = "TooManyRequests";
    HttpCodes[HttpCodes["InternalServerError"] = 500] = "InternalServerError";
    HttpCodes[HttpCodes["NotImplemented"] = 501] = "NotImplemented";
    HttpCodes[HttpCodes["BadGateway"] = 502] = "BadGateway";
    HttpCodes[HttpCodes["ServiceUnavailable"] = 503] = "ServiceUnavailable";
    HttpCodes[HttpCodes["GatewayTimeout"] = 504] = "GatewayTimeout";
})(HttpCodes || (HttpCodes = {}));
var Headers;
(function (Headers) {
    Headers["Accept"] = "accept";
    Headers["ContentType"] = "content-type";
})(Headers || (Headers = {}));
var MediaTypes;
(function (MediaTypes) {
    MediaTypes["ApplicationJson"] = "application/json";
})(MediaTypes || (MediaTypes = {}));
const HttpRedirectCodes = [
    HttpCodes.MovedPermanently,
    HttpCodes.ResourceMoved,
    HttpCodes.SeeOther,
    HttpCodes.TemporaryRedirect,
    HttpCodes.PermanentRedirect
];
const HttpResponseRetryCodes = [
    HttpCodes.BadGateway,
    HttpCodes.ServiceUnavailable,
    HttpCodes.GatewayTimeout
];
const RetryableHttpVerbs = ['OPTIONS', 'GET', 'DELETE', 'HEAD'];
const ExponentialBackoffCeiling = 10;
const ExponentialBackoffTimeSlice = 5;
class HttpClientError extends Error {
    constructor(message, statusCode) {
        super(message);
        this.name = 'HttpClientError';
        this.statusCode = statusCode;
        Object.setPrototypeOf(this, HttpClientError.prototype);
    }
}
class HttpClientResponse {
    constructor(message) {
        this.message = message;
    }
    readBody() {
        return __awaiter$3(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter$3(this, void 0, void 0, function* () {
                let output = Buffer.alloc(0);
                this.message.on('data', (chunk) => {
                    output = Buffer.concat([output, chunk]);
                });
                this.message.on('end', () => {
                    resolve(output.toString());
                });
            }));
        });
    }
    readBodyBuffer() {
        return __awaiter$3(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter$3(this, void 0, void 0, function* () {
                const chunks = [];
                this.message.on('data', (chunk) => {
                    chunks.push(chunk);
                });
                this.message.on('end', () => {
                    resolve(Buffer.concat(chunks));
                });
            }));
        });
    }
}
class HttpClient {
    constructor(userAgent, handlers, requestOptions) {
        this._ignoreSslError = false;
        this._allowRedirects = true;
        this._allowRedirectDowngrade = false;
        this._maxRedirects = 50;
        this._allowRetries = false;
        this._maxRetries = 1;
        this._keepAlive = false;
        this._disposed = false;
        this.userAgent = this._getUserAgentWithOrchestrationId(userAgent);
        this.handlers = handlers || [];
        this.requestOptions = requestOptions;
        if (requestOptions) {
            if (requestOptions.ignoreSslError != null) {
                this._ignoreSslError = requestOptions.ignoreSslError;
            }
            this._socketTimeout = requestOptions.socketTimeout;
            if (requestOptions.allowRedirects != null) {
                this._allowRedirects = requestOptions.allowRedirects;
            }
            if (requestOptions.allowRedirectDowngrade != null) {
                this._allowRedirectDowngrade = requestOptions.allowRedirectDowngrade;
            }
            if (requestOptions.maxRedirects != null) {
                this._maxRedirects = Math.max(requestOptions.maxRedirects, 0);
            }
            if (requestOptions.keepAlive != null) {
                this._keepAlive = requestOptions.keepAlive;
            }
            if (requestOptions.allowRetries != null) {
                this._allowRetries = requestOptions.allowRetries;
            }
            if (requestOptions.maxRetries != null) {
                this._maxRetries = requestOptions.maxRetries;
            }
        }
    }
    options(requestUrl, additionalHeaders) {
        return __awaiter$3(this, void 0, void 0, function* () {
            return this.request('OPTIONS', requestUrl, null, additionalHeaders || {});
        });
    }
    get(requestUrl, additionalHeaders) {
        return __awaiter$3(this, void 0, void 0, function* () {
            return this.request('GET', requestUrl, null, additionalHeaders || {});
        });
    }
    del(requestUrl, additionalHeaders) {
        return __awaiter$3(this, void 0, void 0, function* () {
            return this.request('DELETE', requestUrl, null, additionalHeaders || {});
        });
    }
    post(requestUrl, data, additionalHeaders) {
        return __awaiter$3(this, void 0, void 0, function* () {
            return this.request('POST', requestUrl, data, additionalHeaders || {});
        });
    }
    patch(requestUrl, data, additionalHeaders) {
        return __awaiter$3(this, void 0, void 0, function* () {
            return this.request('PATCH', requestUrl, data, additionalHeaders || {});
        });
    }
    put(requestUrl, data, additionalHeaders) {
        return __awaiter$3(this, void 0, void 0, function* () {
            return this.request('PUT', requestUrl, data, additionalHeaders || {});
        });
    }
    head(requestUrl, additionalHeaders) {
        return __awaiter$3(this, void 0, void 0, function* () {
            return this.request('HEAD', requestUrl, null, additionalHeaders || {});
        });
    }
    sendStream(verb, requestUrl, stream, additionalHeaders) {
        return __awaiter$3(this, void 0, void 0, function* () {
            return this.request(verb, requestUrl, stream, additionalHeaders);
        });
    }
    /**
     * Gets a typed object from an endpoint
     * Be aware that not found returns a null.  Other errors (4xx, 5xx) reject the promise
     */
    getJson(requestUrl_1) {
        return __awaiter$3(this, arguments, void 0, function* (requestUrl, additionalHeaders = {}) {
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            const res = yield this.get(requestUrl, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    postJson(requestUrl_1, obj_1) {
        return __awaiter$3(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.post(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    putJson(requestUrl_1, obj_1) {
        return __awaiter$3(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.put(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    patchJson(requestUrl_1, obj_1) {
        return __awaiter$3(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.patch(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    /**
     * Makes a raw http request.
     * All other methods such as get, post, patch, and request ultimately call this.
     * Prefer get, del, post and patch
     */
    request(verb, requestUrl, data, headers) {
        return __awaiter$3(this, void 0, void 0, function* () {
            if (this._disposed) {
                throw new Error('Client has already been disposed.');
            }
            const parsedUrl = new URL(requestUrl);
            let info = this._prepareRequest(verb, parsedUrl, headers);
            // Only perform retries on reads since writes may not be idempotent.
            const maxTries = this._allowRetries && RetryableHttpVerbs.includes(verb)
                ? this._maxRetries + 1
                : 1;
            let numTries = 0;
            let response;
            do {
                response = yield this.requestRaw(info, data);
                // Check if it's an authentication challenge
                if (response &&
                    response.message &&
                    response.message.statusCode === HttpCodes.Unauthorized) {
                    let authenticationHandler;
                    for (const handler of this.handlers) {
                        if (handler.canHandleAuthentication(response)) {
                            authenticationHandler = handler;
                            break;
                        }
                    }
                    if (authenticationHandler) {
                        return authenticationHandler.handleAuthentication(this, info, data);
                    }
                    else {
                        // We have received an unauthorized response but have no handlers to handle it.
                        // Let the response return to the caller.
                        return response;
                    }
                }
                let redirectsRemaining = this._maxRedirects;
                while (response.message.statusCode &&
                    HttpRedirectCodes.includes(response.message.statusCode) &&
                    this._allowRedirects &&
                    redirectsRemaining > 0) {
                    const redirectUrl = response.message.headers['location'];
                    if (!redirectUrl) {
                        // if there's no location to redirect to, we won't
                        break;
                    }
                    const parsedRedirectUrl = new URL(redirectUrl);
                    if (parsedUrl.protocol === 'https:' &&
                        parsedUrl.protocol !== parsedRedirectUrl.protocol &&
                        !this._allowRedirectDowngrade) {
                        throw new Error('Redirect from HTTPS to HTTP protocol. This downgrade is not allowed for security reasons. If you want to allow this behavior, set the allowRedirectDowngrade option to true.');
                    }
                    // we need to finish reading the response before reassigning response
                    // which will leak the open socket.
                    yield response.readBody();
                    // strip authorization header if redirected to a different hostname
                    if (parsedRedirectUrl.hostname !== parsedUrl.hostname) {
                        for (const header in headers) {
                            // header names are case insensitive
                            if (header.toLowerCase() === 'authorization') {
                                delete headers[header];
                            }
                        }
                    }
                    // let's make the request with the new redirectUrl
                    info = this._prepareRequest(verb, parsedRedirectUrl, headers);
                    response = yield this.requestRaw(info, data);
                    redirectsRemaining--;
                }
                if (!response.message.statusCode ||
                    !HttpResponseRetryCodes.includes(response.message.statusCode)) {
                    // If not a retry code, return immediately instead of retrying
                    return response;
                }
                numTries += 1;
                if (numTries < maxTries) {
                    yield response.readBody();
                    yield this._performExponentialBackoff(numTries);
                }
            } while (numTries < maxTries);
            return response;
        });
    }
    /**
     * Needs to be called if keepAlive is set to true in request options.
     */
    dispose() {
        if (this._agent) {
            this._agent.destroy();
        }
        this._disposed = true;
    }
    /**
     * Raw request.
     * @param info
     * @param data
     */
    requestRaw(info, data) {
        return __awaiter$3(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => {
                function callbackForResult(err, res) {
                    if (err) {
                        reject(err);
                    }
                    else if (!res) {
                        // If `err` is not passed, then `res` must be passed.
                        reject(new Error('Unknown error'));
                    }
                    else {
                        resolve(res);
                    }
                }
                this.requestRawWithCallback(info, data, callbackForResult);
            });
        });
    }
    /**
     * Raw request with callback.
     * @param info
     * @param data
     * @param onResult
     */
    requestRawWithCallback(info, data, onResult) {
        if (typeof data === 'string') {
            if (!info.options.headers) {
                info.options.headers = {};
            }
            info.options.headers['Content-Length'] = Buffer.byteLength(data, 'utf8');
        }
        let callbackCalled = false;
        function handleResult(err, res) {
            if (!callbackCalled) {
                callbackCalled = true;
                onResult(err, res);
            }
        }
        const req = info.httpModule.request(info.options, (msg) => {
            const res = new HttpClientResponse(msg);
            handleResult(undefined, res);
        });
        let socket;
        req.on('socket', sock => {
            socket = sock;
        });
        // If we ever get disconnected, we want the socket to timeout eventually
        req.setTimeout(this._socketTimeout || 3 * 60000, () => {
            if (socket) {
                socket.end();
            }
            handleResult(new Error(`Request timeout: ${info.options.path}`));
        });
        req.on('error', function (err) {
            // err has statusCode property
            // res should have headers
            handleResult(err);
        });
        if (data && typeof data === 'string') {
            req.write(data, 'utf8');
        }
        if (data && typeof data !== 'string') {
            data.on('close', function () {
                req.end();
            });
            data.pipe(req);
        }
        else {
            req.end();
        }
    }
    /**
     * Gets an http agent. This function is useful when you need an http agent that handles
     * routing through a proxy server - depending upon the url and proxy environment variables.
     * @param serverUrl  The server URL where the request will be sent. For example, https://api.github.com
     */
    getAgent(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        return this._getAgent(parsedUrl);
    }
    getAgentDispatcher(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        const proxyUrl = getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (!useProxy) {
            return;
        }
        return this._getProxyAgentDispatcher(parsedUrl, proxyUrl);
    }
    _prepareRequest(method, requestUrl, headers) {
        const info = {};
        info.parsedUrl = requestUrl;
        const usingSsl = info.parsedUrl.protocol === 'https:';
        info.httpModule = usingSsl ? https : http;
        const defaultPort = usingSsl ? 443 : 80;
        info.options = {};
        info.options.host = info.parsedUrl.hostname;
        info.options.port = info.parsedUrl.port
            ? parseInt(info.parsedUrl.port)
            : defaultPort;
        info.options.path =
            (info.parsedUrl.pathname || '') + (info.parsedUrl.search || '');
        info.options.method = method;
        info.options.headers = this._mergeHeaders(headers);
        if (this.userAgent != null) {
            info.options.headers['user-agent'] = this.userAgent;
        }
        info.options.agent = this._getAgent(info.parsedUrl);
        // gives handlers an opportunity to participate
        if (this.handlers) {
            for (const handler of this.handlers) {
                handler.prepareRequest(info.options);
            }
        }
        return info;
    }
    _mergeHeaders(headers) {
        if (this.requestOptions && this.requestOptions.headers) {
            return Object.assign({}, lowercaseKeys(this.requestOptions.headers), lowercaseKeys(headers || {}));
        }
        return lowercaseKeys(headers || {});
    }
    /**
     * Gets an existing header value or returns a default.
     * Handles converting number header values to strings since HTTP headers must be strings.
     * Note: This returns string | string[] since some headers can have multiple values.
     * For headers that must always be a single string (like Content-Type), use the
     * specialized _getExistingOrDefaultContentTypeHeader method instead.
     */
    _getExistingOrDefaultHeader(additionalHeaders, header, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[header];
            if (headerValue) {
                clientHeader =
                    typeof headerValue === 'number' ? headerValue.toString() : headerValue;
            }
        }
        const additionalValue = additionalHeaders[header];
        if (additionalValue !== undefined) {
            return typeof additionalValue === 'number'
                ? additionalValue.toString()
                : additionalValue;
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    /**
     * Specialized version of _getExistingOrDefaultHeader for Content-Type header.
     * Always returns a single string (not an array) since Content-Type should be a single value.
     * Converts arrays to comma-separated strings and numbers to strings to ensure type safety.
     * This was split from _getExistingOrDefaultHeader to provide stricter typing for callers
     * that assign the result to places expecting a string (e.g., additionalHeaders[Headers.ContentType]).
     */
    _getExistingOrDefaultContentTypeHeader(additionalHeaders, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[Headers.ContentType];
            if (headerValue) {
                if (typeof headerValue === 'number') {
                    clientHeader = String(headerValue);
                }
                else if (Array.isArray(headerValue)) {
                    clientHeader = headerValue.join(', ');
                }
                else {
                    clientHeader = headerValue;
                }
            }
        }
        const additionalValue = additionalHeaders[Headers.ContentType];
        // Return the first non-undefined value, converting numbers or arrays to strings if necessary
        if (additionalValue !== undefined) {
            if (typeof additionalValue === 'number') {
                return String(additionalValue);
            }
            else if (Array.isArray(additionalValue)) {
                return additionalValue.join(', ');
            }
            else {
                return additionalValue;
            }
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    _getAgent(parsedUrl) {
        let agent;
        const proxyUrl = getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (this._keepAlive && useProxy) {
            agent = this._proxyAgent;
        }
        if (!useProxy) {
            agent = this._agent;
        }
        // if agent is already assigned use that agent.
        if (agent) {
            return agent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        let maxSockets = 100;
        if (this.requestOptions) {
            maxSockets = this.requestOptions.maxSockets || http.globalAgent.maxSockets;
        }
        // This is `useProxy` again, but we need to check `proxyURl` directly for TypeScripts's flow analysis.
        if (proxyUrl && proxyUrl.hostname) {
            const agentOptions = {
                maxSockets,
                keepAlive: this._keepAlive,
                proxy: Object.assign(Object.assign({}, ((proxyUrl.username || proxyUrl.password) && {
                    proxyAuth: `${proxyUrl.username}:${proxyUrl.password}`
                })), { host: proxyUrl.hostname, port: proxyUrl.port })
            };
            let tunnelAgent;
            const overHttps = proxyUrl.protocol === 'https:';
            if (usingSsl) {
                tunnelAgent = overHttps ? tunnelExports.httpsOverHttps : tunnelExports.httpsOverHttp;
            }
            else {
                tunnelAgent = overHttps ? tunnelExports.httpOverHttps : tunnelExports.httpOverHttp;
            }
            agent = tunnelAgent(agentOptions);
            this._proxyAgent = agent;
        }
        // if tunneling agent isn't assigned create a new agent
        if (!agent) {
            const options = { keepAlive: this._keepAlive, maxSockets };
            agent = usingSsl ? new https.Agent(options) : new http.Agent(options);
            this._agent = agent;
        }
        if (usingSsl && this._ignoreSslError) {
            // we don't want to set NODE_TLS_REJECT_UNAUTHORIZED=0 since that will affect request for entire process
            // http.RequestOptions doesn't expose a way to modify RequestOptions.agent.options
            // we have to cast it to any and change it directly
            agent.options = Object.assign(agent.options || {}, {
                rejectUnauthorized: false
            });
        }
        return agent;
    }
    _getProxyAgentDispatcher(parsedUrl, proxyUrl) {
        let proxyAgent;
        if (this._keepAlive) {
            proxyAgent = this._proxyAgentDispatcher;
        }
        // if agent is already assigned use that agent.
        if (proxyAgent) {
            return proxyAgent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        proxyAgent = new undiciExports.ProxyAgent(Object.assign({ uri: proxyUrl.href, pipelining: !this._keepAlive ? 0 : 1 }, ((proxyUrl.username || proxyUrl.password) && {
            token: `Basic ${Buffer.from(`${proxyUrl.username}:${proxyUrl.password}`).toString('base64')}`
        })));
        this._proxyAgentDispatcher = proxyAgent;
        if (usingSsl && this._ignoreSslError) {
            // we don't want to set NODE_TLS_REJECT_UNAUTHORIZED=0 since that will affect request for entire process
            // http.RequestOptions doesn't expose a way to modify RequestOptions.agent.options
            // we have to cast it to any and change it directly
            proxyAgent.options = Object.assign(proxyAgent.options.requestTls || {}, {
                rejectUnauthorized: false
            });
        }
        return proxyAgent;
    }
    _getUserAgentWithOrchestrationId(userAgent) {
        const baseUserAgent = userAgent || 'actions/http-client';
        const orchId = process.env['ACTIONS_ORCHESTRATION_ID'];
        if (orchId) {
            // Sanitize the orchestration ID to ensure it contains only valid characters
            // Valid characters: 0-9, a-z, _, -, .
            const sanitizedId = orchId.replace(/[^a-z0-9_.-]/gi, '_');
            return `${baseUserAgent} actions_orchestration_id/${sanitizedId}`;
        }
        return baseUserAgent;
    }
    _performExponentialBackoff(retryNumber) {
        return __awaiter$3(this, void 0, void 0, function* () {
            retryNumber = Math.min(ExponentialBackoffCeiling, retryNumber);
            const ms = ExponentialBackoffTimeSlice * Math.pow(2, retryNumber);
            return new Promise(resolve => setTimeout(() => resolve(), ms));
        });
    }
    _processResponse(res, options) {
        return __awaiter$3(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => __awaiter$3(this, void 0, void 0, function* () {
                const statusCode = res.message.statusCode || 0;
                const response = {
                    statusCode,
                    result: null,
                    headers: {}
                };
                // not found leads to null obj returned
                if (statusCode === HttpCodes.NotFound) {
                    resolve(response);
                }
                // get the result from the body
                function dateTimeDeserializer(key, value) {
                    if (typeof value === 'string') {
                        const a = new Date(value);
                        if (!isNaN(a.valueOf())) {
                            return a;
                        }
                    }
                    return value;
                }
                let obj;
                let contents;
                try {
                    contents = yield res.readBody();
                    if (contents && contents.length > 0) {
                        if (options && options.deserializeDates) {
                            obj = JSON.parse(contents, dateTimeDeserializer);
                        }
                        else {
                            obj = JSON.parse(contents);
                        }
                        response.result = obj;
                    }
                    response.headers = res.message.headers;
                }
                catch (err) {
                    // Invalid resource (contents not json);  leaving result obj null
                }
                // note that 3xx redirects are handled by the http layer.
                if (statusCode > 299) {
                    let msg;
                    // if exception/error in body, attempt to get better error
                    if (obj && obj.message) {
                        msg = obj.message;
                    }
                    else if (contents && contents.length > 0) {
                        // it may be the case that the exception is in the body message as string
                        msg = contents;
                    }
                    else {
                        msg = `Failed request: (${statusCode})`;
                    }
                    const err = new HttpClientError(msg, statusCode);
                    err.result = response.result;
                    reject(err);
                }
                else {
                    resolve(response);
                }
            }));
        });
    }
}
const lowercaseKeys = (obj) => Object.keys(obj).reduce((c, k) => ((c[k.toLowerCase()] = obj[k]), c), {});

var __awaiter$2 = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
class BearerCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Bearer ${this.token}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter$2(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};

var __awaiter$1 = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
const { access, appendFile, writeFile } = promises;
const SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
class Summary {
    constructor() {
        this._buffer = '';
    }
    /**
     * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
     * Also checks r/w permissions.
     *
     * @returns step summary file path
     */
    filePath() {
        return __awaiter$1(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, constants.R_OK | constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    /**
     * Wraps content in an HTML tag, adding any HTML attributes
     *
     * @param {string} tag HTML tag to wrap
     * @param {string | null} content content within the tag
     * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
     *
     * @returns {string} content wrapped in HTML element
     */
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    /**
     * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
     *
     * @param {SummaryWriteOptions} [options] (optional) options for write operation
     *
     * @returns {Promise<Summary>} summary instance
     */
    write(options) {
        return __awaiter$1(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    /**
     * Clears the summary buffer and wipes the summary file
     *
     * @returns {Summary} summary instance
     */
    clear() {
        return __awaiter$1(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    /**
     * Returns the current summary buffer as a string
     *
     * @returns {string} string of summary buffer
     */
    stringify() {
        return this._buffer;
    }
    /**
     * If the summary buffer is empty
     *
     * @returns {boolen} true if the buffer is empty
     */
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    /**
     * Resets the summary buffer without writing to summary file
     *
     * @returns {Summary} summary instance
     */
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    /**
     * Adds raw text to the summary buffer
     *
     * @param {string} text content to add
     * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
     *
     * @returns {Summary} summary instance
     */
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    /**
     * Adds the operating system-specific end-of-line marker to the buffer
     *
     * @returns {Summary} summary instance
     */
    addEOL() {
        return this.addRaw(EOL);
    }
    /**
     * Adds an HTML codeblock to the summary buffer
     *
     * @param {string} code content to render within fenced code block
     * @param {string} lang (optional) language to syntax highlight code
     *
     * @returns {Summary} summary instance
     */
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML list to the summary buffer
     *
     * @param {string[]} items list of items to render
     * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
     *
     * @returns {Summary} summary instance
     */
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML table to the summary buffer
     *
     * @param {SummaryTableCell[]} rows table rows
     *
     * @returns {Summary} summary instance
     */
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds a collapsable HTML details element to the summary buffer
     *
     * @param {string} label text for the closed state
     * @param {string} content collapsable content
     *
     * @returns {Summary} summary instance
     */
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML image tag to the summary buffer
     *
     * @param {string} src path to the image you to embed
     * @param {string} alt text description of the image
     * @param {SummaryImageOptions} options (optional) addition image attributes
     *
     * @returns {Summary} summary instance
     */
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML section heading element
     *
     * @param {string} text heading text
     * @param {number | string} [level=1] (optional) the heading level, default: 1
     *
     * @returns {Summary} summary instance
     */
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML thematic break (<hr>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML line break (<br>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML blockquote to the summary buffer
     *
     * @param {string} text quote text
     * @param {string} cite (optional) citation url
     *
     * @returns {Summary} summary instance
     */
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML anchor tag to the summary buffer
     *
     * @param {string} text link text/content
     * @param {string} href hyperlink
     *
     * @returns {Summary} summary instance
     */
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
const summary = _summary;

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
const { chmod, copyFile, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, symlink, unlink } = fs.promises;
// export const {open} = 'fs'
process.platform === 'win32';
fs.constants.O_RDONLY;

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
/* eslint-disable @typescript-eslint/unbound-method */
process.platform === 'win32';

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
os__default.platform();
os__default.arch();

var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
/**
 * The code to exit an action
 */
var ExitCode;
(function (ExitCode) {
    /**
     * A code indicating that the action was successful
     */
    ExitCode[ExitCode["Success"] = 0] = "Success";
    /**
     * A code indicating that the action was a failure
     */
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
/**
 * Registers a secret which will get masked from logs
 *
 * @param secret - Value of the secret to be masked
 * @remarks
 * This function instructs the Actions runner to mask the specified value in any
 * logs produced during the workflow run. Once registered, the secret value will
 * be replaced with asterisks (***) whenever it appears in console output, logs,
 * or error messages.
 *
 * This is useful for protecting sensitive information such as:
 * - API keys
 * - Access tokens
 * - Authentication credentials
 * - URL parameters containing signatures (SAS tokens)
 *
 * Note that masking only affects future logs; any previous appearances of the
 * secret in logs before calling this function will remain unmasked.
 *
 * @example
 * ```typescript
 * // Register an API token as a secret
 * const apiToken = "abc123xyz456";
 * setSecret(apiToken);
 *
 * // Now any logs containing this value will show *** instead
 * console.log(`Using token: ${apiToken}`); // Outputs: "Using token: ***"
 * ```
 */
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
/**
 * Gets the value of an input.
 * Unless trimWhitespace is set to false in InputOptions, the value is also trimmed.
 * Returns an empty string if the value is not defined.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string
 */
function getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    return val.trim();
}
/**
 * Sets the value of an output.
 *
 * @param     name     name of the output to set
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setOutput(name, value) {
    const filePath = process.env['GITHUB_OUTPUT'] || '';
    if (filePath) {
        return issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
    }
    process.stdout.write(os.EOL);
    issueCommand('set-output', { name }, toCommandValue(value));
}
//-----------------------------------------------------------------------
// Results
//-----------------------------------------------------------------------
/**
 * Sets the action status to failed.
 * When the action exits it will be with an exit code of 1
 * @param message add error issue message
 */
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
/**
 * Writes debug message to user log
 * @param message debug message
 */
function debug(message) {
    issueCommand('debug', {}, message);
}
/**
 * Adds an error issue
 * @param message error issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function error(message, properties = {}) {
    issueCommand('error', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a warning issue
 * @param message warning issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function warning(message, properties = {}) {
    issueCommand('warning', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a notice issue
 * @param message notice issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function notice(message, properties = {}) {
    issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Writes info to log with console.log.
 * @param message info message
 */
function info(message) {
    process.stdout.write(message + os.EOL);
}
/**
 * Begin an output group.
 *
 * Output until the next `groupEnd` will be foldable in this group
 *
 * @param name The name of the output group
 */
function startGroup(name) {
    issue('group', name);
}
/**
 * End an output group.
 */
function endGroup() {
    issue('endgroup');
}
/**
 * Wrap an asynchronous function call in a group.
 *
 * Returns the same type as the function itself.
 *
 * @param name The name of the group
 * @param fn The function to wrap in the group
 */
function group(name, fn) {
    return __awaiter(this, void 0, void 0, function* () {
        startGroup(name);
        let result;
        try {
            result = yield fn();
        }
        finally {
            endGroup();
        }
        return result;
    });
}

/*
 * The repository's history through the REST API, for choosing a pull request's baseline on a
 * runner whose checkout is shallow (actions/checkout fetches one commit by default). Needs only
 * `contents: read`, which a fork's read-only token has too.
 */
const PAGE = 100;
function githubCommitGraph(client, repo) {
    return {
        source: 'the GitHub API',
        async mergeBase(base, head) {
            try {
                // One commit per page: only `merge_base_commit` is wanted, not the list of PR commits.
                const { data } = await client.rest.repos.compareCommitsWithBasehead({
                    ...repo,
                    basehead: `${base}...${head}`,
                    per_page: 1
                });
                return data.merge_base_commit.sha || null;
            }
            catch (e) {
                throw explainApiError(e, `comparing ${base}...${head}`);
            }
        },
        async ancestors(sha, limit) {
            const out = [];
            if (limit <= 0)
                return out;
            try {
                const pages = client.paginate.iterator(client.rest.repos.listCommits, {
                    ...repo,
                    sha,
                    per_page: Math.min(PAGE, limit)
                });
                for await (const page of pages) {
                    for (const c of page.data) {
                        out.push(c.sha);
                        if (out.length >= limit)
                            return out;
                    }
                }
            }
            catch (e) {
                throw explainApiError(e, `listing the commits before ${shortSha(sha) ?? '?'}`);
            }
            return out;
        }
    };
}
/**
 * What a run's baseline is chosen by: for a pull request (or mode report, about one) the
 * merge-base of its base branch and head, for a push or dispatch the run's own commit. Without a
 * client (no token, not on GitHub) the testbed's latest baseline, as before.
 */
function githubLineage(opts) {
    const { client, wf, sha, maxDistance } = opts;
    const env = opts.env ?? process.env;
    if (!client || !wf.repository || !sha)
        return { graph: null, target: { kind: 'latest' }, maxDistance };
    const graph = githubCommitGraph(client, wf.repository);
    if (wf.pull || opts.aboutPull) {
        // GITHUB_BASE_REF is set for pull_request events; mode report reads the PR's base from the
        // API, since a workflow_run event does not carry it.
        const base = opts.pullBase || env.GITHUB_BASE_REF || wf.context.defaultBranch || 'main';
        return { graph, target: { kind: 'pull', base, head: wf.pull?.headSha ?? sha }, maxDistance };
    }
    return { graph, target: { kind: 'commit', sha }, maxDistance };
}

function decidePosture(wf, token) {
    if (!wf.context.onGitHub) {
        return { kind: 'files-only', why: 'not running on GitHub Actions', warn: false };
    }
    if (!token)
        return { kind: 'files-only', why: 'the github-token input is empty', warn: false };
    if (!wf.repository) {
        return { kind: 'files-only', why: 'GITHUB_REPOSITORY is not set', warn: true };
    }
    const pr = wf.context.eventName === 'pull_request' ? wf.pull : null;
    if (pr?.fromFork) {
        return {
            kind: 'files-only',
            why: `pull request #${pr.number} comes from a fork (${pr.headRepo ?? 'deleted'}), and GitHub gives such runs a read-only token`,
            warn: true
        };
    }
    if (pr && wf.actor === 'dependabot[bot]') {
        return {
            kind: 'files-only',
            why: `pull request #${pr.number} is Dependabot's, and GitHub gives such runs a read-only token`,
            warn: true
        };
    }
    return { kind: 'write' };
}
const REPORT_HINT = 'Upload the results file (output results-path) as an artifact and post it from a workflow_run workflow with mode: report; see "Pull requests from forks" in docs/github-workflows.md.';

/*
 * `mode: report` runs in a `workflow_run` workflow: the trusted side of the fork flow. Its inputs
 * are untrusted data: the artifact supplies measurements only. Which PR, which commit and which
 * run come from the event GitHub delivered, and the PR is checked to still be at that commit.
 */
/** Artifacts are measurements, not archives of anything: a results file is far below this. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;
const MAX_FILES = 200;
/** The JSON files of the downloaded artifact; refuses links and oversized files. */
async function artifactFiles(dir) {
    let top;
    try {
        top = await lstat$1(dir);
    }
    catch {
        return null;
    }
    if (!top.isDirectory())
        throw new UserError(`results-dir '${dir}' is not a directory`);
    const out = [];
    const walk = async (d, depth) => {
        for (const entry of await readdir$1(d, { withFileTypes: true })) {
            const file = path.join(d, entry.name);
            if (entry.isSymbolicLink()) {
                throw new UserError(`the results artifact holds a symbolic link (${file}); refusing it`);
            }
            if (entry.isDirectory() && depth < 4)
                await walk(file, depth + 1);
            else if (entry.isFile() && entry.name.endsWith('.json')) {
                const { size } = await lstat$1(file);
                if (size > MAX_FILE_BYTES) {
                    throw new UserError(`${file} is ${size} bytes; a results file is at most ${MAX_FILE_BYTES}`);
                }
                out.push(file);
                if (out.length > MAX_FILES) {
                    throw new UserError(`the results artifact holds more than ${MAX_FILES} JSON files`);
                }
            }
        }
    };
    await walk(dir, 0);
    return out.sort();
}
async function planReport(client, wf, resultsDir) {
    if (wf.context.eventName !== 'workflow_run' || !wf.upstream || !wf.repository) {
        throw new UserError(`mode 'report' runs from a workflow_run event (this is '${wf.context.eventName ?? 'unknown'}'); it posts what a pull_request run measured`);
    }
    const run = wf.upstream;
    if (run.event !== 'pull_request' && run.event !== 'pull_request_target') {
        return {
            kind: 'skip',
            why: `the measured run was started by '${run.event ?? 'unknown'}', not by a pull request; there is nothing to report`
        };
    }
    const files = await artifactFiles(resultsDir);
    if (!files || files.length === 0) {
        return {
            kind: 'skip',
            why: `no results in '${resultsDir}' (the measuring run uploaded none, or the artifact expired); nothing was posted`
        };
    }
    const found = await findPullForRun(client, wf.repository, run);
    if (!found.pull || !run.headSha) {
        return { kind: 'skip', why: `not posting: ${found.why}` };
    }
    return {
        kind: 'report',
        pull: found.pull,
        headSha: run.headSha,
        headBranch: run.headBranch,
        runKey: `${run.id}.${run.attempt}`,
        runUrl: run.htmlUrl,
        files
    };
}

/** Where to upload from and download to: the runner's temp folder, cleaned after every job. */
function scratchRoot() {
    return process.env.RUNNER_TEMP ?? path.join(process.cwd(), '.perf-gate', 'tmp');
}
/**
 * Uploads one shard's results file as artifact `name`, holding `<name>.json`: named so that
 * actions/download-artifact with `merge-multiple: true` cannot make two shards collide.
 */
async function uploadShardResults(client, name, resultsFile, scratch = scratchRoot()) {
    await mkdir$1(scratch, { recursive: true });
    const dir = await mkdtemp(path.join(scratch, 'perf-gate-upload-'));
    const file = path.join(dir, `${name}.json`);
    await copyFile$1(resultsFile, file);
    try {
        // A shard's results are read by the merge job of the same run, minutes later.
        const got = await client.uploadArtifact(name, [file], dir, { retentionDays: 1 });
        return { id: got.id, file };
    }
    catch (e) {
        if (isGhes(e))
            throw e;
        throw new UserError(`could not upload the shard results as artifact '${name}': ${errorMessage(e)}. Where the artifact service is not available (GHES), upload results-path with actions/upload-artifact and give the merge job results-dir`);
    }
}
/**
 * @actions/artifact's refusal to run on GitHub Enterprise Server, told apart from a failure of
 * the service: only the former is a reason to carry on without it.
 */
function isGhes(e) {
    if (!(e instanceof Error) || e instanceof UserError)
        return false;
    return e.name === 'GHESNotSupportedError' || /\bGHES\b/.test(e.message);
}
/**
 * Downloads every artifact of this workflow run whose name starts with `prefix` into its own
 * folder under `dir`; each becomes one shard, labelled with the artifact's name.
 */
async function downloadShardResults(client, prefix, dir) {
    let listed;
    try {
        listed = await client.listArtifacts({ latest: true });
    }
    catch (e) {
        throw new UserError(`could not list the artifacts of this run: ${errorMessage(e)}`);
    }
    const mine = listed.artifacts
        .filter((a) => a.name.startsWith(prefix))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    if (mine.length === 0) {
        const names = listed.artifacts.map((a) => a.name);
        throw new UserError(`no shard results in this run: no artifact is named ${prefix}* (found ${names.length > 0 ? names.join(', ') : 'none'}). Run the shard jobs first (needs:) with the same testbed`);
    }
    const out = [];
    for (const a of mine) {
        const into = path.join(dir, a.name);
        await mkdir$1(into, { recursive: true });
        let got;
        try {
            got = await client.downloadArtifact(a.id, {
                path: into,
                ...(a.digest ? { expectedHash: a.digest } : {})
            });
        }
        catch (e) {
            throw new UserError(`could not download artifact '${a.name}': ${errorMessage(e)}`);
        }
        if (got.digestMismatch) {
            throw new UserError(`artifact '${a.name}' arrived with another digest than it was uploaded with; refusing it`);
        }
        const files = (await artifactFiles(into)) ?? [];
        if (files.length === 0) {
            throw new UserError(`artifact '${a.name}' holds no results file (.json); was it uploaded by perf-gate?`);
        }
        for (const file of files)
            out.push({ label: a.name, file });
    }
    return out;
}
/**
 * The fallback without the artifact service: a folder filled by actions/download-artifact, one
 * subfolder per artifact, or flat with `merge-multiple: true` (each file is named for its shard).
 */
async function shardFilesInDir(dir) {
    const files = await artifactFiles(dir);
    if (!files || files.length === 0) {
        throw new UserError(`results-dir '${dir}' holds no results files; download the shard artifacts into it first`);
    }
    return files.map((file) => {
        const rel = path.relative(dir, file).split(path.sep);
        const label = rel.length > 1 ? (rel[0] ?? file) : path.basename(file, '.json');
        return { label, file };
    });
}
/** Why this job cannot reach the artifact service, or null when it can. */
function artifactServiceMissing(env = process.env) {
    const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((k) => !env[k]);
    return missing.length > 0
        ? `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set (the runner sets them in every GitHub Actions job)`
        : null;
}
/** @actions/artifact's client, loaded on first use: it is the largest part of the bundle. */
async function defaultArtifactClient() {
    const missing = artifactServiceMissing();
    if (missing)
        throw new UserError(`the artifact service is out of reach: ${missing}`);
    const { DefaultArtifactClient } = await import('./chunks/artifact.js');
    return new DefaultArtifactClient();
}
/**
 * A shard job's upload. Without the artifact service (GHES, or a runner outside Actions) the
 * shard still succeeds with a warning: its results-path can be uploaded with
 * actions/upload-artifact, and the merge job reads them through results-dir.
 */
async function uploadShard(name, resultsFile, warn, client = defaultArtifactClient) {
    const fallback = `upload results-path as artifact '${name}' with actions/upload-artifact and give the merge job results-dir`;
    const missing = artifactServiceMissing();
    if (missing) {
        warn(`perf-gate: shard results not uploaded: ${missing}; ${fallback}`);
        return false;
    }
    try {
        await uploadShardResults(await client(), name, resultsFile);
        return true;
    }
    catch (e) {
        if (isGhes(e)) {
            warn(`perf-gate: shard results not uploaded: this server has no artifact service; ${fallback}`);
            return false;
        }
        throw e;
    }
}

/*
 * Which change points of the history are regressions worth an issue: a step that makes the metric
 * worse by more than its fail budget (the same budget a pull request is gated with). A later step
 * that brings the level back within the warn budget of where it was is its recovery.
 */
/** A level change as a fraction of badness: positive is worse, in either direction. */
function badness(before, after, direction) {
    return direction === 'lower' ? after / before - 1 : 1 - after / before;
}
function findRegressions(report, thresholdsFor) {
    const out = [];
    for (const m of report.metrics) {
        const probe = {
            name: m.metric,
            unit: m.unit,
            direction: m.direction,
            class: m.class,
            samples: []
        };
        const { warn, fail } = thresholdsFor(m.benchmark, probe);
        if (fail === null)
            continue;
        for (const step of m.steps) {
            const worseBy = badness(step.before, step.after, m.direction);
            if (!step.worse || !(worseBy > fail))
                continue;
            const recovery = m.steps.find((later) => later.index > step.index &&
                !later.worse &&
                badness(step.before, later.after, m.direction) <= warn) ?? null;
            out.push({
                testbed: report.testbed,
                metric: m,
                step,
                previous: m.points[step.index - 1] ?? null,
                worseBy,
                fail,
                warn,
                recovery
            });
        }
    }
    return out;
}

/*
 * The GitHub issue a regression that slipped through becomes: one per (testbed, benchmark, metric,
 * change point), found again by a hidden marker that holds only hashes and a commit sha, never
 * text from a result file. Names, units, commit messages and PR titles are escaped like any other
 * untrusted text.
 */
const REGRESSION_LABEL = 'perf-regression';
const REGRESSION_LABEL_COLOR = 'd73a4a';
const REGRESSION_LABEL_DESCRIPTION = 'A performance regression perf-gate found on the default branch';
const MARKER = /<!-- perf-gate:regression series=([0-9a-f]{16}) at=([0-9a-f]{7,40}|none) -->/;
/** Testbed, benchmark and metric as one opaque key: markers carry no untrusted text. */
function seriesKey(testbed, benchmark, metric) {
    return createHash('sha256')
        .update(JSON.stringify([testbed, benchmark, metric]))
        .digest('hex')
        .slice(0, 16);
}
function issueMarker(f) {
    const at = f.step.sha && /^[0-9a-f]{7,40}$/.test(f.step.sha) ? f.step.sha : 'none';
    return `<!-- perf-gate:regression series=${seriesKey(f.testbed, f.metric.benchmark, f.metric.metric)} at=${at} -->`;
}
/** The series and change point an issue body is about, from its marker. */
function parseIssueMarker(body) {
    const m = MARKER.exec(body);
    if (!m?.[1] || !m[2])
        return null;
    return { series: m[1], sha: m[2] === 'none' ? null : m[2] };
}
function issueTitle(f) {
    const what = sanitizeText(`${f.metric.benchmark} / ${f.metric.metric}`, { maxLength: 120 });
    const testbed = sanitizeText(f.testbed, { maxLength: 60 });
    return `perf regression: ${what} ${formatPercent(f.worseBy, 1, { compact: true })} worse on ${testbed}`;
}
function sha7(sha) {
    return shortSha(sha) ?? 'unknown';
}
function commitLink(sha, links) {
    return sha ? `[\`${sha7(sha)}\`](${links.commitUrl(sha)})` : 'an unknown commit';
}
function renderIssueBody(f, likely, links) {
    const m = f.metric;
    const unit = escapeMarkdown(m.unit, { maxLength: 20 });
    const name = `${escapeMarkdown(m.benchmark)} / ${escapeMarkdown(m.metric)}`;
    const testbed = escapeMarkdown(f.testbed, { maxLength: 80 });
    const range = f.previous?.sha
        ? `${sha7(f.previous.sha)}…${sha7(f.step.sha)}`
        : `up to ${sha7(f.step.sha)}`;
    const rangeCell = links.compareUrl ? `[\`${range}\`](${links.compareUrl})` : `\`${range}\``;
    const out = [
        issueMarker(f),
        `**${name}** on testbed **${testbed}** got ${formatPercent(f.worseBy)} worse at ${commitLink(f.step.sha, links)} ` +
            `(recorded ${formatDate(f.step.createdAt)}), past its fail budget of ${formatPercent(f.fail).replace('+', '')}.`,
        '',
        markdownTable([
            ['', ''],
            ['Metric', `${name} (${unit || 'no unit'}, ${m.direction} is better)`],
            [
                'Step',
                `${formatValue(f.step.before, unit)} → ${formatValue(f.step.after, unit)} (${formatPercent(f.step.change)}, p = ${f.step.pValue.toPrecision(2)})`
            ],
            [
                'Commit range',
                `${rangeCell}: the last baseline before the step, and the first at the new level`
            ],
            ['Baselines', `${m.points.length}, medians of each run`]
        ], { alignDelimiters: false }),
        '',
        '### Likely commits',
        '',
        ...likelyLines(likely),
        '',
        '### Trend',
        '',
        historyChart(m),
        '',
        '---',
        'Opened by perf-gate from the baseline history of the default branch (change points by ' +
            'E-Divisive means on each baseline\u2019s median). It is updated by later runs, and commented ' +
            'on and closed when a later change point brings the metric back to its old level.'
    ];
    return out.join('\n') + '\n';
}
function likelyLines(likely) {
    if (!likely)
        return ['The commit range could not be read from the repository.'];
    const lines = [];
    if (likely.first) {
        const subject = escapeMarkdown(likely.first.message.split('\n')[0] ?? '', { maxLength: 120 });
        lines.push(`- First commit after the last baseline before the step: [\`${sha7(likely.first.sha)}\`](${likely.first.url}) ${subject}`);
    }
    else
        lines.push('- No commit lies between the two baselines (a runner or dependency change?).');
    if (likely.pulls.length > 0) {
        lines.push(`- Pull requests merged in the range (${plural(likely.total, 'commit')}):`);
        for (const p of likely.pulls) {
            const by = p.author ? ` by ${escapeMarkdown('@' + p.author, { maxLength: 60 })}` : '';
            lines.push(`  - [#${p.number}](${p.url}) ${escapeMarkdown(p.title, { maxLength: 120 })}${by}`);
        }
    }
    else if (likely.total > 0) {
        lines.push(`- No pull request was merged in the range (${plural(likely.total, 'commit')}).`);
    }
    return lines;
}
/** The comment that closes an issue: it starts "recovered at `abc1234`". */
function renderRecoveryComment(f, links) {
    const r = f.recovery;
    if (!r)
        throw new Error('renderRecoveryComment needs a recovery');
    const unit = escapeMarkdown(f.metric.unit, { maxLength: 20 });
    return (`recovered at \`${sha7(r.sha)}\` (${commitLink(r.sha, links)}, recorded ${formatDate(r.createdAt)}): ` +
        `back to ${formatValue(r.after, unit)} from ${formatValue(r.before, unit)}; ` +
        `the level before the regression was ${formatValue(f.step.before, unit)}. Closing.\n`);
}

/** Events that run the default branch's own code, never a pull request's. */
const TRUSTED_EVENTS = new Set(['push', 'workflow_dispatch', 'schedule']);
function issueWriteDecision(ctx) {
    if (!ctx.onGitHub)
        return { allowed: false, reason: 'issues are opened only on GitHub Actions' };
    const event = ctx.eventName ?? '(unknown)';
    if (!TRUSTED_EVENTS.has(event)) {
        return {
            allowed: false,
            reason: `issues are opened only by push, schedule or workflow_dispatch runs of the default branch; this run is a '${event}' event`
        };
    }
    if (ctx.fromFork) {
        return {
            allowed: false,
            reason: 'the code comes from a fork; issues are opened only by the repository itself'
        };
    }
    // A schedule always runs the default branch's latest commit, and its payload names no branch.
    if (event !== 'schedule') {
        if (!ctx.defaultBranch) {
            return {
                allowed: false,
                reason: 'the default branch is unknown (no repository in the event payload)'
            };
        }
        const expected = `refs/heads/${ctx.defaultBranch}`;
        if (ctx.ref !== expected) {
            return {
                allowed: false,
                reason: `issues are opened only from the default branch (${expected}); this run is on ${ctx.ref ?? '(no ref)'}`
            };
        }
    }
    return { allowed: true, reason: `${event} on the default branch` };
}
const MAX_COMMITS = 30;
async function knownIssues(client, repo) {
    const out = [];
    const pages = client.paginate.iterator(client.rest.issues.listForRepo, {
        ...repo,
        labels: REGRESSION_LABEL,
        state: 'all',
        per_page: 100
    });
    for await (const page of pages) {
        for (const issue of page.data) {
            if (issue.pull_request)
                continue;
            const marker = parseIssueMarker(issue.body ?? '');
            if (!marker)
                continue;
            out.push({
                number: issue.number,
                open: issue.state === 'open',
                title: issue.title,
                body: issue.body ?? '',
                ...marker
            });
        }
    }
    return out.sort((a, b) => a.number - b.number);
}
async function ensureLabel(client, repo) {
    try {
        await client.rest.issues.getLabel({ ...repo, name: REGRESSION_LABEL });
    }
    catch (e) {
        if (statusOf(e) !== 404)
            throw e;
        try {
            await client.rest.issues.createLabel({
                ...repo,
                name: REGRESSION_LABEL,
                color: REGRESSION_LABEL_COLOR,
                description: REGRESSION_LABEL_DESCRIPTION
            });
        }
        catch (e2) {
            // Another run created it first.
            if (statusOf(e2) !== 422)
                throw e2;
        }
    }
}
/** The first commit of the range and the pull requests that merged its commits. */
async function likelyCommits(client, repo, base, head, maxCommits) {
    const { data } = await client.rest.repos.compareCommitsWithBasehead({
        ...repo,
        basehead: `${base}...${head}`,
        per_page: 100
    });
    const commits = data.commits;
    const first = commits[0];
    const pulls = new Map();
    for (const c of commits.slice(0, maxCommits)) {
        const found = await client.rest.repos.listPullRequestsAssociatedWithCommit({
            ...repo,
            commit_sha: c.sha,
            per_page: 100
        });
        for (const p of found.data) {
            if (!p.merged_at || pulls.has(p.number))
                continue;
            pulls.set(p.number, {
                number: p.number,
                title: p.title,
                url: p.html_url,
                author: p.user?.login ?? null
            });
        }
    }
    return {
        first: first ? { sha: first.sha, message: first.commit.message, url: first.html_url } : null,
        total: data.total_commits,
        pulls: [...pulls.values()].sort((a, b) => a.number - b.number)
    };
}
function shaIndex(f, sha) {
    return sha ? f.metric.points.findIndex((p) => p.sha?.startsWith(sha) ?? false) : -1;
}
/**
 * The issue of this change point: the one with its marker, else an issue of the same series whose
 * change point sits within a few baselines of it with no other step between (more baselines can
 * move the point found by one or two).
 */
function issueFor(f, known) {
    const series = seriesKey(f.testbed, f.metric.benchmark, f.metric.metric);
    const mine = known.filter((k) => k.series === series);
    const exact = mine.find((k) => k.sha !== null && k.sha === f.step.sha);
    if (exact)
        return exact;
    return mine.find((k) => {
        const at = shaIndex(f, k.sha);
        if (at < 0 || Math.abs(at - f.step.index) > 3)
            return false;
        const [lo, hi] = [Math.min(at, f.step.index), Math.max(at, f.step.index)];
        return !f.metric.steps.some((s) => s !== f.step && s.index >= lo && s.index <= hi);
    });
}
async function syncRegressionIssues(client, repo, context, findings, opts) {
    const result = { opened: [], updated: [], closed: [], refused: null };
    const trust = issueWriteDecision(context);
    if (!trust.allowed)
        return { ...result, refused: trust.reason };
    const log = opts.log ?? (() => undefined);
    const server = opts.serverUrl.replace(/\/+$/, '');
    const web = `${server}/${repo.owner}/${repo.repo}`;
    let what = 'listing the perf-regression issues';
    try {
        const known = await knownIssues(client, repo);
        let labelled = false;
        for (const f of findings) {
            const issue = issueFor(f, known);
            const links = {
                compareUrl: f.previous?.sha && f.step.sha ? `${web}/compare/${f.previous.sha}...${f.step.sha}` : null,
                commitUrl: (sha) => `${web}/commit/${sha}`
            };
            if (f.recovery) {
                if (!issue?.open)
                    continue;
                what = `closing issue #${issue.number}`;
                await client.rest.issues.createComment({
                    ...repo,
                    issue_number: issue.number,
                    body: renderRecoveryComment(f, links)
                });
                await client.rest.issues.update({
                    ...repo,
                    issue_number: issue.number,
                    state: 'closed',
                    state_reason: 'completed'
                });
                issue.open = false;
                result.closed.push(issue.number);
                log(`issue #${issue.number}: recovered at ${shortSha(f.recovery.sha) ?? '?'}, closed`);
                continue;
            }
            let likely = null;
            if (f.previous?.sha && f.step.sha) {
                what = `reading the commits ${shortSha(f.previous.sha) ?? '?'}...${shortSha(f.step.sha) ?? '?'}`;
                likely = await likelyCommits(client, repo, f.previous.sha, f.step.sha, opts.maxCommits ?? MAX_COMMITS).catch((e) => {
                    // The range may be gone (a rewritten history): the issue is still worth opening.
                    log(`${what}: ${explainApiError(e, what).message}`);
                    return null;
                });
            }
            const title = issueTitle(f);
            const body = renderIssueBody(f, likely, links);
            if (issue) {
                if (issue.body === body && issue.title === title)
                    continue;
                what = `updating issue #${issue.number}`;
                await client.rest.issues.update({ ...repo, issue_number: issue.number, title, body });
                Object.assign(issue, { body, title, sha: f.step.sha });
                result.updated.push(issue.number);
                log(`issue #${issue.number} updated: ${title}`);
                continue;
            }
            if (!labelled) {
                what = `creating the label ${REGRESSION_LABEL}`;
                await ensureLabel(client, repo);
                labelled = true;
            }
            what = `opening the issue '${title}'`;
            // Never retried blindly: a second POST after a lost answer would open a second issue.
            const { data } = await client.rest.issues.create({
                ...repo,
                title,
                body,
                labels: [REGRESSION_LABEL],
                request: { retries: 0 }
            });
            known.push({
                number: data.number,
                open: true,
                title,
                body,
                series: seriesKey(f.testbed, f.metric.benchmark, f.metric.metric),
                sha: f.step.sha
            });
            result.opened.push(data.number);
            log(`issue #${data.number} opened: ${title}`);
        }
    }
    catch (e) {
        throw explainApiError(e, what);
    }
    return result;
}

/**
 * Input `open-issues`: the history's regressions past the fail budget as issues. Never fails the
 * step: the history and the baseline were the job; a refusal or a missing permission is a line.
 */
async function fileRegressionIssues(run, history, config, env = process.env) {
    if (!run.inputs.openIssues)
        return;
    const findings = findRegressions(history, thresholdsFromConfig(config));
    const repo = run.wf.repository;
    if (!run.client || !repo) {
        warning(`perf-gate: open-issues: no issues opened: ${run.posture.kind === 'files-only' ? run.posture.why : 'there is no token'} (it needs the github-token input with permissions: issues: write)`);
        return;
    }
    try {
        const sync = await syncRegressionIssues(run.client, repo, run.wf.context, findings, {
            serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
            log: (m) => info(`perf-gate: ${m}`)
        });
        if (sync.refused) {
            info(`perf-gate: open-issues: no issues opened: ${sync.refused}`);
            return;
        }
        const open = findings.filter((f) => !f.recovery).length;
        info(`perf-gate: ${plural(open, 'regression')} past the fail budget in the history: ` +
            `${sync.opened.length} issue(s) opened, ${sync.updated.length} updated, ${sync.closed.length} closed as recovered`);
    }
    catch (e) {
        if (!(e instanceof GitHubApiError))
            throw e;
        warning(e.kind === 'permission'
            ? `perf-gate: open-issues: the token may not write issues (${e.message
                .split(': ')
                .slice(1)
                .join(': ')
                .replace(/ Add `permissions.*$/, '')}). Add \`permissions: issues: write\` to the job.`
            : `perf-gate: open-issues: ${e.message}`);
    }
}

// The log renders escape sequences (colours, and worse): names and command output are stripped.
const coreReporter = {
    info: (m) => info(terminalText(m)),
    warning: (m) => warning(terminalText(m)),
    group: (title, fn) => group(terminalText(title), fn)
};
const coreLog = {
    warning: (m) => warning(terminalText(m)),
    info: (m) => info(terminalText(m))
};
function readActionRun(inputs) {
    const wf = readWorkflowRun();
    const api = readApiSettings();
    const posture = decidePosture(wf, inputs.githubToken);
    const client = posture.kind === 'write' && inputs.githubToken
        ? createClient(inputs.githubToken, {
            baseUrl: api.baseUrl,
            tuning: api.tuning,
            log: (m) => info(m)
        })
        : null;
    return {
        inputs,
        wf,
        api,
        workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
        posture,
        client
    };
}
/** The config's path: `perf-gate.yml` rather than `/home/runner/work/app/app/perf-gate.yml` in messages. */
function configPath(run) {
    const file = path.resolve(run.workspace, run.inputs.config);
    const rel = path.relative(process.cwd(), file);
    return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}
/** The config path as the repository names it (annotations are relative to the repository root). */
function repositoryPath(file, workspace) {
    const rel = path.relative(workspace, path.resolve(workspace, file));
    return rel.split(path.sep).join('/');
}

/**
 * The store the action uses. A `git:` store gets its own client whenever there is a token, even a
 * read-only one (a pull request reads baselines; only mode baseline, trust-checked, writes).
 */
function openActionStore(inputs, workspace, log, env = process.env) {
    const common = {
        cwd: workspace,
        onWarning: log.warning,
        ...(inputs.baselineRetention !== undefined ? { keep: inputs.baselineRetention } : {})
    };
    // Only a git: store needs to know the repository (and so read the event).
    const repo = /^\s*git:/.test(inputs.baselineStore) ? readWorkflowRun(env).repository : null;
    if (!inputs.githubToken || !repo)
        return openStore(inputs.baselineStore, common);
    const api = readApiSettings(env);
    const client = createClient(inputs.githubToken, {
        baseUrl: api.baseUrl,
        tuning: api.tuning,
        log: log.info
    });
    return openStore(inputs.baselineStore, {
        ...common,
        github: { client, repo, timeScale: api.tuning.timeScale }
    });
}

/** The subject of a gate or baseline run: this workflow run and its pull request. */
function thisRun({ wf }) {
    return {
        commit: wf.commit,
        target: wf.repository
            ? {
                repo: wf.repository,
                headSha: wf.commit.sha,
                pullNumber: wf.pull?.number ?? null,
                runKey: wf.runId ?? null,
                ...(wf.runUrl ? { detailsUrl: wf.runUrl } : {})
            }
            : null,
        runId: wf.runId,
        runUrl: wf.runUrl
    };
}
async function runActionJob(run, subject, { jobMode, selection, ab }) {
    const { inputs, wf, client, posture, workspace } = run;
    const posting = jobMode !== 'baseline' && !selection && (inputs.comment || inputs.checkRun);
    const outputs = [
        filesOutput({
            outDir: path.resolve(workspace, inputs.outputDir),
            rawDir: inputs.rawDir,
            reporter: coreReporter,
            configPath: repositoryPath(inputs.config, workspace)
        })
    ];
    let publisher = null;
    if (client && subject.target && posting) {
        publisher = new Publisher(client, subject.target, {
            comment: inputs.comment,
            checkRun: inputs.checkRun,
            acceptLabel: inputs.acceptLabel,
            configPath: repositoryPath(inputs.config, workspace),
            settleMs: 1000 * run.api.tuning.timeScale,
            promoteDraft: inputs.promoteDraft
        }, coreReporter);
        outputs.push(publisher);
    }
    else if (posting && posture.kind === 'files-only') {
        const say = posture.warn ? warning : notice;
        say(`perf-gate: the ledger and check run are written to files, not posted: ${posture.why}.` +
            (posture.warn ? ` ${REPORT_HINT}` : ''));
    }
    const fork = inputs.mode === 'gate' && wf.pull?.fromFork;
    outputs.push(actionOutput({
        setOutput: (name, value) => setOutput(name, value),
        summary: async (markdown) => {
            if (process.env.GITHUB_STEP_SUMMARY)
                await summary.addRaw(markdown).write();
        }
    }, fork
        ? {
            summaryNote: `\n> This pull request comes from a fork, so this run could not post the ledger or the check run. ${REPORT_HINT}\n`
        }
        : {}));
    const job = {
        mode: jobMode,
        configPath: configPath(run),
        ...(inputs.results && !subject.resultsFiles ? { resultsGlob: inputs.results } : {}),
        ...(subject.resultsFiles ? { resultsFiles: subject.resultsFiles } : {}),
        ...(subject.mergeShards ? { resultSet: subject.mergeShards } : {}),
        ...(selection ? { select: selection } : {}),
        store: openActionStore(inputs, workspace, coreLog),
        failOn: inputs.failOn,
        commit: subject.commit,
        context: wf.context,
        reporter: coreReporter,
        ...(inputs.testbed ? { testbed: inputs.testbed } : {}),
        ...(inputs.repetitions !== undefined ? { repetitions: inputs.repetitions } : {}),
        ...(inputs.note ? { note: inputs.note } : {}),
        ...(inputs.analystModel ? { analyst: { model: inputs.analystModel } } : {}),
        ...(subject.runId ? { runId: subject.runId } : {}),
        ...(subject.runUrl ? { runUrl: subject.runUrl } : {}),
        // A baseline is recorded whatever it would be compared with; a fork's run calls no API.
        lineage: githubLineage({
            client: jobMode === 'baseline' ? null : client,
            wf,
            sha: subject.commit.sha,
            aboutPull: inputs.mode === 'report',
            pullBase: subject.pullBase ?? null,
            maxDistance: inputs.baselineMaxDistance
        }),
        allowFingerprintChanges: inputs.allowFingerprintChanges,
        ...(ab ? { ab } : {}),
        ...(inputs.dashboardUrl ? { dashboardUrl: inputs.dashboardUrl } : {})
    };
    const result = await runWithOutputs(job, outputs);
    info(terminalText(`perf-gate: ${result.outcome.verdict}: ${result.outcome.reason}`));
    if (selection) {
        const name = shardArtifactName(result.config.testbed, selection);
        const file = result.files?.paths.results;
        if (file && (await uploadShard(name, file, (m) => warning(m)))) {
            info(`perf-gate: uploaded the shard results as artifact ${name}`);
        }
        return result;
    }
    if (jobMode === 'baseline' && result.baselineWritten && inputs.openIssues) {
        // The history now ends with this baseline: a regression it completes becomes an issue.
        const history = await runHistoryJob({
            configPath: configPath(run),
            store: openActionStore(inputs, workspace, coreLog),
            outDir: path.resolve(workspace, inputs.outputDir),
            testbed: result.config.testbed
        });
        await fileRegressionIssues(run, history.report, result.config);
    }
    const problems = result.published?.problems ?? [];
    if (inputs.mode === 'report' && problems.length > 0) {
        setFailed(`perf-gate: could not post the report: ${problems.join(' ')}`);
    }
    else if (result.failed) {
        setFailed(terminalText(`perf-gate: ${result.outcome.verdict}: ${result.outcome.reason}`));
    }
    return result;
}

/**
 * `mode: gate`: run (or import) the benchmarks and gate them against the stored baseline, or with
 * `ab: true` (input or config) against the pull request's merge-base measured in the same job.
 */
async function gateMode(run) {
    const selection = shardSelection(run.inputs);
    await runActionJob(run, thisRun(run), { jobMode: 'gate', selection, ab: abRequest(run) });
}
/**
 * The base of an A/B run: for a pull request, its merge-base with the base branch (git finds it
 * in the checkout, which needs the history: fetch-depth 0); for any other event, the commit before.
 */
function abRequest({ inputs, wf }) {
    if (inputs.ab === false)
        return undefined;
    const pull = wf.pull;
    return {
        base: pull?.baseSha
            ? { kind: 'pull', baseSha: pull.baseSha, headSha: pull.headSha }
            : { kind: 'parent' },
        when: inputs.ab ? 'always' : 'config'
    };
}
/**
 * A shard job of a matrix (input `shard` or `benchmarks`): it runs its part and uploads it for
 * the merge job, which gates all shards and posts once.
 */
function shardSelection(inputs) {
    const selection = inputs.shard
        ? { kind: 'shard', shard: inputs.shard }
        : inputs.benchmarks
            ? { kind: 'list', names: inputs.benchmarks }
            : null;
    if (selection) {
        info(`perf-gate: ${describeSelection(selection)}: this job uploads its results for the merge job (mode: merge), which gates all shards and posts the ledger and check run once; this job posts nothing and does not fail on its partial verdict`);
    }
    return selection;
}

/**
 * `mode: baseline`: record this run as the baseline (trusted events only, refused in the engine
 * otherwise). A shard of a baseline run only uploads: the merge job records the whole set.
 */
async function baselineMode(run) {
    const selection = shardSelection(run.inputs);
    await runActionJob(run, thisRun(run), { jobMode: selection ? 'gate' : 'baseline', selection });
}

/** `mode: dashboard`: the history site from the baseline store, in output-dir/dashboard. */
async function dashboardMode(run) {
    const { inputs, workspace } = run;
    const result = await runDashboardJob({
        store: openActionStore(inputs, workspace, coreLog),
        outDir: path.resolve(workspace, inputs.outputDir, 'dashboard'),
        configPath: configPath(run),
        configRequired: false,
        storeLabel: inputs.baselineStore,
        ...(inputs.testbed ? { testbed: inputs.testbed } : {}),
        ...(process.env.GITHUB_REPOSITORY
            ? { title: `${process.env.GITHUB_REPOSITORY} benchmarks` }
            : {}),
        repoUrl: repoUrlFromEnv(process.env),
        onWarning: (m) => warning(m)
    });
    setOutput('verdict', 'neutral');
    setOutput('route', 'none');
    setOutput('dashboard-path', result.outDir);
    info(`perf-gate: ${describeDashboard(result)}`);
}

/** `mode: history`: change points over the stored baselines, reported and never failing. */
async function historyMode(run) {
    const { inputs, workspace } = run;
    const result = await runHistoryJob({
        configPath: configPath(run),
        store: openActionStore(inputs, workspace, coreLog),
        outDir: path.resolve(workspace, inputs.outputDir),
        ...(inputs.testbed ? { testbed: inputs.testbed } : {})
    });
    if (result.assumed)
        for (const line of describeAssumed(result.assumed))
            info(line);
    setOutput('verdict', 'neutral');
    setOutput('route', 'none');
    setOutput('change-points', String(result.changePoints));
    setOutput('report-path', result.path);
    if (process.env.GITHUB_STEP_SUMMARY)
        await summary.addRaw(result.markdown).write();
    info(`perf-gate: history of testbed ${result.report.testbed}: ${result.changePoints} change point(s) over ${result.report.baselines} baseline(s); report in ${result.path}`);
    await fileRegressionIssues(run, result.report, result.config);
}

/** Reads each shard's results document; an artifact must hold exactly one. */
async function readShardResults(files) {
    const byLabel = new Map();
    for (const f of files)
        byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), f]);
    const out = [];
    for (const [label, group] of byLabel) {
        if (group.length !== 1) {
            throw new UserError(`${label} holds ${group.length} results files (${group.map((g) => g.file).join(', ')}); a shard uploads exactly one`);
        }
        const [only] = group;
        if (!only)
            continue;
        // parseResultSet reads synchronously; the await keeps a read error a rejection, not a throw.
        out.push({
            label,
            set: await Promise.resolve().then(() => parseResultSet(fileInput(only.file)))
        });
    }
    return out;
}
function mergeShards(shards, opts = {}) {
    if (shards.length === 0)
        throw new UserError('there are no shard results to merge');
    checkComplete(shards, opts);
    const first = shards[0];
    for (const s of shards) {
        if (s.set.testbed !== first.set.testbed) {
            throw new UserError(`${s.label} measured testbed '${s.set.testbed}' but ${first.label} measured '${first.set.testbed}'; one merge gates one testbed`);
        }
        if (s.set.commit.sha !== first.set.commit.sha) {
            throw new UserError(`${s.label} measured commit ${s.set.commit.sha ?? 'unknown'} but ${first.label} measured ${first.set.commit.sha ?? 'unknown'}; shards of one gate measure one commit`);
        }
    }
    const owner = new Map();
    const benchmarks = [];
    for (const s of shards) {
        for (const b of s.set.benchmarks) {
            const other = owner.get(b.name);
            if (other !== undefined) {
                throw new UserError(`benchmark '${b.name}' is in both ${other} and ${s.label}; give each benchmark to one shard`);
            }
            owner.set(b.name, s.label);
            benchmarks.push(b);
        }
    }
    return {
        $schema: RESULTS_SCHEMA_ID,
        version: RESULTS_VERSION,
        testbed: first.set.testbed,
        createdAt: shards.map((s) => s.set.createdAt).sort()[shards.length - 1] ?? first.set.createdAt,
        commit: {
            ...first.set.commit,
            ...(shards.some((s) => s.set.commit.dirty) ? { dirty: true } : {})
        },
        environment: mergeEnvironments(shards, opts.allow ?? []),
        benchmarks
    };
}
function checkComplete(shards, opts) {
    const seen = new Map();
    let count = opts.expected;
    for (const s of shards) {
        const spec = shardFromArtifactName(s.label);
        if (!spec)
            continue;
        if (count !== undefined && spec.count !== count) {
            throw new UserError(`${s.label} is shard ${spec.index} of ${spec.count}, but ${opts.expected !== undefined ? `input 'shards' is ${opts.expected}` : `other shards are of ${count}`}; every shard job must use the same n`);
        }
        count = spec.count;
        seen.set(spec.index, s.label);
    }
    if (count === undefined)
        return;
    if (seen.size === 0) {
        // Explicit lists carry no index: the count is all that can be checked.
        if (shards.length !== count) {
            throw new UserError(`expected ${count} shard results (input 'shards'), found ${shards.length}: ${shards.map((s) => s.label).join(', ')}`);
        }
        return;
    }
    const missing = [];
    for (let i = 1; i <= count; i++) {
        if (seen.has(i))
            continue;
        const members = opts.membersOf?.(i, count) ?? [];
        missing.push(`${i}/${count}${members.length > 0 ? ` (${members.join(', ')})` : ''}`);
    }
    if (missing.length > 0) {
        throw new UserError(`shard ${missing.join(', shard ')} ${missing.length === 1 ? 'is' : 'are'} missing: found only ${[...seen.values()].sort().join(', ')}. A shard job failed or did not upload its results; the merge gates only a complete set`);
    }
}
/**
 * One environment for the merged set, judged by the rule that decides whether a result is
 * comparable with its baseline (fingerprint-check): a key that would block that comparison (GPU
 * model and count, driver major, Ollama version, a benchmark's model digest) must agree between
 * shards unless allowed; other keys (kernel, CPU, host) keep every value seen, as "a | b".
 */
function mergeEnvironments(shards, allow) {
    const first = shards[0];
    const merged = {};
    // Each key's first value seen: every later shard is held to it, not to the joined values.
    const reference = {};
    const from = new Map();
    const differences = [];
    for (const s of shards) {
        const env = Object.fromEntries(Object.entries(s.set.environment).filter(([, v]) => v !== undefined));
        if (s !== first) {
            for (const d of checkFingerprint(reference, env, allow)) {
                if (d.effect !== 'block' || d.allowed)
                    continue;
                differences.push(`${d.key} is ${d.baseline ?? '(absent)'} in ${from.get(d.key) ?? first.label} but ${d.current ?? '(absent)'} in ${s.label}`);
            }
        }
        for (const [key, value] of Object.entries(env)) {
            if (from.has(key))
                continue;
            from.set(key, s.label);
            reference[key] = value;
        }
        mergeFingerprint(merged, env);
    }
    if (differences.length > 0) {
        throw new UserError(`the shards of testbed '${first.set.testbed}' ran on different machines: ${differences.slice(0, 4).join('; ')}${differences.length > 4 ? `; and ${differences.length - 4} more` : ''}. Pin the matrix to runners of one kind (runs-on labels), give each kind its own testbed, or list the key in allow-fingerprint-changes`);
    }
    // The schema keeps these numbers; the smallest is the conservative reading of the testbed.
    merged.cpuCount = Math.min(...shards.map((s) => s.set.environment.cpuCount));
    merged.memoryBytes = Math.min(...shards.map((s) => s.set.environment.memoryBytes));
    return merged;
}
/**
 * The merge job's results: the shards of the config's testbed, fetched (artifact prefix given),
 * read, checked and merged into one set to gate.
 */
async function mergeForConfig(opts) {
    const config = await loadConfig(opts.configPath);
    const testbed = opts.testbed ?? config.testbed;
    const names = config.benchmarks.map((b) => b.name);
    const shards = await readShardResults(await opts.fetch(shardArtifactPrefix(testbed)));
    const merged = mergeShards(shards, {
        ...(opts.expected !== undefined ? { expected: opts.expected } : {}),
        membersOf: (index, count) => shardMembers(names, { index, count }),
        ...(opts.allow ? { allow: opts.allow } : {})
    });
    if (opts.sha && merged.commit.sha && merged.commit.sha !== opts.sha) {
        throw new UserError(`the shard results are for commit ${merged.commit.sha}, but this run is for ${opts.sha}: they come from another run`);
    }
    return merged;
}

/**
 * `mode: merge`: the shards' results become one set, gated once. A merge on the default branch
 * (a trusted push) records them as one baseline; elsewhere it gates.
 */
async function mergeMode(run) {
    const { inputs, wf, workspace } = run;
    const jobMode = !wf.pull && baselineWriteDecision(wf.context).allowed ? 'baseline' : 'gate';
    const subject = thisRun(run);
    const scratch = scratchRoot();
    subject.mergeShards = async () => {
        const merged = await mergeForConfig({
            configPath: configPath(run),
            ...(inputs.testbed ? { testbed: inputs.testbed } : {}),
            ...(inputs.shards !== undefined ? { expected: inputs.shards } : {}),
            allow: inputs.allowFingerprintChanges,
            sha: subject.commit.sha,
            fetch: async (prefix) => inputs.resultsDir
                ? shardFilesInDir(path.resolve(workspace, inputs.resultsDir))
                : downloadShardResults(await defaultArtifactClient(), prefix, await mkdtemp(path.join(scratch, 'perf-gate-merge-')))
        });
        info(`perf-gate: merged ${merged.benchmarks.length} benchmark(s) from the shards; ${jobMode === 'baseline' ? 'recording them as the baseline' : 'gating them once'}`);
        return merged;
    };
    await runActionJob(run, subject, { jobMode, selection: null });
}

/**
 * `mode: report` (a `workflow_run` workflow): posts the results a pull request's run uploaded,
 * from a trusted context, once the artifact is checked against the PR's head.
 */
async function reportMode(run) {
    const { client, posture, wf, inputs } = run;
    if (!client || posture.kind !== 'write') {
        throw new UserError(`mode 'report' posts results, but ${posture.kind === 'files-only' ? posture.why : 'there is no token'}`);
    }
    const plan = await planReport(client, wf, path.resolve(run.workspace, inputs.resultsDir ?? ''));
    if (plan.kind === 'skip') {
        warning(`perf-gate: ${plan.why}`);
        setOutput('verdict', 'none');
        return;
    }
    info(`perf-gate: reporting run ${plan.runKey} of ${plan.headSha} on #${plan.pull.number}`);
    await runActionJob(run, {
        commit: { sha: plan.headSha, ref: plan.headBranch },
        target: {
            repo: wf.repository ?? { owner: '', repo: '' },
            headSha: plan.headSha,
            pullNumber: plan.pull.number,
            runKey: plan.runKey,
            ...(plan.runUrl ? { detailsUrl: plan.runUrl } : {})
        },
        runId: plan.runKey,
        runUrl: plan.runUrl ?? undefined,
        resultsFiles: plan.files,
        pullBase: plan.pull.baseRef
    }, { jobMode: 'gate', selection: null });
}

/** One module per mode of the action; a new mode is one module and one line here. */
const MODES = {
    gate: gateMode,
    baseline: baselineMode,
    compare: () => {
        throw new UserError("mode 'compare' is not available in this version of the action; use mode 'gate', 'baseline', 'report' or 'merge' (the CLI has 'perf-gate compare')");
    },
    report: reportMode,
    merge: mergeMode,
    history: historyMode,
    dashboard: dashboardMode
};
/** The module of the input `mode`, or the one line that says which modes there are. */
function modeFor(name) {
    const mode = Object.hasOwn(MODES, name) ? MODES[name] : undefined;
    if (!mode) {
        throw new UserError(`input 'mode' must be one of ${Object.keys(MODES).join(', ')}; got '${name}'`);
    }
    return mode;
}

const FAIL_ON = ['fail', 'warn', 'never'];
/** `getInput` is a parameter so tests can read inputs from a plain object. */
function readInputs(get = (n) => getInput(n)) {
    const opt = (name) => {
        const v = get(name).trim();
        return v === '' ? undefined : v;
    };
    const oneOf = (name, allowed, fallback) => {
        const v = opt(name) ?? fallback;
        if (!allowed.includes(v)) {
            throw new UserError(`input '${name}' must be one of ${allowed.join(', ')}; got '${v}'`);
        }
        return v;
    };
    const bool = (name, fallback) => {
        const v = opt(name);
        if (v === undefined)
            return fallback;
        if (/^(true|yes|on|1)$/i.test(v))
            return true;
        if (/^(false|no|off|0)$/i.test(v))
            return false;
        throw new UserError(`input '${name}' must be true or false; got '${v}'`);
    };
    const maybeBool = (name) => {
        const v = opt(name);
        return v === undefined ? undefined : bool(name, false);
    };
    const integer = (name, min) => {
        const v = opt(name);
        if (v === undefined)
            return undefined;
        if (!/^\d+$/.test(v) || Number(v) < min)
            throw new UserError(`input '${name}' must be an integer >= ${min}; got '${v}'`);
        return Number(v);
    };
    const mode = opt('mode') ?? 'gate';
    if (mode === 'report' && opt('results-dir') === undefined) {
        throw new UserError("mode 'report' needs the input 'results-dir': the folder the results artifact was downloaded to");
    }
    const shard = opt('shard');
    const benchmarks = opt('benchmarks');
    if (shard !== undefined && benchmarks !== undefined) {
        throw new UserError("set input 'shard' or input 'benchmarks', not both");
    }
    if ((shard ?? benchmarks) !== undefined && mode !== 'gate' && mode !== 'baseline') {
        throw new UserError(`input '${shard !== undefined ? 'shard' : 'benchmarks'}' selects what a shard job runs; it is not read in mode '${mode}'`);
    }
    const ab = maybeBool('ab');
    if (ab && mode !== 'gate') {
        throw new UserError(`input 'ab' is read in mode 'gate' only; got mode '${mode}'`);
    }
    if (ab && opt('results') !== undefined) {
        throw new UserError("input 'ab' measures both trees itself; it cannot be combined with 'results'");
    }
    return {
        mode,
        config: opt('config') ?? 'perf-gate.yml',
        results: opt('results'),
        baselineResults: opt('baseline-results'),
        baselineStore: opt('baseline-store') ?? DEFAULT_STORE,
        baselineRetention: integer('baseline-retention', 1),
        githubToken: opt('github-token'),
        failOn: oneOf('fail-on', FAIL_ON, 'fail'),
        comment: bool('comment', true),
        checkRun: bool('check-run', true),
        outputDir: opt('output-dir') ?? '.perf-gate/out',
        rawDir: opt('raw-dir') ?? 'benchmarks/results/raw',
        testbed: opt('testbed'),
        repetitions: integer('repetitions', 1),
        note: opt('note'),
        acceptLabel: opt('accept-label') ?? 'perf-gate:accept',
        resultsDir: opt('results-dir'),
        baselineMaxDistance: integer('baseline-max-distance', 0) ?? 50,
        allowFingerprintChanges: (opt('allow-fingerprint-changes') ?? '')
            .split(/[\s,]+/)
            .filter((k) => k !== ''),
        shard: shard === undefined ? undefined : parseShard(shard),
        benchmarks: benchmarks === undefined ? undefined : parseBenchmarkList(benchmarks),
        shards: integer('shards', 1),
        analystModel: opt('analyst-model'),
        ab,
        dashboardUrl: httpUrl('dashboard-url', opt('dashboard-url')),
        promoteDraft: oneOf('promote-draft', PROMOTE_DRAFT, 'false'),
        openIssues: bool('open-issues', false)
    };
}
function httpUrl(name, v) {
    if (v === undefined)
        return undefined;
    if (!isDashboardUrl(v)) {
        throw new UserError(`input '${name}' must be an http(s) URL; got '${v}'`);
    }
    return v;
}

/**
 * The action: reads the inputs, then runs the mode's module (src/action/modes/). It is the only
 * place that fails the step on an error; a mode fails it on its verdict.
 */
async function run() {
    try {
        const inputs = readInputs();
        if (inputs.githubToken)
            setSecret(inputs.githubToken);
        await modeFor(inputs.mode)(readActionRun(inputs));
    }
    catch (e) {
        // Stopped by a signal: the signal's own line says what happened, not the command it ended.
        if (stoppingOn())
            return;
        // A user error is one actionable line; anything else is a bug, so keep the stack in the debug log.
        const problem = isUserError(e) ? e : (pathError(e) ?? e);
        if (!isUserError(problem) && e instanceof Error && e.stack)
            debug(e.stack);
        setFailed(terminalText(`perf-gate: ${boundMessage(errorMessage(problem))}`));
    }
}

/** The action's entry point: everything happens in run(). */
// A cancelled workflow sends SIGINT, then SIGTERM 7.5 s later: end the benchmark's process group
// (on a self-hosted GPU runner a leftover holds GPU memory for the next job) and say so.
/* istanbul ignore next */
stopOnSignals({ write: (line) => error(line) });
/* istanbul ignore next */
void run();

export { BearerCredentialHandler as B, HttpClient as H, HttpCodes as a, debug as d, error as e, info as i, setSecret as s, warning as w };
