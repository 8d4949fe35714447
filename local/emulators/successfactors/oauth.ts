import { randomBytes } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { SAML_BEARER_GRANT, SF_SAML_AUDIENCE } from "../../../src/hr/successfactors-saml";
import { json, type EmulatorResponse } from "../http";

/**
 * SuccessFactors' OAuth 2.0 SAML bearer grant, as `POST /oauth/token` answers it: the form carries
 * `grant_type`, `company_id`, `client_id` and the base64 `assertion`; the assertion must be signed with the key
 * of the certificate registered for the client and name the client (issuer, `api_key`), a known API user, the
 * SuccessFactors audience, this API server as recipient, and a time window that holds now. A token lives 24 hours;
 * the same assertion gets the same token back unless `new_token=true`. Refusals carry SuccessFactors'
 * `errorMessage` texts where SAP documents them (KBA 3336571, 2668018, 2245676).
 */

const DSIG = "http://www.w3.org/2000/09/xmldsig#";
const SAML = "urn:oasis:names:tc:SAML:2.0:assertion";

export interface OAuthClientRegistration {
  /** The API key SuccessFactors generated for the client. */
  clientId: string;
  /** The X.509 certificate (PEM) registered with the client. */
  certificate: string;
}

export interface OAuthTenantOptions {
  companyId: string;
  clients: OAuthClientRegistration[];
  /** userIds the assertion's subject may name. */
  apiUsers: string[];
  /** 86400 by default: SuccessFactors' tokens are valid for 24 hours. */
  tokenLifetimeInSeconds?: number;
  /** The tenant's clock (tests move it to make an assertion too old). */
  now?: () => number;
}

interface IssuedToken {
  token: string;
  expiresAt: number;
  assertionId: string;
}

const refusal = (status: number, message: string): EmulatorResponse =>
  json(status, { errorHttpCode: String(status), errorMessage: message });

/** Strict parsing: an error in the document refuses it instead of being logged and skipped. */
const parseXml = (text: string): Document => {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new Error("DTDs are not accepted");
  const fail = (message: unknown) => {
    throw new Error(String(message));
  };
  return new DOMParser({
    errorHandler: { warning: () => undefined, error: fail, fatalError: fail },
  }).parseFromString(text, "text/xml");
};

const first = (parent: Element | Document | undefined, ns: string, name: string): Element | undefined =>
  parent?.getElementsByTagNameNS(ns, name)[0] ?? undefined;

/** Issues and checks bearer tokens for one company. */
export class OAuthTenant {
  readonly #options: OAuthTenantOptions;
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #now: () => number;

  constructor(options: OAuthTenantOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => Date.now());
  }

  register(client: OAuthClientRegistration): void {
    this.#options.clients = [...this.#options.clients.filter((c) => c.clientId !== client.clientId), client];
  }

  /** Every issued token expires now, as if a day had passed. */
  expireTokens(): void {
    for (const token of this.#tokens.values()) token.expiresAt = 0;
  }

  /** `POST /oauth/token`. `serverOrigin` is this API server as the caller addressed it (the recipient). */
  issue(form: URLSearchParams, serverOrigin: string): EmulatorResponse {
    if (form.get("grant_type") !== SAML_BEARER_GRANT) {
      return refusal(400, `grant_type must be ${SAML_BEARER_GRANT}`);
    }
    if (form.get("company_id") !== this.#options.companyId) {
      return refusal(401, "Authentication failed due to invalid companyId");
    }
    const clientId = form.get("client_id") ?? "";
    const client = this.#options.clients.find((c) => c.clientId === clientId);
    if (!client) return refusal(401, `Unable to authenticate the client (invalid client_id ${clientId})`);
    const assertion = form.get("assertion");
    if (!assertion) return refusal(400, "assertion is required");

    const checked = this.#verify(Buffer.from(assertion, "base64").toString("utf8"), client, serverOrigin);
    if (!checked.ok) return refusal(401, checked.message);

    const now = this.#now();
    const reuse = [...this.#tokens.values()].find(
      (t) => t.assertionId === checked.assertionId && t.expiresAt > now,
    );
    const issued =
      reuse && form.get("new_token") !== "true"
        ? reuse
        : {
            token: randomBytes(24).toString("base64url"),
            expiresAt: now + (this.#options.tokenLifetimeInSeconds ?? 86_400) * 1000,
            assertionId: checked.assertionId,
          };
    this.#tokens.set(issued.token, issued);
    return json(200, {
      access_token: issued.token,
      token_type: "Bearer",
      expires_in: Math.max(0, Math.floor((issued.expiresAt - now) / 1000)),
    });
  }

  /** Whether `Authorization: Bearer …` carries a live token. */
  accepts(authorization: string | undefined): boolean {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
    const issued = token === undefined ? undefined : this.#tokens.get(token);
    return issued !== undefined && issued.expiresAt > this.#now();
  }

  #verify(
    xml: string,
    client: OAuthClientRegistration,
    serverOrigin: string,
  ): { ok: true; assertionId: string } | { ok: false; message: string } {
    const unsigned =
      "Unable to verify the signature of the SAML assertion. Please ensure that the assertion has a signature and the key pairs match the client ID";
    let document: Document;
    try {
      document = parseXml(xml);
    } catch {
      return { ok: false, message: "The SAML assertion is not well-formed XML" };
    }
    const root = document.documentElement;
    if (!root || root.localName !== "Assertion" || root.namespaceURI !== SAML) {
      return { ok: false, message: "The SAML assertion is not a SAML 2.0 Assertion" };
    }
    const signatures = document.getElementsByTagNameNS(DSIG, "Signature");
    if (signatures.length !== 1 || signatures[0].parentNode !== root) return { ok: false, message: unsigned };
    const verifier = new SignedXml({ publicCert: client.certificate, getCertFromKeyInfo: () => null });
    let signed: string | undefined;
    try {
      verifier.loadSignature(signatures[0]);
      if (verifier.checkSignature(xml)) signed = verifier.getSignedReferences()[0];
    } catch {
      signed = undefined;
    }
    // Only what the signature covers is read: the whole assertion, by its own ID.
    const assertionId = root.getAttribute("ID") ?? "";
    const reference = signatures[0].getElementsByTagNameNS(DSIG, "Reference")[0] as Element | undefined;
    if (!signed || reference?.getAttribute("URI") !== `#${assertionId}`)
      return { ok: false, message: unsigned };

    const assertion = parseXml(signed);
    const text = (name: string) => first(assertion, SAML, name)?.textContent?.trim() ?? "";
    const issuer = text("Issuer");
    const subject = text("NameID");
    const audience = text("Audience");
    const apiKey = [
      ...Array.from(assertion.getElementsByTagNameNS(SAML, "Attribute") as unknown as Element[]),
    ]
      .find((a) => a.getAttribute("Name") === "api_key")
      ?.getElementsByTagNameNS(SAML, "AttributeValue")[0]
      ?.textContent?.trim();
    const conditions = first(assertion, SAML, "Conditions");
    const confirmation = first(assertion, SAML, "SubjectConfirmationData");
    const recipient = confirmation?.getAttribute("Recipient") ?? "";

    if (issuer !== client.clientId || apiKey !== client.clientId) {
      return {
        ok: false,
        message:
          "Unable to authenticate the client (the assertion's issuer and api_key must be the client ID)",
      };
    }
    if (!this.#options.apiUsers.includes(subject)) {
      return { ok: false, message: "Unable to authenticate the client (Login failed - invalid user)" };
    }
    if (audience !== SF_SAML_AUDIENCE) {
      return { ok: false, message: `The SAML assertion's audience must be ${SF_SAML_AUDIENCE}` };
    }
    if (
      ![`${serverOrigin}/odata/v2`, `${serverOrigin}/oauth/token`].includes(recipient.replace(/\/+$/, ""))
    ) {
      return {
        ok: false,
        message: `The SAML assertion's recipient ${recipient} is not this API server (${serverOrigin}/odata/v2)`,
      };
    }
    const now = this.#now();
    const notBefore = Date.parse(conditions?.getAttribute("NotBefore") ?? "");
    const notOnOrAfter = Math.min(
      Date.parse(conditions?.getAttribute("NotOnOrAfter") ?? ""),
      Date.parse(confirmation?.getAttribute("NotOnOrAfter") ?? ""),
    );
    if (Number.isNaN(notBefore) || Number.isNaN(notOnOrAfter)) {
      return { ok: false, message: "The SAML assertion has no NotBefore/NotOnOrAfter validity window" };
    }
    if (now >= notOnOrAfter)
      return { ok: false, message: "The SAML assertion has expired (NotOnOrAfter is in the past)" };
    if (now < notBefore)
      return { ok: false, message: "The SAML assertion is not yet valid (NotBefore is in the future)" };
    return { ok: true, assertionId };
  }
}
