import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventBus } from "../../src/daemon/server/event-bus.ts";
import { type StatusServer, startStatusServer } from "../../src/daemon/server/server.ts";
import { registry } from "../../src/observability/metrics.ts";
import { fakeStatusSource } from "../helpers/fake-status.ts";
import { recordingAudit } from "../helpers/recording-audit.ts";

const TOKEN = "status-page-token-0123456789";

/** The web status page in Debian's real Chromium, headless, driven by playwright-core. */
describe("status page in headless Chromium", () => {
  let server: StatusServer;
  let browser: Browser;
  const source = fakeStatusSource();
  const events = new EventBus();

  beforeAll(async () => {
    server = await startStatusServer({
      host: "127.0.0.1",
      port: 0,
      token: TOKEN,
      publicMetrics: false,
      source,
      registry,
      events,
      audit: recordingAudit(),
    });
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("refuses without the token: the page sends the browser to the login form", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
    const api = await page.request.get(`${server.url}/api/status`);
    expect(api.status()).toBe(401);
    await page.fill("#token", "not-the-token");
    await page.click("button[type=submit]");
    await expect.poll(() => page.textContent("#message")).toBe("Wrong token.");
    await page.close();
  });

  it("after logging in shows the services, the healing history and the graph, and updates live", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(`${server.url}/login`);
    await page.fill("#token", TOKEN);
    await page.click("button[type=submit]");
    await page.waitForSelector("body[data-loaded=true]");
    const services = await page.locator("#services tr").allTextContents();
    expect(services).toHaveLength(2);
    expect(services[0]).toContain("Grafana");
    expect(services[1]).toContain("unhealthy");
    expect(services[1]).toContain("drift");
    expect(await page.textContent("#healing")).toContain("Sonarr (sonarr): restart #1 — health check failed");
    expect(await page.locator("#graph svg rect").count()).toBe(2);

    source.document.healing.push({
      at: "2026-11-27T10:05:00.000Z",
      service: "Sonarr",
      container: "sonarr",
      action: "gave-up",
      reason: "restart budget spent",
    });
    events.publish("healing", { service: "Sonarr" });
    await expect.poll(() => page.textContent("#healing"), { timeout: 10_000 }).toContain("gave-up");
    expect(errors).toEqual([]);
    await page.close();
  });
});
