import { createPrivateKey, createPublicKey, randomUUID, X509Certificate } from "node:crypto";
import { SignedXml } from "xml-crypto";
import type { Secret } from "../config/secret";
import { escapeXml } from "./xml";

/**
 * The SAML 2.0 bearer assertion SuccessFactors exchanges for an OAuth token at `/oauth/token` (SAP's OData
 * developer guide, "Generating a SAML Assertion"): issued by the OAuth client (its API key), about the API
 * user (NameID = userId), for the audience `www.successfactors.com` and the recipient `<api-server>/odata/v2`,
 * carrying the API key again as the `api_key` attribute, valid for a few minutes, and signed with the private
 * key of the X.509 certificate registered for the client (RSA-SHA256, exclusive canonicalization, enveloped).
 */

export const SF_SAML_AUDIENCE = "www.successfactors.com";
export const SAML_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:saml2-bearer";

const SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
const EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/** The key pair of the OAuth client: the private key, and the certificate registered in SuccessFactors. */
export interface SigningKey {
  privateKey: Secret;
  /** PEM; published in the signature's KeyInfo when present. */
  certificate?: string;
}

export interface SamlAssertionOptions {
  /** The OAuth client's API key: the issuer and the `api_key` attribute. */
  clientId: string;
  /** The API user's userId (not the username, and without `@companyId`). */
  userId: string;
  /** The API server, e.g. `https://api4.successfactors.com`; the recipient is its `/odata/v2`. */
  apiBaseUrl: string;
  key: SigningKey;
  now: Date;
  lifetimeInMs: number;
}

/** Thrown when the configured key cannot sign: it is not a private key, or not the certificate's. */
export class SigningKeyError extends Error {
  override readonly name = "SigningKeyError";
}

/** Fails early, with the reason, when the key cannot be used or does not belong to the certificate. */
export function checkSigningKey(key: SigningKey): void {
  let publicKey: string;
  try {
    publicKey = createPublicKey(createPrivateKey(key.privateKey.reveal())).export({
      type: "spki",
      format: "pem",
    }) as string;
  } catch {
    throw new SigningKeyError("it is not a PEM private key (-----BEGIN PRIVATE KEY----- or RSA PRIVATE KEY)");
  }
  if (key.certificate === undefined) return;
  let certified: string;
  try {
    certified = new X509Certificate(key.certificate).publicKey.export({
      type: "spki",
      format: "pem",
    }) as string;
  } catch {
    throw new SigningKeyError("its certificate is not a readable X.509 certificate");
  }
  if (certified !== publicKey)
    throw new SigningKeyError("the private key does not belong to its certificate");
}

const instant = (at: Date) => at.toISOString();

/** A signed assertion, as XML. */
export function buildSamlAssertion(options: SamlAssertionOptions): string {
  return signSamlAssertion(unsignedSamlAssertion(options), options.key);
}

/** The assertion before it is signed. */
export function unsignedSamlAssertion(options: Omit<SamlAssertionOptions, "key">): string {
  const { clientId, userId, now } = options;
  const recipient = `${options.apiBaseUrl.replace(/\/+$/, "")}/odata/v2`;
  // A minute of slack before now: SuccessFactors' clock may run slightly behind ours.
  const notBefore = new Date(now.getTime() - 60_000);
  const notOnOrAfter = new Date(now.getTime() + options.lifetimeInMs);
  return (
    `<saml2:Assertion xmlns:saml2="${SAML_NS}" xmlns:xs="http://www.w3.org/2001/XMLSchema" ` +
    `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_${randomUUID()}" IssueInstant="${instant(now)}" Version="2.0">` +
    `<saml2:Issuer>${escapeXml(clientId)}</saml2:Issuer>` +
    `<saml2:Subject>` +
    `<saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${escapeXml(userId)}</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml2:SubjectConfirmationData NotOnOrAfter="${instant(notOnOrAfter)}" Recipient="${escapeXml(recipient)}"/>` +
    `</saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions NotBefore="${instant(notBefore)}" NotOnOrAfter="${instant(notOnOrAfter)}">` +
    `<saml2:AudienceRestriction><saml2:Audience>${SF_SAML_AUDIENCE}</saml2:Audience></saml2:AudienceRestriction>` +
    `</saml2:Conditions>` +
    `<saml2:AuthnStatement AuthnInstant="${instant(now)}" SessionIndex="_${randomUUID()}">` +
    `<saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef></saml2:AuthnContext>` +
    `</saml2:AuthnStatement>` +
    `<saml2:AttributeStatement><saml2:Attribute Name="api_key">` +
    `<saml2:AttributeValue xsi:type="xs:string">${escapeXml(clientId)}</saml2:AttributeValue>` +
    `</saml2:Attribute></saml2:AttributeStatement>` +
    `</saml2:Assertion>`
  );
}

/** Signs the whole assertion (enveloped, by its ID) and puts the signature where SAML's schema wants it. */
export function signSamlAssertion(unsigned: string, key: SigningKey): string {
  const signature = new SignedXml({
    privateKey: key.privateKey.reveal(),
    ...(key.certificate === undefined ? {} : { publicCert: key.certificate }),
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXCLUSIVE_C14N,
  });
  signature.addReference({
    xpath: "/*[local-name()='Assertion']",
    transforms: [ENVELOPED, EXCLUSIVE_C14N],
    digestAlgorithm: SHA256,
  });
  // SAML's schema puts the signature right after the Issuer.
  signature.computeSignature(unsigned, {
    prefix: "ds",
    location: { reference: "/*[local-name()='Assertion']/*[local-name()='Issuer']", action: "after" },
  });
  return signature.getSignedXml();
}
