import path from "node:path";
import { startLocalHost, type LocalHost } from "../../../local/host";
import { probe } from "../../fixtures/host-app";

const entry = path.resolve(__dirname, "../../fixtures/host-app/index.ts");

describe("local host: HTTP functions and the admin API", () => {
  let host: LocalHost;
  const logs: string[] = [];
  beforeAll(async () => {
    host = await startLocalHost({ entry, port: 0, log: (line) => logs.push(line) });
  });
  afterAll(() => host.stop());

  it("routes with the host.json prefix, optional and constrained parameters, query and headers", async () => {
    const response = await fetch(`${host.url}/api/echo/42?name=Ada&tag=a`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-custom": "yes" },
      body: JSON.stringify({ hello: "world" }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toEqual({
      method: "POST",
      url: `${host.url}/api/echo/42?name=Ada&tag=a`,
      params: { id: "42" },
      query: { name: "Ada", tag: "a" },
      contentType: "application/json",
      custom: "yes",
      body: '{"hello":"world"}',
    });
    const withoutId = await fetch(`${host.url}/api/echo`);
    expect(await withoutId.json()).toMatchObject({ method: "GET", params: {} });
    expect((await fetch(`${host.url}/api/echo/not-a-number`)).status).toBe(404);
    expect((await fetch(`${host.url}/api/echo/1`, { method: "DELETE" })).status).toBe(405);
    expect((await fetch(`${host.url}/elsewhere/echo`)).status).toBe(404);
  });

  it("matches catch-all parameters and literal segments case-insensitively", async () => {
    const response = await fetch(`${host.url}/api/ITEMS/books/a/b%20c`);
    expect(await response.json()).toEqual({ category: "books", rest: "a/b c" });
  });

  it("passes binary bodies through unchanged in both directions", async () => {
    const response = await fetch(`${host.url}/api/binary`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: new Uint8Array([0, 1, 2, 255]),
    });
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([255, 2, 1, 0]);
  });

  it("reads XML bodies and answers with the status and headers the function set", async () => {
    const response = await fetch(`${host.url}/api/xml`, {
      method: "POST",
      headers: { "content-type": "application/xml" },
      body: "<person><name>Grace</name></person>",
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toBe("application/xml");
    expect(await response.text()).toBe("<greeting>Hello Grace</greeting>");
  });

  it("writes cookies, custom statuses, empty responses and a 500 for a failing handler", async () => {
    const teapot = await fetch(`${host.url}/api/cookies`);
    expect(teapot.status).toBe(418);
    expect(teapot.headers.get("x-served-by")).toBe("local");
    expect(teapot.headers.get("set-cookie")).toBe("session=abc; Path=/; HttpOnly; SameSite=Strict");
    expect(await teapot.text()).toBe("teapot");
    expect((await fetch(`${host.url}/api/nothing`, { method: "DELETE" })).status).toBe(204);
    expect((await fetch(`${host.url}/api/boom`)).status).toBe(500);
    expect(logs.join("\n")).toContain("the handler failed on purpose");
  });

  it("lists every function with its trigger type on GET /admin/functions", async () => {
    const list = (await (await fetch(`${host.url}/admin/functions`)).json()) as {
      name: string;
      trigger: string;
      invoke_url_template?: string;
      config: { bindings: { type: string }[] };
    }[];
    const byName = Object.fromEntries(list.map((f) => [f.name, f]));
    expect(byName.echo).toMatchObject({
      trigger: "httpTrigger",
      invoke_url_template: `${host.url}/api/echo/{id:int?}`,
    });
    expect(byName.tick.trigger).toBe("timerTrigger");
    expect(byName.onQueue.trigger).toBe("queueTrigger");
    expect(byName.fanOut.trigger).toBe("orchestrationTrigger");
    expect(byName.square.trigger).toBe("activityTrigger");
    expect(byName.startOrchestration.config.bindings.map((b) => b.type)).toEqual(
      expect.arrayContaining(["httpTrigger", "durableClient", "http"]),
    );
  });

  it("runs timer and other non-HTTP functions on POST /admin/functions/{name}", async () => {
    const timer = await fetch(`${host.url}/admin/functions/tick`, { method: "POST", body: "{}" });
    expect(timer.status).toBe(202);
    expect(probe.ticks.at(-1)).toMatchObject({ isPastDue: false, scheduleStatus: expect.any(Object) });
    const queued = await fetch(`${host.url}/admin/functions/onQueue`, {
      method: "POST",
      body: JSON.stringify({ input: '{"job":7}' }),
    });
    expect(queued.status).toBe(202);
    expect(probe.queueItems).toEqual([{ job: 7 }]);
    expect((await fetch(`${host.url}/admin/functions/missing`, { method: "POST" })).status).toBe(404);
  });
});
