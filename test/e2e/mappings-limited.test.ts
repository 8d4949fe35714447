import fs from "node:fs";
import path from "node:path";
import { useLifecycleStack } from "../support/lifecycle-stack";

const demoSource = fs.readFileSync(path.resolve(__dirname, "../../local/mappings/demo.yaml"), "utf8");

interface Problem {
  kind: string;
  message: string;
}

/**
 * The demo mapping imported through the real app with the Home-only OAuth client: the report names each
 * division and permission it lacks, and nothing is activated.
 */
describe("mapping import against the Genesys emulator", () => {
  describe("as lifecycle-limited (Home only)", () => {
    const stack = useLifecycleStack({ clientId: "lifecycle-limited" });

    it("answers 422 with a report naming each division and permission, and activates nothing", async () => {
      const put = await stack.call("PUT", "/api/mappings", demoSource);
      expect(put.status).toBe(422);
      const body = (await put.json()) as { version: { valid: boolean }; report: { problems: Problem[] } };
      expect(body.version.valid).toBe(false);
      const messages = body.report.problems.map((p) => p.message);
      expect(messages).toEqual(
        expect.arrayContaining([
          "OAuth client lacks directory:user:add in division 'Support' " +
            "(needed by profiles[0].division, profiles[1].division, profiles[3].division)",
          expect.stringMatching(/^OAuth client lacks directory:user:edit in division 'EMEA'/),
          expect.stringMatching(/^OAuth client lacks authorization:grant:add in division 'Sales'/),
          expect.stringMatching(/^OAuth client lacks authorization:grant:add in every division/),
          expect.stringMatching(/^OAuth client lacks routing:skill:assign in division 'EMEA'/),
          'the org has no queue named "EMEA_Sales", or none this OAuth client can see: ' +
            "it holds routing:queue:view only in division(s) 'Home'",
        ]),
      );
      expect(messages.some((m) => m.includes("in division 'Home'"))).toBe(false);
      expect((await stack.call("GET", "/api/mappings")).status).toBe(404);
    });
  });
});
