import { XMLParser, XMLValidator } from "fast-xml-parser";
import { fail, MAX_BODY_BYTES, ok, type Parsed } from "./result";

/**
 * Namespace-tolerant access to a parsed XML tree. Elements keep their prefixes (`wd:Worker`), every element is
 * an array, attributes are `@_name`, text is `#text` when an element also has attributes. Lookups go by local
 * name because prefixes vary between senders (`env`/`soap`/`S`, `wd`/`bsvc`, `ns2`/`ns3`).
 */
export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name, _jpath, _isLeaf, isAttribute) => !isAttribute,
});

/** Limits on an untrusted XML document, checked by a linear scan before any parser sees it. */
export const XML_LIMITS = { elements: 50_000, attributes: 50_000, attributesPerElement: 64 } as const;

/**
 * Counts start tags and their attributes in one pass (an attribute is an `=` outside quotes inside a tag).
 * Parsers spend far more per attribute than per byte, so an attribute-heavy body is refused here, cheaply.
 */
export function xmlShapeProblem(body: string): string | undefined {
  let elements = 0;
  let attributes = 0;
  for (let i = body.indexOf("<"); i >= 0 && i < body.length; i = body.indexOf("<", i + 1)) {
    const next = body.charCodeAt(i + 1);
    const isStartTag =
      (next >= 65 && next <= 90) || (next >= 97 && next <= 122) || next === 95 || next === 58;
    if (!isStartTag) continue;
    if (++elements > XML_LIMITS.elements) return `XML has more than ${XML_LIMITS.elements} elements`;
    let inTag = 0;
    let quote = 0;
    let j = i + 1;
    for (; j < body.length; j++) {
      const c = body.charCodeAt(j);
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 || c === 0x27) quote = c;
      else if (c === 0x3d) inTag++;
      else if (c === 0x3e) break;
    }
    if (inTag > XML_LIMITS.attributesPerElement) {
      return `an XML element has more than ${XML_LIMITS.attributesPerElement} attributes`;
    }
    attributes += inTag;
    if (attributes > XML_LIMITS.attributes) return `XML has more than ${XML_LIMITS.attributes} attributes`;
    i = j;
  }
  return undefined;
}

/**
 * Parses untrusted XML. DOCTYPE and entity declarations are refused before any parser sees them: they are how
 * XXE and entity-expansion ("billion laughs") attacks work, and no HR system needs them.
 */
export function parseUntrustedXml(body: string): Parsed<XmlNode> {
  if (Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES) {
    return fail("too_large", `body is larger than ${MAX_BODY_BYTES} bytes`);
  }
  if (/<!DOCTYPE/i.test(body)) return fail("forbidden_dtd", "XML with a DOCTYPE declaration is not accepted");
  if (/<!ENTITY/i.test(body)) return fail("forbidden_dtd", "XML with an ENTITY declaration is not accepted");
  if (body.trim() === "") return fail("malformed", "body is empty");
  const shape = xmlShapeProblem(body);
  if (shape !== undefined) return fail("too_large", shape);
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    return fail("malformed", `XML is not well-formed: ${valid.err.msg} (line ${valid.err.line})`);
  }
  try {
    return ok(parser.parse(body) as XmlNode);
  } catch (error) {
    return fail(
      "malformed",
      `XML is not well-formed: ${error instanceof Error ? error.message : "parse error"}`,
    );
  }
}

export const localName = (qualified: string): string => qualified.slice(qualified.indexOf(":") + 1);
export const prefixOf = (qualified: string): string =>
  qualified.includes(":") ? qualified.slice(0, qualified.indexOf(":")) : "";

/** Element children of `node` whose local name is `name`. */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  if (!node) return [];
  const found: XmlNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("@_") || key === "#text" || localName(key) !== name) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      found.push(typeof item === "object" && item !== null ? (item as XmlNode) : { "#text": String(item) });
    }
  }
  return found;
}

export const child = (node: XmlNode | undefined, name: string): XmlNode | undefined =>
  children(node, name)[0];

/** Follows a path of local names, taking the first match at each step. */
export function path(node: XmlNode | undefined, ...names: string[]): XmlNode | undefined {
  let current = node;
  for (const name of names) current = child(current, name);
  return current;
}

/** The element's trimmed text, or undefined when it is absent or empty. */
export function text(node: XmlNode | undefined): string | undefined {
  if (!node) return undefined;
  const value = node["#text"];
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return undefined;
  const trimmed = String(value).trim();
  return trimmed === "" ? undefined : trimmed;
}

export const textAt = (node: XmlNode | undefined, ...names: string[]): string | undefined =>
  text(path(node, ...names));

/** An attribute by local name (`wd:type` and `type` both match `type`). */
export function attr(node: XmlNode | undefined, name: string): string | undefined {
  if (!node) return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("@_") && localName(key.slice(2)) === name && typeof value === "string") return value;
  }
  return undefined;
}

/** The `ID` child of a Workday reference with the given `wd:type`. */
export const idOfType = (reference: XmlNode | undefined, type: string): string | undefined =>
  text(children(reference, "ID").find((id) => attr(id, "type") === type));

/** The first top-level element of a parsed document, with its qualified name. */
export function rootElement(doc: XmlNode): { name: string; node: XmlNode } | undefined {
  for (const [key, value] of Object.entries(doc)) {
    if (key.startsWith("@_") || key === "#text") continue;
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === "object" && first !== null) return { name: key, node: first as XmlNode };
  }
  return undefined;
}

/**
 * The namespace URI of an element's prefix, declared on the element itself or on one of the given ancestors
 * (nearest first). Used to dispatch on root element and namespace rather than on the URL alone.
 */
export function namespaceOf(
  qualifiedName: string,
  element: XmlNode,
  ancestors: XmlNode[] = [],
): string | undefined {
  const prefix = prefixOf(qualifiedName);
  const attribute = prefix === "" ? "@_xmlns" : `@_xmlns:${prefix}`;
  for (const scope of [element, ...ancestors]) {
    const uri = scope[attribute];
    if (typeof uri === "string") return uri;
  }
  return undefined;
}

/** A SOAP 1.1/1.2 envelope's Header and first Body element, or the document root when there is no envelope. */
export function soapParts(
  doc: XmlNode,
): { header?: XmlNode; name: string; node: XmlNode; ancestors: XmlNode[] } | undefined {
  const root = rootElement(doc);
  if (!root) return undefined;
  if (localName(root.name) !== "Envelope") return { name: root.name, node: root.node, ancestors: [] };
  const body = child(root.node, "Body");
  const inner = body ? rootElement(body) : undefined;
  if (!body || !inner) return undefined;
  return {
    header: child(root.node, "Header"),
    name: inner.name,
    node: inner.node,
    ancestors: [body, root.node],
  };
}

const XML_ESCAPES: Record<string, string> = {
  "<": "&lt;",
  ">": "&gt;",
  "&": "&amp;",
  '"': "&quot;",
  "'": "&apos;",
};

/** Escapes text for an XML element or attribute value. */
export const escapeXml = (value: string): string => value.replace(/[<>&"']/g, (c) => XML_ESCAPES[c] ?? c);
