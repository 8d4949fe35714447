import { Secret } from "../../../src/config/secret";
import {
  constantTimeEqual,
  signBody,
  verifyBasic,
  verifyHmacSignature,
  verifyUsernameToken,
} from "../../../src/hr/auth";
import { MAX_BODY_BYTES } from "../../../src/hr/result";
import { parseUntrustedXml, soapParts } from "../../../src/hr/xml";
import { readSample } from "../../support/hr";

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
  it("accepts the verbatim capture's WS-Security UsernameToken and refuses a wrong one", () => {
    const raw = readSample("workday-outbound-notification-job-requisition.verbatim.xml");
    const parsed = parseUntrustedXml(raw);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const header = soapParts(parsed.value)!.header;
    expect(verifyUsernameToken(header, credentials)).toBe(true);
    expect(verifyUsernameToken(header, { user: "wdtest", password: new Secret("other") })).toBe(false);
    expect(verifyUsernameToken(undefined, credentials)).toBe(false);
  });

  it("refuses a PasswordDigest token", () => {
    const raw = readSample("workday-outbound-notification-job-requisition.verbatim.xml").replace(
      "#PasswordText",
      "#PasswordDigest",
    );
    const parsed = parseUntrustedXml(raw);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(verifyUsernameToken(soapParts(parsed.value)!.header, credentials)).toBe(false);
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
