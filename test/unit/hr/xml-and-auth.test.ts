import { Secret } from "../../../src/config/secret";
import {
  constantTimeEqual,
  signBody,
  verifyBasic,
  verifyHmacSignature,
  verifyUsernameToken,
  withoutSecurityHeader,
} from "../../../src/hr/auth";
import { jsonDepth, parseUntrustedJson } from "../../../src/hr/json";
import { logValue } from "../../../src/hr/log-value";
import { MAX_BODY_BYTES } from "../../../src/hr/result";
import { parseUntrustedXml, soapParts, XML_LIMITS } from "../../../src/hr/xml";
import { readSample } from "../../support/hr";

describe("untrusted JSON", () => {
  it("measures nesting in one pass, ignoring brackets inside strings", () => {
    expect(jsonDepth('{"a":[1,{"b":"[[[[\\"]]]"}]}')).toBe(3);
    expect(parseUntrustedJson(`${"[".repeat(33)}${"]".repeat(33)}`)).toEqual({
      ok: false,
      error: { kind: "too_large", message: "JSON is nested more than 32 levels deep" },
    });
    expect(parseUntrustedJson(`${"[".repeat(32)}${"]".repeat(32)}`)).toMatchObject({ ok: true });
  });
});

describe("values in log lines", () => {
  it("escapes what could forge or hide a log entry, and cuts long values", () => {
    expect(logValue("100482\n[error] forged")).toBe("100482\\u000a[error] forged");
    expect(logValue("a\u202eb\\c")).toBe("a\\u202eb\\\\c");
    expect(logValue("x".repeat(500))).toHaveLength(129);
    expect(logValue(undefined)).toBe("(none)");
  });
});

describe("untrusted XML", () => {
  it("refuses external entities (XXE) before parsing", () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>';
    expect(parseUntrustedXml(xxe)).toEqual({
      ok: false,
      error: { kind: "forbidden_dtd", message: "XML with a DOCTYPE declaration is not accepted" },
    });
  });

  it("refuses entity expansion (billion laughs), with or without a DOCTYPE keyword", () => {
    const laughs = `<!DOCTYPE l [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]><l>&b;</l>`;
    expect(parseUntrustedXml(laughs)).toMatchObject({ ok: false, error: { kind: "forbidden_dtd" } });
    expect(parseUntrustedXml('<!ENTITY a "x"><r/>')).toMatchObject({
      ok: false,
      error: { kind: "forbidden_dtd" },
    });
  });

  it("refuses an attribute-heavy or element-heavy body by counting, before any parser runs", () => {
    const attributes = Array.from({ length: XML_LIMITS.attributesPerElement + 1 }, (_, i) => ` a${i}="x"`);
    expect(parseUntrustedXml(`<r${attributes.join("")}/>`)).toEqual({
      ok: false,
      error: { kind: "too_large", message: "an XML element has more than 64 attributes" },
    });
    const elements = `<r>${"<e/>".repeat(XML_LIMITS.elements + 1)}</r>`;
    expect(parseUntrustedXml(elements)).toMatchObject({ ok: false, error: { kind: "too_large" } });
    // Quoted ">" and "=" inside attribute values are not counted as tags or attributes.
    expect(parseUntrustedXml(`<r a="x>y=z" b='1'><c d="="/></r>`)).toMatchObject({ ok: true });
  });

  it("refuses bodies over 1 MB and names malformed XML with its line", () => {
    const big = `<r>${"a".repeat(MAX_BODY_BYTES)}</r>`;
    expect(parseUntrustedXml(big)).toMatchObject({ ok: false, error: { kind: "too_large" } });
    expect(parseUntrustedXml("<a>\n<b></a>")).toMatchObject({
      ok: false,
      error: { kind: "malformed", message: expect.stringContaining("line") },
    });
  });
});

const credentials = { user: "wdtest", password: new Secret("wdtest") };

describe("message authentication", () => {
  it("accepts the verbatim capture's WS-Security UsernameToken and refuses a wrong one, without parsing", () => {
    const raw = readSample("workday-outbound-notification-job-requisition.verbatim.xml");
    expect(verifyUsernameToken(raw, credentials)).toBe(true);
    expect(verifyUsernameToken(raw, { user: "wdtest", password: new Secret("other") })).toBe(false);
    expect(verifyUsernameToken("<x/>", credentials)).toBe(false);
    // A token past the scanned start of the message (after a megabyte of body) is not looked for.
    const late = `<e:Envelope xmlns:e="urn:x"><e:Body>${" ".repeat(20_000)}</e:Body>${raw}</e:Envelope>`;
    expect(verifyUsernameToken(late, credentials)).toBe(false);
  });

  it("refuses a PasswordDigest token", () => {
    const raw = readSample("workday-outbound-notification-job-requisition.verbatim.xml").replace(
      "#PasswordText",
      "#PasswordDigest",
    );
    expect(verifyUsernameToken(raw, credentials)).toBe(false);
  });

  it("reads escaped characters in the token as XML does", () => {
    const token = (password: string) =>
      `<S:Envelope xmlns:S="urn:s"><S:Header><wsse:Security xmlns:wsse="urn:w"><wsse:UsernameToken>` +
      `<wsse:Username>wd&amp;test</wsse:Username><wsse:Password>${password}</wsse:Password>` +
      `</wsse:UsernameToken></wsse:Security></S:Header><S:Body><x/></S:Body></S:Envelope>`;
    const expected = { user: "wd&test", password: new Secret("p<w>!") };
    expect(verifyUsernameToken(token("p&lt;w&gt;&#33;"), expected)).toBe(true);
    expect(verifyUsernameToken(token("p<w>!"), expected)).toBe(false);
  });

  it("removes the WS-Security header, and only it, from a message before it is stored", () => {
    const raw = readSample("workday-outbound-notification-job-requisition.verbatim.xml");
    const stored = withoutSecurityHeader(raw);
    expect(stored).not.toMatch(/<[\w:]*(Security|UsernameToken|Password)\b/);
    expect(stored).not.toContain(">wdtest<");
    expect(stored.length).toBeLessThan(raw.length);
    const parsed = parseUntrustedXml(stored);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(soapParts(parsed.value)?.name).toMatch(/Notification_Data$/);
    expect(withoutSecurityHeader("<r>no header</r>")).toBe("<r>no header</r>");
  });

  it("checks HTTP Basic, including passwords containing colons", () => {
    const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;
    const expected = { user: "sf@CO", password: new Secret("pa:ss") };
    expect(verifyBasic(basic("sf@CO", "pa:ss"), expected)).toBe(true);
    expect(verifyBasic(basic("sf@CO", "pa"), expected)).toBe(false);
    expect(verifyBasic("Bearer x", expected)).toBe(false);
    expect(verifyBasic(null, expected)).toBe(false);
  });

  it("verifies the HMAC-SHA256 signature of the exact body", () => {
    const secret = new Secret("s3cret");
    const body = '{"eventId":"e1"}';
    expect(signBody(body, "s3cret")).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyHmacSignature(body, signBody(body, "s3cret"), secret)).toBe(true);
    expect(verifyHmacSignature(`${body} `, signBody(body, "s3cret"), secret)).toBe(false);
    expect(verifyHmacSignature(body, undefined, secret)).toBe(false);
  });

  it("compares strings of different lengths without throwing", () => {
    expect(constantTimeEqual("a", "abc")).toBe(false);
    expect(constantTimeEqual("abc", "abc")).toBe(true);
  });
});
