import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BASIC } from '@hyperjump/json-schema/experimental';
import {
  setShouldValidateFormat,
  validate,
  type Validator as SchemaValidator,
} from '@hyperjump/json-schema/openapi-3-1';
import '@hyperjump/json-schema/formats';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { Exchange } from './recording-proxy.js';

type Json = Parameters<SchemaValidator>[0];

/**
 * Checks recorded traffic against an OpenAPI 3.1 document with validators that share nothing with
 * Fastify: @seriousme/openapi-schema-validator for the document, @hyperjump/json-schema (the OAS 3.1
 * dialect) for every body, header and parameter. Which status, media type and headers an answer
 * may have is read from the document here, in a few lines a reader can check against the spec.
 */

type Node = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Headers of the connection, not of an operation (`content-type` is checked as the media type). */
const TRANSPORT_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'content-type',
]);

setShouldValidateFormat(true);

export interface Verdict {
  /** `GET /api/v1/users/{id}`, or null when no path of the document matches. */
  readonly operation: string | null;
  readonly violations: string[];
}

export class OpenApiDocument {
  private readonly validators = new Map<string, SchemaValidator>();

  private constructor(
    readonly document: Node,
    private readonly uri: string,
  ) {}

  /** Problems with the document itself: it must be valid OpenAPI 3.1, with every `$ref` resolving. */
  static async load(document: Node): Promise<{ document: OpenApiDocument; problems: string[] }> {
    const problems: string[] = [];
    const structural = await new Validator().validate(document as never);
    if (!structural.valid) problems.push(`not valid OpenAPI: ${JSON.stringify(structural.errors).slice(0, 2000)}`);
    const dialect = await validate('https://spec.openapis.org/oas/3.1/schema-base', document as Json, BASIC);
    if (!dialect.valid)
      problems.push(`schemas not valid in the OAS 3.1 dialect: ${JSON.stringify(dialect.errors).slice(0, 2000)}`);
    for (const target of refsIn(document)) {
      if (!target.startsWith('#/') || resolvePointer(document, target.slice(1)) === undefined)
        problems.push(`$ref ${target} does not resolve`);
    }
    // Hyperjump reads OpenAPI documents by URI; a fresh name per load keeps its cache honest.
    const file = join(tmpdir(), `portico-${randomUUID()}.openapi.json`);
    writeFileSync(file, JSON.stringify(document));
    return { document: new OpenApiDocument(document, pathToFileURL(file).href), problems };
  }

  async check(exchange: Exchange): Promise<Verdict> {
    const found = this.findOperation(exchange);
    if (!found) return { operation: null, violations: [] };
    const { template, method, operation, pathValues } = found;
    const pointer = `/paths/${escape(template)}/${method}`;
    const violations = [
      ...this.checkSecurity(exchange, operation),
      ...(await this.checkResponse(exchange, operation, pointer)),
    ];
    const invalid = await this.requestProblems(exchange, operation, pointer, pathValues);
    if (invalid.length > 0 && exchange.status < 300) {
      violations.push(`answered ${exchange.status} to a request the document calls invalid: ${invalid.join('; ')}`);
    }
    return { operation: `${method.toUpperCase()} ${template}`, violations };
  }

  private findOperation(
    exchange: Exchange,
  ): { template: string; method: string; operation: Node; pathValues: Map<string, string> } | null {
    const path = new URL(exchange.url, 'http://x').pathname;
    const method = exchange.method.toLowerCase();
    const paths = (this.document.paths ?? {}) as Record<string, Node>;
    // Literal paths before templated ones, as OpenAPI asks.
    const templates = Object.keys(paths).sort((a, b) => a.split('{').length - b.split('{').length);
    for (const template of templates) {
      const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      const literal = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
      const match = new RegExp(`^${literal.join('([^/]+)')}$`).exec(path);
      if (!match) continue;
      const operation = paths[template]![method] as Node | undefined;
      const pathValues = new Map(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
      return operation && METHODS.includes(method) ? { template, method, operation, pathValues } : null;
    }
    return null;
  }

  private checkSecurity(exchange: Exchange, operation: Node): string[] {
    const requirements = (operation.security ?? this.document.security ?? []) as Node[];
    const open = requirements.length === 0 || requirements.some((r) => Object.keys(r).length === 0);
    const anonymous = exchange.requestHeaders.authorization === undefined;
    if (anonymous && !open && exchange.status < 300)
      return [`answered ${exchange.status} without credentials, but the document requires them`];
    // A 401 `unauthorized` asks for a token (a login's 401 `invalid_credentials` does not).
    if (anonymous && open && exchange.status === 401 && problemCode(exchange) === 'unauthorized') {
      return ['asked an anonymous caller for a token (401 unauthorized), but the document says anyone may call'];
    }
    return [];
  }

  private async checkResponse(exchange: Exchange, operation: Node, pointer: string): Promise<string[]> {
    const responses = (operation.responses ?? {}) as Record<string, Node>;
    const status = String(exchange.status);
    const key = [status, `${status[0]}XX`, 'default'].find((k) => k in responses);
    if (key === undefined) return [`status ${status} is not declared (declared: ${Object.keys(responses).join(', ')})`];
    const { node: response, at } = this.deref(responses[key]!, `${pointer}/responses/${escape(key)}`);
    return [...(await this.checkBody(exchange, response, at)), ...(await this.checkHeaders(exchange, response, at))];
  }

  private async checkBody(exchange: Exchange, response: Node, at: string): Promise<string[]> {
    const content = (response.content ?? {}) as Record<string, Node>;
    const declared = Object.keys(content);
    const sent = essence(exchange.responseHeaders['content-type']);
    if (exchange.responseBody === '' || exchange.method === 'HEAD') {
      return declared.length > 0 ? [`sent no body, but the document declares ${declared.join(', ')}`] : [];
    }
    const mediaType = matchMediaType(sent, declared);
    if (mediaType === undefined)
      return [
        `sent ${sent || 'a body without Content-Type'}, but the document declares ${declared.join(', ') || 'no body'}`,
      ];
    if (content[mediaType]!.schema === undefined) return [];
    const body = parseBody(sent, exchange.responseBody);
    if (body instanceof Error) return [`the ${sent} body does not parse: ${body.message}`];
    return this.mismatch(`${at}/content/${escape(mediaType)}/schema`, body, `the ${status(exchange)} body`);
  }

  private async checkHeaders(exchange: Exchange, response: Node, at: string): Promise<string[]> {
    const declared = new Map(
      Object.entries((response.headers ?? {}) as Record<string, Node>).map(([name, header]) => {
        const { node, at: headerAt } = this.deref(header, `${at}/headers/${escape(name)}`);
        return [name.toLowerCase(), { name, node, at: headerAt }] as const;
      }),
    );
    const violations: string[] = [];
    for (const [name, value] of Object.entries(exchange.responseHeaders)) {
      if (TRANSPORT_HEADERS.has(name)) continue;
      const header = declared.get(name);
      if (!header) {
        violations.push(`header ${name} is not declared for ${status(exchange)}`);
        continue;
      }
      const text = Array.isArray(value) ? value.join(', ') : (value ?? '');
      const schema = this.deref((header.node.schema ?? {}) as Node, `${header.at}/schema`);
      violations.push(
        ...(await this.mismatch(`${header.at}/schema`, fromText(text, schema.node), `header ${header.name}`)),
      );
    }
    for (const { name, node } of declared.values()) {
      if (node.required === true && exchange.responseHeaders[name.toLowerCase()] === undefined) {
        violations.push(`required header ${name} is missing from ${status(exchange)}`);
      }
    }
    return violations;
  }

  /** What is wrong with the request by the document's parameters and request body. */
  private async requestProblems(
    exchange: Exchange,
    operation: Node,
    pointer: string,
    pathValues: Map<string, string>,
  ): Promise<string[]> {
    const problems: string[] = [];
    const url = new URL(exchange.url, 'http://x');
    const parameters = (operation.parameters ?? []) as Node[];
    for (const [index, entry] of parameters.entries()) {
      const { node: parameter, at } = this.deref(entry, `${pointer}/parameters/${index}`);
      const name = String(parameter.name);
      const raw = parameterValue(parameter, url, exchange, pathValues);
      if (raw === undefined) {
        if (parameter.required === true) problems.push(`${parameter.in} parameter ${name} is missing`);
        continue;
      }
      const schema = this.deref((parameter.schema ?? {}) as Node, `${at}/schema`);
      problems.push(
        ...(await this.mismatch(`${at}/schema`, fromText(raw, schema.node), `${parameter.in} parameter ${name}`)),
      );
    }
    return [...problems, ...(await this.requestBodyProblems(exchange, operation, pointer))];
  }

  private async requestBodyProblems(exchange: Exchange, operation: Node, pointer: string): Promise<string[]> {
    if (operation.requestBody === undefined) return [];
    const { node: requestBody, at } = this.deref(operation.requestBody as Node, `${pointer}/requestBody`);
    if (exchange.requestBody === '') return requestBody.required === true ? ['the body is required'] : [];
    const sent = essence(exchange.requestHeaders['content-type']);
    const mediaType = matchMediaType(sent, Object.keys((requestBody.content ?? {}) as Node));
    if (mediaType === undefined) return [`a ${sent || 'typeless'} body is not accepted`];
    const body = parseBody(sent, exchange.requestBody);
    if (body instanceof Error) return ['the body does not parse'];
    return this.mismatch(`${at}/content/${escape(mediaType)}/schema`, body, 'the request body');
  }

  /** Validates `instance` against the schema at `pointer` of the document; a line per failure. */
  private async mismatch(pointer: string, instance: unknown, what: string): Promise<string[]> {
    const uri = `${this.uri}#${pointer.split('/').map(encodeURIComponent).join('/')}`;
    const validator = this.validators.get(uri) ?? (await validate(uri));
    this.validators.set(uri, validator);
    const output = validator(instance as Json, BASIC);
    if (output.valid) return [];
    const failures = (output.errors ?? []).map(
      (e) => `${e.instanceLocation} fails ${e.absoluteKeywordLocation.split('#')[1]}`,
    );
    return [`${what} does not match its schema: ${JSON.stringify(instance).slice(0, 200)} — ${failures.join(', ')}`];
  }

  /** Follows a local `$ref` (a response, header or parameter object kept in components). */
  private deref(node: Node, at: string): { node: Node; at: string } {
    let current = { node, at };
    for (let hops = 0; typeof current.node.$ref === 'string' && hops < 10; hops += 1) {
      const target = (current.node.$ref as string).slice(1);
      current = { node: resolvePointer(this.document, target) as Node, at: target };
    }
    return current;
  }
}

function status(exchange: Exchange): string {
  return `the ${exchange.status} answer to ${exchange.method} ${exchange.url.split('?')[0]}`;
}

function problemCode(exchange: Exchange): unknown {
  try {
    return (JSON.parse(exchange.responseBody) as { code?: unknown }).code;
  } catch {
    return undefined;
  }
}

function parameterValue(
  parameter: Node,
  url: URL,
  exchange: Exchange,
  pathValues: Map<string, string>,
): string | undefined {
  const name = String(parameter.name);
  if (parameter.in === 'query') return url.searchParams.get(name) ?? undefined;
  if (parameter.in === 'header') {
    const value = exchange.requestHeaders[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : value;
  }
  return parameter.in === 'path' ? pathValues.get(name) : undefined;
}

/** A parameter or header arrives as text; its schema says what value the text stands for. */
function fromText(text: string, schema: Node): unknown {
  const type = schema.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

function essence(contentType: string | string[] | undefined): string {
  const value = Array.isArray(contentType) ? contentType[0] : contentType;
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}

function matchMediaType(sent: string, declared: readonly string[]): string | undefined {
  if (sent === '') return undefined;
  const byEssence = (key: string) => essence(key);
  return (
    declared.find((key) => byEssence(key) === sent) ??
    declared.find((key) => byEssence(key) === `${sent.split('/')[0]}/*`) ??
    declared.find((key) => byEssence(key) === '*/*')
  );
}

function parseBody(mediaType: string, text: string): unknown {
  // A browser's form (the hosted pages): its fields, as the route's body schema describes them.
  if (mediaType === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  if (!/^application\/(.+\+)?json$/.test(mediaType)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return error as Error;
  }
}

function escape(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function resolvePointer(document: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => decodeURIComponent(s).replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
}

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === '$ref' && typeof value === 'string' ? [value] : refsIn(value),
  );
}
