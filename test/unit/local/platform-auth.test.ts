import { createPlatformAuthentication, encodeClientPrincipal } from "../../../local/host/platform-auth";

describe("the local host's stand-in for App Service authentication", () => {
  const authenticate = createPlatformAuthentication({
    identity: '{"name":"dev@localhost","roles":["Lifecycle.Reader"]}',
    tokens: '{"t-1":{"name":"approver@localhost","roles":["Lifecycle.Approver"]}}',
  });
  const principalOf = (headers: Record<string, string>) => {
    const result = authenticate(headers);
    if (!result.ok) return "refused";
    const header = result.headers["x-ms-client-principal"];
    return header === undefined
      ? undefined
      : (JSON.parse(Buffer.from(header, "base64").toString()) as object);
  };

  it("signs a request without a token in as LOCAL_DEV_IDENTITY, in the platform's format", () => {
    expect(principalOf({})).toEqual({
      auth_typ: "aad",
      name_typ: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
      role_typ: "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
      claims: expect.arrayContaining([
        { typ: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", val: "dev@localhost" },
        { typ: "roles", val: "Lifecycle.Reader" },
      ]),
    });
  });

  it("signs a bearer token in as its identity, and refuses an unknown one", () => {
    expect(principalOf({ authorization: "Bearer t-1" })).toMatchObject({
      claims: expect.arrayContaining([{ typ: "roles", val: "Lifecycle.Approver" }]),
    });
    expect(principalOf({ authorization: "Bearer nope" })).toBe("refused");
    // Basic credentials (the HR endpoints') are not a sign-in and pass through untouched.
    expect(authenticate({ authorization: "Basic eDp5" })).toMatchObject({
      ok: true,
      headers: { authorization: "Basic eDp5" },
    });
  });

  it("removes every principal header a caller sends, whoever is signed in", () => {
    const forged = encodeClientPrincipal({ name: "ceo", roles: ["Lifecycle.Approver"] });
    const nobody = createPlatformAuthentication({});
    expect(nobody({ "x-ms-client-principal": forged, "X-MS-CLIENT-PRINCIPAL-NAME": "ceo" })).toEqual({
      ok: true,
      headers: {},
    });
    expect(principalOf({ "x-ms-client-principal": forged })).toMatchObject({
      claims: expect.arrayContaining([{ typ: "roles", val: "Lifecycle.Reader" }]),
    });
  });

  it("stops at start with the setting's name when a setting is malformed", () => {
    expect(() => createPlatformAuthentication({ identity: "{" })).toThrow("LOCAL_DEV_IDENTITY is not JSON");
    expect(() => createPlatformAuthentication({ identity: '{"name":"x"}' })).toThrow(
      'LOCAL_DEV_IDENTITY must be {"name": "<who>", "roles": ["Lifecycle.Reader", ...]}',
    );
    expect(() => createPlatformAuthentication({ tokens: '{"t":{"roles":[]}}' })).toThrow(
      'LOCAL_DEV_TOKENS["t"]',
    );
  });
});
