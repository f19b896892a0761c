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
import { lstat as lstat$1, readdir as readdir$1, mkdir as mkdir$1, mkdtemp, copyFile as copyFile$1 } from 'node:fs/promises';
import path from 'node:path';
import { o as openStore, D as DEFAULT_STORE, r as runHistoryJob } from './chunks/history-mode.js';
import { U as UserError, q as parseBenchmarkList, w as parseShard, l as loadConfig, x as shardArtifactPrefix, p as parseResultSet, m as fileInput, R as RESULTS_VERSION, n as RESULTS_SCHEMA_ID, y as shardFromArtifactName, z as checkFingerprint, A as mergeFingerprint, B as shardMembers, h as errorMessage, a as sanitizeText, b as formatPercent, v as valueDelta, d as formatCi, e as valueCi, C as CHECK_RUN_NAME, H as HOPLOG_END, D as HOPLOG_START, E as isLedger, F as hopMarker, G as renderLedger, I as baselineWriteDecision, J as describeSelection, r as runJob, K as shardArtifactName, g as isUserError } from './chunks/engine.js';
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
import 'node:crypto';
import 'process';
import 'buffer';
import 'node:string_decoder';
import 'url';
import 'module';
import 'node:child_process';
import 'node:os';
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

const ACTION_MODES = ['gate', 'baseline', 'compare', 'report', 'merge', 'history'];
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
    const integer = (name, min) => {
        const v = opt(name);
        if (v === undefined)
            return undefined;
        if (!/^\d+$/.test(v) || Number(v) < min)
            throw new UserError(`input '${name}' must be an integer >= ${min}; got '${v}'`);
        return Number(v);
    };
    const mode = oneOf('mode', ACTION_MODES, 'gate');
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
        analystModel: opt('analyst-model')
    };
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

/*
 * GitHub's refusals turned into what the user should change. The status alone is ambiguous (a 403
 * is a missing permission or a rate limit), so the headers and message decide.
 */
/** Thrown by the adapters when a call failed for good; `message` is ready to print. */
class GitHubApiError extends Error {
    kind;
    status;
    name = 'GitHubApiError';
    constructor(kind, message, status) {
        super(message);
        this.kind = kind;
        this.status = status;
    }
}
// GitHub names permissions as the REST API does; the workflow file spells them with dashes.
function workflowPermission(p) {
    return p.trim().replace(/_/g, '-').replace('=', ': ');
}
/** `issues=write; pull_requests=write` (any of) → `issues: write` or `pull-requests: write`. */
function neededPermissions(header) {
    return header
        .split(';')
        .map((alt) => alt.split(',').map(workflowPermission).join(' and '))
        .join(' or ');
}
function apiMessage(e) {
    const data = e.response?.data;
    const parts = [typeof data?.message === 'string' ? data.message : (e.message ?? '')];
    for (const err of data?.errors ?? [])
        if (typeof err.message === 'string')
            parts.push(err.message);
    return parts.filter(Boolean).join(': ').replace(/\s+/g, ' ').trim();
}
function header(e, name) {
    const v = e.response?.headers?.[name];
    return v === undefined ? undefined : String(v);
}
// A secondary limit names its own wait (`retry-after`); the hourly window's reset only applies once
// that window is spent, and quoting it otherwise tells the user to wait an hour for nothing.
function resetTime(e) {
    const after = Number(header(e, 'retry-after'));
    if (Number.isFinite(after) && after > 0)
        return ` for the next ${after} s`;
    if (header(e, 'x-ratelimit-remaining') !== '0')
        return '';
    const reset = Number(header(e, 'x-ratelimit-reset'));
    if (!Number.isFinite(reset) || reset <= 0)
        return '';
    return ` until ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC`;
}
/**
 * The failure of `what` ("creating the check run") as one actionable sentence. Unknown errors
 * (bugs, not API answers) are passed through untouched.
 */
function explainApiError(e, what) {
    if (e instanceof GitHubApiError)
        return e;
    if (typeof e !== 'object' || e === null)
        return e;
    const err = e;
    const status = typeof err.status === 'number' ? err.status : undefined;
    const msg = apiMessage(err);
    if (timedOut(err)) {
        return new GitHubApiError('timeout', `${what}: GitHub did not answer in time`, status);
    }
    if (status === undefined)
        return e;
    if (status === 401) {
        return new GitHubApiError('token', `${what}: GitHub rejected the token (401 ${msg || 'Bad credentials'}). Check the github-token input; a GITHUB_TOKEN expires when its job ends (at the latest after 24 h), so a job that benchmarks for longer should post from a separate, later job.`, status);
    }
    const limited = header(err, 'x-ratelimit-remaining') === '0' || /rate limit/i.test(msg) || status === 429;
    if ((status === 403 || status === 429) && limited) {
        return new GitHubApiError('rate-limit', `${what}: GitHub's rate limit is exhausted${resetTime(err)} (${status} ${msg}). The results are in the job summary; re-run the job later to post them.`, status);
    }
    if (status === 403 && /authenticate via a GitHub App/i.test(msg)) {
        return new GitHubApiError('app-only', `${what}: only a GitHub App token (such as GITHUB_TOKEN) may create check runs; a personal access token cannot (403 ${msg}). Use the default github-token, or set check-run: false.`, status);
    }
    if (status === 403) {
        const accepted = header(err, 'x-accepted-github-permissions');
        const fix = accepted
            ? `Add \`permissions: ${neededPermissions(accepted)}\` to the job`
            : 'Give the job the permissions it needs (checks: write, pull-requests: write)';
        return new GitHubApiError('permission', `${what}: the token may not do this (403 ${msg}). ${fix}; a pull request from a fork never gets a write token, so post from a workflow_run workflow with mode: report.`, status);
    }
    if (status === 404) {
        return new GitHubApiError('not-found', `${what}: not found (404). The repository, pull request or comment does not exist or is not visible to this token.`, status);
    }
    if (status === 410) {
        return new GitHubApiError('gone', `${what}: GitHub answered 410 Gone (${msg}); issues may be disabled for this repository.`, status);
    }
    if (status === 409 || status === 422) {
        return new GitHubApiError(status === 409 ? 'conflict' : 'invalid', `${what}: GitHub refused the request (${status} ${msg}).`, status);
    }
    if (status >= 500) {
        return new GitHubApiError('server', `${what}: GitHub failed (${status} ${msg}) and kept failing after retries.`, status);
    }
    return new GitHubApiError('invalid', `${what}: GitHub answered ${status} (${msg}).`, status);
}
// Octokit wraps the fetch's rejection (a DOMException, "Unknown Error") and keeps it as the cause.
function timedOut(err) {
    return err.name === 'TimeoutError' || err.cause?.name === 'TimeoutError';
}
/** True when the request may have been applied although it reported failure. */
function mayHaveLanded(e) {
    if (typeof e !== 'object' || e === null)
        return false;
    const err = e;
    if (timedOut(err))
        return true;
    return typeof err.status === 'number' && err.status >= 500;
}
function statusOf(e) {
    if (typeof e !== 'object' || e === null)
        return undefined;
    const s = e.status;
    return typeof s === 'number' ? s : undefined;
}

function toState(p) {
    return {
        number: p.number,
        open: p.state === 'open',
        headSha: p.head.sha,
        headRepo: p.head.repo?.full_name ?? null,
        baseRef: p.base?.ref ?? null,
        draft: p.draft ?? false,
        body: p.body ?? '',
        labels: p.labels
            .map((l) => (typeof l === 'string' ? l : (l.name ?? '')))
            .filter((n) => n !== '')
    };
}
async function getPull(client, repo, number) {
    try {
        const { data } = await client.rest.pulls.get({ ...repo, pull_number: number });
        return toState(data);
    }
    catch (e) {
        throw explainApiError(e, `reading pull request #${number}`);
    }
}
/** Who most recently put `label` on the issue, from its event history; null when not recorded. */
async function labeledBy(client, repo, number, label) {
    let who = null;
    const pages = client.paginate.iterator(client.rest.issues.listEvents, {
        ...repo,
        issue_number: number,
        per_page: 100
    });
    for await (const page of pages) {
        for (const ev of page.data) {
            if (!('label' in ev) || ev.label?.name !== label)
                continue;
            if (ev.event === 'labeled')
                who = ev.actor?.login ?? null;
            else if (ev.event === 'unlabeled')
                who = null;
        }
    }
    return who;
}
/**
 * The open pull request a `workflow_run` measured, found from the run's own head (sha, branch,
 * repository) as GitHub reports it in the event, never from anything the measured run uploaded.
 * GitHub leaves `pull_requests` empty for forks, so the open PRs of the head branch are listed and
 * the one whose head is still that sha is taken. Null when the PR is closed or has moved on.
 */
async function findPullForRun(client, repo, run) {
    if (!run.headSha)
        return { pull: null, why: 'the workflow_run event has no head_sha' };
    const candidates = new Map();
    try {
        for (const n of run.pullRequests)
            candidates.set(n, await getPull(client, repo, n));
        if (run.headRepo && run.headBranch) {
            const owner = run.headRepo.split('/')[0] ?? '';
            const pages = client.paginate.iterator(client.rest.pulls.list, {
                ...repo,
                state: 'open',
                head: `${owner}:${run.headBranch}`,
                per_page: 100
            });
            for await (const page of pages) {
                for (const p of page.data) {
                    if (p.head.repo?.full_name !== run.headRepo)
                        continue;
                    candidates.set(p.number, toState(p));
                }
            }
        }
    }
    catch (e) {
        throw explainApiError(e, 'finding the pull request of the measured run');
    }
    const open = [...candidates.values()].filter((p) => p.open);
    const match = open.filter((p) => p.headSha === run.headSha);
    if (match.length === 1 && match[0])
        return { pull: match[0], why: `#${match[0].number}` };
    if (match.length > 1) {
        return {
            pull: null,
            why: `several open pull requests (${match.map((p) => `#${p.number}`).join(', ')}) have head ${run.headSha}; not guessing`
        };
    }
    if (open.length > 0) {
        return {
            pull: null,
            why: `the pull request's head moved on (${open.map((p) => `#${p.number} is at ${p.headSha.slice(0, 7)}`).join(', ')}) since ${run.headSha.slice(0, 7)} was measured`
        };
    }
    return {
        pull: null,
        why: `no open pull request has head ${run.headSha.slice(0, 7)} on ${run.headRepo ?? '?'}:${run.headBranch ?? '?'} (closed, or not a pull request)`
    };
}

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
                throw explainApiError(e, `listing the commits before ${sha.slice(0, 7)}`);
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
const REPORT_HINT = 'Upload the results file (output results-path) as an artifact and post it from a workflow_run workflow with mode: report; see the README.';

/*
 * Route B with a written justification: a reviewer puts the acceptance label on the pull request
 * and its description says why the regression is worth it, on a line of its own:
 *
 *     perf-gate-accept: the new tokenizer is 3 % slower and fixes #123, see the benchmark notes
 *
 * The label is the decision (applying it takes triage access, and GitHub records who did); the
 * line is the reason. A label without a reason accepts nothing, so the ledger never records an
 * acceptance nobody explained.
 */
const JUSTIFICATION_KEY = 'perf-gate-accept';
const MIN_REASON_LENGTH = 10;
const LINE = /^[ \t]*(?:[-*][ \t]+)?perf-gate-accept[ \t]*:[ \t]*(.*)$/im;
/** The justification from a PR body: the key's line and the lines under it up to a blank one. */
function readJustification(body) {
    const lines = body.replace(/\r\n?/g, '\n').split('\n');
    const at = lines.findIndex((l) => LINE.test(l));
    if (at < 0)
        return null;
    const parts = [LINE.exec(lines[at] ?? '')?.[1] ?? ''];
    for (const l of lines.slice(at + 1)) {
        if (l.trim() === '' || /^\s*(#|```|<!--)/.test(l))
            break;
        parts.push(l.trim());
    }
    const reason = parts.join(' ').replace(/\s+/g, ' ').trim();
    return reason.length >= MIN_REASON_LENGTH ? reason : null;
}
/** Whether the PR asks to accept a regression, and whether it says why. */
function checkAcceptance(pr, label) {
    if (!pr.labels.includes(label))
        return { kind: 'not-requested' };
    const reason = readJustification(pr.body);
    if (reason)
        return { kind: 'accepted', reason };
    return {
        kind: 'no-reason',
        message: `the pull request has the label '${label}' but its description has no '${JUSTIFICATION_KEY}: <why>' line (at least ${MIN_REASON_LENGTH} characters), so the regression is not accepted`
    };
}
/**
 * A failing or warning outcome turned neutral on Route B. Passing and neutral outcomes have
 * nothing to accept and are returned as they are.
 */
function acceptOutcome(outcome, acceptance) {
    if (outcome.verdict !== 'fail' && outcome.verdict !== 'warn')
        return null;
    const who = acceptance.by ? `@${acceptance.by}` : 'a reviewer';
    return {
        outcome: {
            ...outcome,
            verdict: 'neutral',
            route: 'B',
            reason: `accepted by ${who} with the label '${acceptance.label}': ${outcome.reason}`
        },
        acceptance: { ...acceptance, was: outcome.verdict }
    };
}

/** The Checks API takes at most this many annotations per request; more go in later updates. */
const ANNOTATIONS_PER_REQUEST = 50;
function specFor(specs, bench) {
    return specs.find((s) => s.name === bench) ?? specs.find((s) => bench.startsWith(`${s.name}/`));
}
/**
 * One annotation per config entry with a regression, on the line that defines it in
 * `perf-gate.yml`: that is where a budget is changed or a benchmark fixed, and it is the only line a
 * perf gate can honestly point at. `accepted` regressions (Route B) are notices, not failures.
 */
function regressionAnnotations(comparisons, specs, configPath, opts = {}) {
    const bySpec = new Map();
    for (const c of comparisons) {
        if (c.verdict !== 'fail' && c.verdict !== 'warn')
            continue;
        const spec = specFor(specs, c.benchmark);
        if (!spec)
            continue;
        bySpec.set(spec, [...(bySpec.get(spec) ?? []), c]);
    }
    return [...bySpec].map(([spec, cs]) => {
        const failed = cs.some((c) => c.verdict === 'fail');
        const level = opts.accepted ? 'notice' : failed ? 'failure' : 'warning';
        // Annotation messages are plain text: cleaned of control and bidi characters, line by line.
        const lines = cs
            .slice(0, 40)
            .map((c) => sanitizeText(`${c.benchmark} ${c.metric}: ${formatPercent(valueDelta(c))} (90 % CI ${formatCi(valueCi(c))}), ${c.verdict}: ${c.reason}`, { maxLength: 400 }));
        return {
            path: configPath,
            start_line: spec.line,
            end_line: spec.line,
            annotation_level: level,
            title: sanitizeText(`perf: ${spec.name} ${failed ? 'fails' : 'warns'}`, { maxLength: 200 }),
            message: lines.join('\n') + (cs.length > 40 ? `\n… ${cs.length - 40} more` : '')
        };
    });
}

async function findExisting(client, repo, headSha, externalId) {
    const { data } = await client.rest.checks.listForRef({
        ...repo,
        ref: headSha,
        check_name: CHECK_RUN_NAME,
        filter: 'all',
        per_page: 100
    });
    const run = data.check_runs.find((r) => r.external_id === externalId);
    return run ? { id: run.id, url: run.html_url ?? run.url, appSlug: run.app?.slug ?? null } : null;
}
async function createOnce(client, repo, body, log) {
    for (let attempt = 1;; attempt++) {
        try {
            const params = { ...repo, ...body, request: { retries: 0 } };
            const { data } = await client.rest.checks.create(params);
            return { id: data.id, url: data.html_url ?? data.url, appSlug: data.app?.slug ?? null };
        }
        catch (e) {
            if (!mayHaveLanded(e) || attempt >= 3)
                throw explainApiError(e, 'creating the check run');
            log(`Creating the check run failed (${e.message}); looking whether it landed.`);
            const found = await findExisting(client, repo, body.head_sha, body.external_id).catch(() => null);
            if (found)
                return found;
        }
    }
}
async function startCheckRun(client, repo, start, log = () => undefined) {
    return createOnce(client, repo, {
        name: CHECK_RUN_NAME,
        head_sha: start.headSha,
        status: 'in_progress',
        started_at: start.startedAt,
        external_id: start.externalId,
        ...(start.detailsUrl ? { details_url: start.detailsUrl } : {}),
        output: {
            title: 'perf: running',
            summary: 'The benchmarks are running; the verdict follows when they finish.'
        }
    }, log);
}
function batches(items, size) {
    const out = [];
    for (let i = 0; i < items.length; i += size)
        out.push(items.slice(i, i + size));
    return out;
}
/**
 * Completes `existing` (or creates the run completed, when starting it failed or was skipped) with
 * the verdict, then sends the annotations beyond the first 50 in further updates, which append.
 */
async function completeCheckRun(client, repo, existing, payload, opts) {
    const log = opts.log ?? (() => undefined);
    const [first = [], ...rest] = batches(opts.annotations ?? [], ANNOTATIONS_PER_REQUEST);
    const output = { ...payload.output, ...(first.length ? { annotations: first } : {}) };
    let ref;
    if (existing) {
        try {
            await client.rest.checks.update({
                ...repo,
                check_run_id: existing.id,
                status: 'completed',
                conclusion: payload.conclusion,
                completed_at: payload.completed_at,
                ...(payload.details_url ? { details_url: payload.details_url } : {}),
                output
            });
        }
        catch (e) {
            throw explainApiError(e, 'completing the check run');
        }
        ref = existing;
    }
    else {
        ref = await createOnce(client, repo, { ...payload, external_id: opts.externalId, output }, log);
    }
    for (const batch of rest) {
        try {
            await client.rest.checks.update({
                ...repo,
                check_run_id: ref.id,
                output: { title: payload.output.title, summary: payload.output.summary, annotations: batch }
            });
        }
        catch (e) {
            throw explainApiError(e, 'adding annotations to the check run');
        }
    }
    return ref;
}

/*
 * Whose comments are ours. An installation token (GITHUB_TOKEN, any GitHub App) may not call
 * GET /user, and GET /app wants the app's private key, so the check run we create answers it: its
 * `app.slug` is the app we act as, and that app comments as `<slug>[bot]`. Without a check run a
 * personal token still has GET /user; an installation token that refuses it is taken to be
 * GITHUB_TOKEN, whose comments are by `github-actions[bot]`.
 */
const ACTIONS_BOT = 'github-actions[bot]';
function identityOfApp(slug) {
    return { login: `${slug}[bot]`, source: 'check run' };
}
async function resolveIdentity(client, known) {
    if (known)
        return known;
    try {
        const { data } = await client.rest.users.getAuthenticated();
        return { login: data.login, source: 'GET /user' };
    }
    catch (e) {
        if (statusOf(e) === 403)
            return { login: ACTIONS_BOT, source: 'default' };
        throw explainApiError(e, 'finding out who the token belongs to');
    }
}

/*
 * Two runs that both found no ledger each create one. The older comment stays; before the newer
 * one is deleted, every hop entry it holds that the older lacks is carried over, so a race costs
 * no history. Entries are lines; perf-gate's carry a key comment and match by it, other tools'
 * match by their exact text.
 */
const KEY = /<!-- [\w.-]+:hop:[^>]*? -->/;
const FOLDED = /^- … \d+ earlier entr(?:y|ies) folded\r?$/;
function hopLines(body) {
    const s = body.indexOf(HOPLOG_START);
    if (s < 0)
        return null;
    const e = body.indexOf(HOPLOG_END, s + HOPLOG_START.length);
    if (e < 0)
        return null;
    return body.slice(s + HOPLOG_START.length, e).split('\n');
}
function identityOf(line) {
    return KEY.exec(line)?.[0] ?? line.trim();
}
/** `into` with the hop entries of `from` it lacks appended to its hop log, in `from`'s order. */
function mergeHopEntries(into, from) {
    const theirs = hopLines(from);
    const ours = hopLines(into);
    if (!theirs || !ours)
        return into;
    const known = new Set(ours.map(identityOf));
    const missing = theirs.filter((l) => l.trim() !== '' && !FOLDED.test(l) && !known.has(identityOf(l)));
    if (missing.length === 0)
        return into;
    const end = into.indexOf(HOPLOG_END, into.indexOf(HOPLOG_START));
    const before = into.slice(0, end);
    const sep = before.endsWith('\n') ? '' : '\n';
    return `${before}${sep}${missing.join('\n')}\n${into.slice(end)}`;
}

const defaultSleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function listComments(client, issue) {
    const out = [];
    const pages = client.paginate.iterator(client.rest.issues.listComments, {
        owner: issue.owner,
        repo: issue.repo,
        issue_number: issue.number,
        per_page: 100
    });
    for await (const page of pages) {
        for (const c of page.data) {
            out.push({ id: c.id, body: c.body ?? '', login: c.user?.login ?? null, url: c.html_url });
        }
    }
    return out;
}
/** Our ledgers, oldest first. Anchors in anyone else's comment are not ours to adopt or edit. */
function ours(all, identity, warned, log) {
    const ledgers = all.filter((c) => isLedger(c.body));
    for (const c of ledgers) {
        if (c.login !== identity.login && !warned.has(c.id)) {
            warned.add(c.id);
            log(`Comment ${c.id} by ${c.login ?? 'a deleted user'} looks like a ledger but is not by ${identity.login}; it is left alone.`);
        }
    }
    return ledgers.filter((c) => c.login === identity.login).sort((a, b) => a.id - b.id);
}
async function upsertLedger(client, issue, write, opts) {
    const log = opts.log ?? (() => undefined);
    const sleep = opts.sleep ?? defaultSleep;
    const maxAttempts = opts.maxAttempts ?? 5;
    const settle = () => sleep(opts.settleMs * (1 + Math.random()));
    const warned = new Set();
    const repo = { owner: issue.owner, repo: issue.repo };
    let created = false;
    // Set while the latest round failed to create the comment, so giving up names that failure.
    let createFailure = null;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        let all;
        try {
            all = await listComments(client, issue);
        }
        catch (e) {
            throw explainApiError(e, `reading the comments of #${issue.number}`);
        }
        const [canonical, ...extras] = ours(all, opts.identity, warned, log);
        if (!canonical) {
            createFailure = null;
            try {
                // Never retried blindly: after a 5xx the comment may exist, and the next round looks first.
                await client.rest.issues.createComment({
                    ...repo,
                    issue_number: issue.number,
                    body: write.render(null),
                    request: { retries: 0 }
                });
                created = true;
            }
            catch (e) {
                if (!mayHaveLanded(e))
                    throw explainApiError(e, `creating the ledger comment on #${issue.number}`);
                createFailure = e;
                log(`Creating the ledger comment failed (${e.message}); looking whether it landed.`);
            }
            await settle();
            continue;
        }
        createFailure = null;
        let body = write.render(canonical.body);
        for (const extra of extras)
            body = mergeHopEntries(body, extra.body);
        // Unchanged means the listing (taken after the last settle) already shows our part.
        const wrote = body !== canonical.body;
        /** The comment's body once a settle has passed, for a writer that lost a race to show. */
        const readBack = async () => {
            await settle();
            const { data } = await client.rest.issues.getComment({ ...repo, comment_id: canonical.id });
            return data.body ?? '';
        };
        let current = canonical.body;
        if (wrote) {
            try {
                await client.rest.issues.updateComment({ ...repo, comment_id: canonical.id, body });
                current = await readBack();
            }
            catch (e) {
                throw explainApiError(e, `updating the ledger comment ${canonical.id}`);
            }
        }
        const landed = (text) => write.proof ? text.includes(write.proof) : write.render(text) === text;
        const extrasKept = extras.every((x) => mergeHopEntries(current, x.body) === current);
        if (!landed(current) || !extrasKept) {
            log(`The ledger changed under us (attempt ${attempt}); merging again.`);
            continue;
        }
        if (wrote) {
            // A run that read the body before our write may still be writing its own, without our
            // entry: look once more after another settle. (Without a conditional write this narrows
            // the window to a run whose read and write straddle two settles; it cannot close it.)
            try {
                current = await readBack();
            }
            catch (e) {
                throw explainApiError(e, `reading back the ledger comment ${canonical.id}`);
            }
            if (!landed(current)) {
                log(`The ledger was overwritten after our write (attempt ${attempt}); merging again.`);
                continue;
            }
        }
        const removed = [];
        for (const extra of extras) {
            try {
                await client.rest.issues.deleteComment({ ...repo, comment_id: extra.id });
                removed.push(extra.id);
            }
            catch (e) {
                // Another run may have deleted it first; anything else only leaves a duplicate behind.
                log(`Could not delete the duplicate ledger ${extra.id}: ${e.message}`);
            }
        }
        return { commentId: canonical.id, url: canonical.url, created, attempts: attempt, removed };
    }
    if (createFailure !== null) {
        throw explainApiError(createFailure, `creating the ledger comment on #${issue.number}`);
    }
    throw new GitHubApiError('conflict', `updating the ledger comment on #${issue.number}: it kept changing under concurrent runs after ${maxAttempts} attempts`, undefined);
}

class Publisher {
    client;
    target;
    settings;
    log;
    checkRun = null;
    pull = null;
    accepter = null;
    identity = null;
    tokenRejected = false;
    problems = [];
    constructor(client, target, settings, log) {
        this.client = client;
        this.target = target;
        this.settings = settings;
        this.log = log;
    }
    problem(e, what) {
        const err = explainApiError(e, what);
        if (!(err instanceof GitHubApiError))
            throw err;
        if (err.kind === 'token')
            this.tokenRejected = true;
        this.problems.push(err.message);
        this.log.warning(err.message);
    }
    get externalId() {
        return `perf-gate:${this.target.runKey ?? this.target.headSha ?? 'local'}`;
    }
    /** Before the benchmarks: the check run goes in progress and the PR is read for acceptance. */
    async start() {
        const { target, settings } = this;
        if (settings.checkRun && target.headSha) {
            try {
                this.checkRun = await startCheckRun(this.client, target.repo, {
                    headSha: target.headSha,
                    externalId: this.externalId,
                    startedAt: new Date().toISOString(),
                    ...(target.detailsUrl ? { detailsUrl: target.detailsUrl } : {})
                }, (m) => this.log.info(m));
                if (this.checkRun.appSlug)
                    this.identity = identityOfApp(this.checkRun.appSlug);
                this.log.info(`check run ${this.checkRun.id} is in progress on ${target.headSha}`);
            }
            catch (e) {
                this.problem(e, 'creating the check run');
            }
        }
        if (target.pullNumber !== null && !this.tokenRejected) {
            try {
                this.pull = await getPull(this.client, target.repo, target.pullNumber);
                if (this.pull.labels.includes(settings.acceptLabel)) {
                    this.accepter = await labeledBy(this.client, target.repo, target.pullNumber, settings.acceptLabel).catch(() => null);
                }
            }
            catch (e) {
                this.problem(e, `reading pull request #${target.pullNumber}`);
            }
        }
    }
    /** Route B: a regression accepted with the label and a written reason becomes neutral. */
    review(outcome) {
        if (!this.pull || (outcome.verdict !== 'fail' && outcome.verdict !== 'warn'))
            return null;
        const check = checkAcceptance(this.pull, this.settings.acceptLabel);
        switch (check.kind) {
            case 'not-requested':
                return null;
            case 'no-reason':
                this.log.warning(`perf-gate: ${check.message}.`);
                return null;
            case 'accepted':
                return acceptOutcome(outcome, {
                    label: this.settings.acceptLabel,
                    by: this.accepter,
                    reason: check.reason
                });
        }
    }
    /** After the benchmarks: the check run completes, the ledger is upserted. */
    async finish(result) {
        if (!this.tokenRejected)
            await this.completeCheck(result);
        const comment = this.tokenRejected || !this.settings.comment ? null : await this.postLedger(result);
        return {
            commentId: comment?.commentId ?? null,
            commentUrl: comment?.url ?? null,
            checkRunId: this.checkRun?.id ?? null,
            checkRunUrl: this.checkRun?.url ?? null,
            problems: this.problems
        };
    }
    /** The run ended in an error: a check run left in progress would block the PR forever. */
    async abort(message) {
        if (!this.checkRun || this.tokenRejected || !this.target.headSha)
            return;
        try {
            await completeCheckRun(this.client, this.target.repo, this.checkRun, {
                name: CHECK_RUN_NAME,
                head_sha: this.target.headSha,
                status: 'completed',
                conclusion: 'failure',
                completed_at: new Date().toISOString(),
                output: {
                    title: 'perf: the gate could not run',
                    summary: message.slice(0, 4000),
                    text: ''
                }
            }, { externalId: this.externalId });
        }
        catch (e) {
            this.problem(e, 'completing the check run after the error');
        }
    }
    async completeCheck(result) {
        const headSha = this.target.headSha;
        if (!this.settings.checkRun || !headSha)
            return;
        try {
            this.checkRun = await completeCheckRun(this.client, this.target.repo, this.checkRun, { ...result.checkRun, head_sha: headSha }, {
                externalId: this.externalId,
                annotations: annotationsFor(result, result.config, this.settings.configPath),
                log: (m) => this.log.info(m)
            });
            if (this.checkRun.appSlug)
                this.identity = identityOfApp(this.checkRun.appSlug);
            this.log.info(`check run ${this.checkRun.id}: ${result.checkRun.conclusion}`);
        }
        catch (e) {
            this.problem(e, 'completing the check run');
        }
    }
    async postLedger(result) {
        const number = this.target.pullNumber;
        if (number === null)
            return null;
        const what = `posting the ledger on #${number}`;
        try {
            // Read again: the PR may have been closed, or moved on, while the benchmarks ran.
            const pull = await getPull(this.client, this.target.repo, number);
            if (!pull.open) {
                const msg = `Pull request #${number} was closed while the gate ran; the ledger was not updated (the verdict is in the job summary and the check run).`;
                this.problems.push(msg);
                this.log.warning(msg);
                return null;
            }
            const current = pull.headSha === this.target.headSha;
            if (!current) {
                this.log.info(`#${number} has moved on to ${pull.headSha.slice(0, 7)}; only the hop log records this run of ${this.target.headSha?.slice(0, 7) ?? '?'}.`);
            }
            this.identity = await resolveIdentity(this.client, this.identity);
            const posted = await upsertLedger(this.client, { ...this.target.repo, number }, {
                render: (existing) => renderLedger(existing, result.report, { updateRow: current }),
                proof: hopMarker(result.report.runId)
            }, {
                identity: this.identity,
                settleMs: this.settings.settleMs,
                log: (m) => this.log.info(m)
            });
            this.log.info(`ledger comment ${posted.commentId} ${posted.created ? 'created' : 'updated'} (${posted.url})`);
            return posted;
        }
        catch (e) {
            this.problem(e, what);
            return null;
        }
    }
}
function annotationsFor(result, config, configPath) {
    return regressionAnnotations(result.outcome.comparisons, config.benchmarks, configPath, {
        accepted: result.report.acceptance !== undefined
    });
}
/** The config path as the repository names it (annotations are relative to the repository root). */
function repositoryPath(file, workspace) {
    const rel = path.relative(workspace, path.resolve(workspace, file));
    return rel.split(path.sep).join('/');
}

const coreLog = { warning: (m) => warning(m), info: (m) => info(m) };
const coreReporter = {
    info: (m) => info(m),
    warning: (m) => warning(m),
    group: (title, fn) => group(title, fn)
};
/**
 * The action. It reads the inputs, runs the shared engine, publishes what the engine decided as
 * outputs, job summary, files, check run and ledger comment. It is the only place that fails the
 * step; posting problems fail it only in mode report, whose whole job is to post.
 */
async function run() {
    let publisher = null;
    try {
        const inputs = readInputs();
        if (inputs.mode === 'compare') {
            throw new UserError(`mode '${inputs.mode}' is not available in this version of the action; use mode 'gate', 'baseline', 'report' or 'merge' (the CLI has 'perf-gate compare')`);
        }
        if (inputs.githubToken)
            setSecret(inputs.githubToken);
        if (inputs.mode === 'history')
            return await historyMode(inputs);
        const wf = readWorkflowRun();
        const api = readApiSettings();
        const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
        const posture = decidePosture(wf, inputs.githubToken);
        const client = posture.kind === 'write' && inputs.githubToken
            ? createClient(inputs.githubToken, {
                baseUrl: api.baseUrl,
                tuning: api.tuning,
                log: (m) => info(m)
            })
            : null;
        let subject = {
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
        if (inputs.mode === 'report') {
            if (!client || posture.kind !== 'write') {
                throw new UserError(`mode 'report' posts results, but ${posture.kind === 'files-only' ? posture.why : 'there is no token'}`);
            }
            const plan = await planReport(client, wf, path.resolve(workspace, inputs.resultsDir ?? ''));
            if (plan.kind === 'skip') {
                warning(`perf-gate: ${plan.why}`);
                setOutput('verdict', 'none');
                return;
            }
            subject = {
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
            };
            info(`perf-gate: reporting run ${plan.runKey} of ${plan.headSha} on #${plan.pull.number}`);
        }
        const selection = inputs.shard
            ? { kind: 'shard', shard: inputs.shard }
            : inputs.benchmarks
                ? { kind: 'list', names: inputs.benchmarks }
                : null;
        // A merge on the default branch records the shards as one baseline; elsewhere it gates.
        const jobMode = inputs.mode === 'merge'
            ? !wf.pull && baselineWriteDecision(wf.context).allowed
                ? 'baseline'
                : 'gate'
            : inputs.mode === 'baseline' && !selection
                ? 'baseline'
                : 'gate';
        if (inputs.mode === 'merge') {
            const scratch = scratchRoot();
            subject.mergeShards = async () => {
                const merged = await mergeForConfig({
                    configPath: relativeToCwd(path.resolve(workspace, inputs.config)),
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
        }
        if (selection) {
            info(`perf-gate: ${describeSelection(selection)}: this job uploads its results for the merge job (mode: merge), which gates all shards and posts the ledger and check run once; this job posts nothing and does not fail on its partial verdict`);
        }
        const posting = jobMode !== 'baseline' && !selection && (inputs.comment || inputs.checkRun);
        if (client && subject.target && posting) {
            publisher = new Publisher(client, subject.target, {
                comment: inputs.comment,
                checkRun: inputs.checkRun,
                acceptLabel: inputs.acceptLabel,
                configPath: repositoryPath(inputs.config, workspace),
                settleMs: 1000 * api.tuning.timeScale
            }, coreReporter);
        }
        else if (posting && posture.kind === 'files-only') {
            const say = posture.warn ? warning : notice;
            say(`perf-gate: the ledger and check run are written to files, not posted: ${posture.why}.` +
                (posture.warn ? ` ${REPORT_HINT}` : ''));
        }
        const pub = publisher;
        const result = await runJob({
            mode: jobMode,
            configPath: relativeToCwd(path.resolve(workspace, inputs.config)),
            ...(inputs.results && !subject.resultsFiles ? { resultsGlob: inputs.results } : {}),
            ...(subject.resultsFiles ? { resultsFiles: subject.resultsFiles } : {}),
            ...(subject.mergeShards ? { resultSet: subject.mergeShards } : {}),
            ...(selection ? { select: selection } : {}),
            store: openActionStore(inputs, workspace, coreLog),
            outDir: path.resolve(workspace, inputs.outputDir),
            rawDir: inputs.rawDir,
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
            ...(pub ? { onStart: () => pub.start(), review: (o) => pub.review(o) } : {}),
            // A baseline is recorded whatever it would be compared with; a fork's run calls no API.
            lineage: githubLineage({
                client: jobMode === 'baseline' ? null : client,
                wf,
                sha: subject.commit.sha,
                aboutPull: inputs.mode === 'report',
                pullBase: subject.pullBase ?? null,
                maxDistance: inputs.baselineMaxDistance
            }),
            allowFingerprintChanges: inputs.allowFingerprintChanges
        });
        const published = pub ? await pub.finish(result) : null;
        setOutputs(result, published);
        await writeSummary(result, wf, inputs);
        info(`perf-gate: ${result.outcome.verdict}: ${result.outcome.reason}`);
        if (selection) {
            const name = shardArtifactName(result.config.testbed, selection);
            if (await uploadShard(name, result.paths.results, (m) => warning(m))) {
                info(`perf-gate: uploaded the shard results as artifact ${name}`);
            }
            return;
        }
        if (inputs.mode === 'report' && published && published.problems.length > 0) {
            setFailed(`perf-gate: could not post the report: ${published.problems.join(' ')}`);
        }
        else if (result.failed) {
            setFailed(`perf-gate: ${result.outcome.verdict}: ${result.outcome.reason}`);
        }
    }
    catch (e) {
        // A user error is one actionable line; anything else is a bug, so keep the stack in the debug log.
        if (!isUserError(e) && e instanceof Error && e.stack)
            debug(e.stack);
        await publisher?.abort(`perf-gate: ${errorMessage(e)}`);
        setFailed(`perf-gate: ${errorMessage(e)}`);
    }
}
/** `mode: history`: change points over the stored baselines, reported and never failing. */
async function historyMode(inputs) {
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const result = await runHistoryJob({
        configPath: relativeToCwd(path.resolve(workspace, inputs.config)),
        store: openActionStore(inputs, workspace, coreLog),
        outDir: path.resolve(workspace, inputs.outputDir),
        ...(inputs.testbed ? { testbed: inputs.testbed } : {})
    });
    setOutput('verdict', 'neutral');
    setOutput('route', 'none');
    setOutput('change-points', String(result.changePoints));
    setOutput('report-path', result.path);
    if (process.env.GITHUB_STEP_SUMMARY)
        await summary.addRaw(result.markdown).write();
    info(`perf-gate: history of testbed ${result.report.testbed}: ${result.changePoints} change point(s) over ${result.report.baselines} baseline(s); report in ${result.path}`);
}
function setOutputs(result, published) {
    const { outcome } = result;
    setOutput('verdict', outcome.verdict);
    setOutput('route', outcome.route);
    setOutput('regressions', String(outcome.regressions));
    setOutput('improvements', String(outcome.improvements));
    setOutput('accepted', String(result.report.acceptance !== undefined));
    setOutput('report-path', result.paths.report);
    setOutput('results-path', result.paths.results);
    setOutput('ledger-path', result.paths.ledger);
    setOutput('check-run-path', result.paths.checkRun);
    setOutput('comment-id', published?.commentId?.toString() ?? '');
    setOutput('comment-url', published?.commentUrl ?? '');
    setOutput('check-run-id', published?.checkRunId?.toString() ?? '');
    setOutput('check-run-url', published?.checkRunUrl ?? '');
}
async function writeSummary(result, wf, inputs) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const fork = inputs.mode === 'gate' && wf.pull?.fromFork;
    const note = fork
        ? `\n> This pull request comes from a fork, so this run could not post the ledger or the check run. ${REPORT_HINT}\n`
        : '';
    await summary.addRaw(result.summary + note).write();
}
/** `perf-gate.yml` rather than `/home/runner/work/app/app/perf-gate.yml` in error messages. */
function relativeToCwd(file) {
    const rel = path.relative(process.cwd(), file);
    return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

/** The action's entry point: everything happens in run(). */
/* istanbul ignore next */
void run();

export { BearerCredentialHandler as B, HttpClient as H, HttpCodes as a, debug as d, error as e, info as i, setSecret as s, warning as w };
