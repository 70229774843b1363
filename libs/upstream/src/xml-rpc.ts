/**
 * The slice of XML-RPC that PyPI's changelog needs: a methodCall with int/string parameters,
 * and methodResponse values (int/i4/i8, string or untyped text, boolean, double, nil, array,
 * struct) or a fault. fast-xml-parser in preserve-order mode keeps array elements in order.
 *
 * `changelog_since_serial` rows are `[name, version, timestamp, action, serial]`; PyPI caps a
 * call at 50,000 rows, so callers page by the last serial they saw.
 */
import { XMLParser } from 'fast-xml-parser';
import { MalformedResponseError, XmlRpcFaultError } from './upstream-errors';

/** An XML-RPC value. */
export type XmlRpcValue = number | string | boolean | null | XmlRpcValue[] | { [key: string]: XmlRpcValue };

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The body of a methodCall. */
export function xmlRpcRequest(method: string, params: ReadonlyArray<number | string>): string {
  const encoded = params
    .map((p) => `<param><value>${typeof p === 'number' ? `<int>${p}</int>` : `<string>${escapeXml(p)}</string>`}</value></param>`)
    .join('');
  return `<?xml version="1.0"?><methodCall><methodName>${escapeXml(method)}</methodName><params>${encoded}</params></methodCall>`;
}

type Node = Record<string, unknown> & { '#text'?: unknown };

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: true, parseTagValue: false, trimValues: false, processEntities: true });

const tagOf = (node: Node) => Object.keys(node).find((k) => k !== ':@' && k !== '#text') ?? '#text';
const childrenOf = (node: Node): Node[] => (node[tagOf(node)] as Node[] | undefined) ?? [];
const elements = (nodes: Node[]) => nodes.filter((n) => tagOf(n) !== '#text');
const textOf = (nodes: Node[]) => nodes.map((n) => (tagOf(n) === '#text' ? String(n['#text']) : '')).join('');

function decodeValue(value: Node, url: string): XmlRpcValue {
  const inner = elements(childrenOf(value));
  if (inner.length === 0) return textOf(childrenOf(value));
  const typed = inner[0];
  const tag = tagOf(typed);
  const kids = childrenOf(typed);
  switch (tag) {
    case 'int':
    case 'i4':
    case 'i8':
    case 'double': {
      const n = Number(textOf(kids).trim());
      if (!Number.isFinite(n)) throw new MalformedResponseError(`bad <${tag}> ${textOf(kids)}`, url);
      return n;
    }
    case 'string':
      return textOf(kids);
    case 'boolean':
      return textOf(kids).trim() === '1';
    case 'nil':
      return null;
    case 'array': {
      const data = elements(kids).find((n) => tagOf(n) === 'data');
      return data === undefined ? [] : elements(childrenOf(data)).map((v) => decodeValue(v, url));
    }
    case 'struct': {
      const out: { [key: string]: XmlRpcValue } = {};
      for (const member of elements(kids)) {
        const parts = elements(childrenOf(member));
        const name = parts.find((n) => tagOf(n) === 'name');
        const v = parts.find((n) => tagOf(n) === 'value');
        if (name !== undefined && v !== undefined) out[textOf(childrenOf(name))] = decodeValue(v, url);
      }
      return out;
    }
    default:
      throw new MalformedResponseError(`unknown XML-RPC type <${tag}>`, url);
  }
}

/**
 * Decodes a methodResponse.
 * @throws XmlRpcFaultError for a fault; MalformedResponseError when it is not a methodResponse.
 */
export function parseXmlRpcResponse(xml: string, url: string): XmlRpcValue {
  let doc: Node[];
  try {
    doc = parser.parse(xml) as Node[];
  } catch (error) {
    throw new MalformedResponseError(`not XML: ${(error as Error).message}`, url, null, { cause: error });
  }
  const response = elements(doc).find((n) => tagOf(n) === 'methodResponse');
  if (response === undefined) throw new MalformedResponseError('no <methodResponse>', url);
  const body = elements(childrenOf(response))[0];
  const find = (nodes: Node[], tag: string) => elements(nodes).find((n) => tagOf(n) === tag);
  if (body !== undefined && tagOf(body) === 'fault') {
    const value = find(childrenOf(body), 'value');
    const fault = value === undefined ? {} : decodeValue(value, url);
    const f = typeof fault === 'object' && fault !== null && !Array.isArray(fault) ? fault : {};
    throw new XmlRpcFaultError(typeof f.faultCode === 'number' ? f.faultCode : null, String(f.faultString ?? 'fault'), url);
  }
  const param = body !== undefined && tagOf(body) === 'params' ? find(childrenOf(body), 'param') : undefined;
  const value = param === undefined ? undefined : find(childrenOf(param), 'value');
  if (value === undefined) throw new MalformedResponseError('methodResponse without a value', url);
  return decodeValue(value, url);
}

/** One row of `changelog_since_serial`. */
export interface ChangelogEntry {
  readonly name: string;
  readonly version: string | null;
  readonly timestamp: number;
  readonly action: string;
  readonly serial: number;
}

/** Reads `changelog_since_serial` rows. @throws MalformedResponseError for rows of another shape. */
export function changelogEntries(value: XmlRpcValue, url: string): ChangelogEntry[] {
  if (!Array.isArray(value)) throw new MalformedResponseError('changelog is not an array', url);
  return value.map((row) => {
    if (!Array.isArray(row) || row.length < 5 || typeof row[0] !== 'string' || typeof row[3] !== 'string' || typeof row[4] !== 'number') {
      throw new MalformedResponseError(`changelog row ${JSON.stringify(row)} is not [name, version, timestamp, action, serial]`, url);
    }
    return {
      name: row[0],
      version: typeof row[1] === 'string' ? row[1] : null,
      timestamp: typeof row[2] === 'number' ? row[2] : 0,
      action: row[3],
      serial: row[4],
    };
  });
}
