/**
 * SuccessFactors enrichment: OData calls per ExternalEvent, the product's one expanded `PerPerson` query against
 * reading each entity set on its own (the way the product read a person before, kept here as the baseline).
 * Both run against the emulator over real HTTP with an OAuth token, on the same people, loaded once as expanded
 * documents and once one entity set at a time. Prints calls per event and the ratio.
 *
 *   npm run bench:sf-enrichment
 */
import fs from "node:fs";
import path from "node:path";
import {
  startSuccessFactorsEmulator,
  SF_EMULATOR_API_USER,
  SF_EMULATOR_COMPANY_ID,
} from "../local/emulators/successfactors";
import { generateOAuthClientKeyPair } from "../local/emulators/successfactors/credentials";
import { Secret } from "../src/config/secret";
import { latest, str } from "../src/hr/successfactors";
import { SuccessFactorsODataClient } from "../src/hr/successfactors-client";

const fixtures = path.resolve(__dirname, "../test/fixtures/hr");
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(fixtures, name), "utf8")) as unknown;

/** The baseline: every entity set queried on its own, as Entra does not and the product no longer does. */
async function perEntitySet(odata: SuccessFactorsODataClient, personIdExternal: string): Promise<void> {
  const [persons, , , employments] = await Promise.all([
    odata.query("PerPerson", { personIdExternal }),
    odata.query("PerPersonal", { personIdExternal }),
    odata.query("PerEmail", { personIdExternal }),
    odata.query("EmpEmployment", { personIdExternal }),
  ]);
  if (persons.length === 0) return;
  const userId = str(latest(employments, "startDate"), "userId") ?? personIdExternal;
  const [, jobs] = await Promise.all([
    odata.query("User", { userId }),
    odata.query("EmpJob", { userId }),
    odata.query("EmpEmploymentTermination", { userId }),
  ]);
  const managerId = str(latest(jobs, "startDate"), "managerId");
  if (managerId !== undefined && managerId !== "NO_MANAGER") {
    await Promise.all([
      odata.query("User", { userId: managerId }),
      odata.query("EmpEmployment", { userId: managerId }),
    ]);
  }
}

async function main() {
  const keys = await generateOAuthClientKeyPair();
  const emulator = await startSuccessFactorsEmulator({
    port: 0,
    oauthClients: [{ clientId: keys.clientId, certificate: keys.certificate }],
  });
  try {
    emulator.loadEntities(read("sf-odata-perperson-expanded.json"));
    emulator.loadEntities(read("sf-odata-entities.json"));
    const odata = new SuccessFactorsODataClient({
      baseUrl: emulator.url,
      credentials: {
        kind: "oauth",
        companyId: SF_EMULATOR_COMPANY_ID,
        clientId: keys.clientId,
        userId: SF_EMULATOR_API_USER,
        assertionLifetimeInMs: 600_000,
        signingKey: async () => ({ privateKey: new Secret(keys.privateKey), certificate: keys.certificate }),
      },
    });
    const people = ["91001", "100201", "91003", "82001", "90001", "90002", "90004"];
    await odata.query("User", { userId: "warm-up" }); // the token, once, outside both counts
    const measure = async (name: string, read: (id: string) => Promise<unknown>) => {
      emulator.clearRequests();
      for (const id of people) await read(id);
      const odataCalls = emulator.requests().filter((r) => r.path.startsWith("/odata/")).length;
      const perEvent = odataCalls / people.length;
      console.log(
        `${name.padEnd(24)} ${String(odataCalls).padStart(4)} OData calls for ${people.length} events = ${perEvent.toFixed(2)} per event`,
      );
      return perEvent;
    };
    const expanded = await measure("one $expand query", (id) =>
      odata.getWorkerSnapshot({ personIdExternal: id }),
    );
    const perSet = await measure("one query per entity set", (id) => perEntitySet(odata, id));
    console.log(
      `per-set ÷ expand: ${(perSet / expanded).toFixed(1)}×; token requests during both runs: ${emulator.requests().filter((r) => r.path === "/oauth/token").length} (one token serves them all)`,
    );
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
