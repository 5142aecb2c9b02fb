import { createHttpClient } from "../src/http/client.ts";
import { startSimServer } from "../src/sandbox/common/sim-server.ts";
import { authentikBench } from "./authentik.ts";
import { discoveryBench } from "./discovery.ts";
import { grafanaBench } from "./grafana.ts";
import { healingBench } from "./healing.ts";
import { lab500Bench } from "./lab-500.ts";
import { soakBench } from "./soak.ts";

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<Record<string, string>>;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The HTTP core's own cost: requests through the full pipeline against a loopback server. */
const httpCore: Benchmark = {
  name: "http-core",
  description: "10,000 GETs through the resilience pipeline to a loopback server, 32 in flight",
  async run() {
    const sim = await startSimServer({ name: "bench", handler: () => ({ status: 200, body: { ok: true } }) });
    const client = createHttpClient({
      target: "bench",
      baseUrl: sim.url,
      resilience: { concurrency: 32, rateLimit: { perSecond: 1_000_000, burst: 1_000_000 } },
    });
    const total = 10_000;
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < total) {
          next += 1;
          const t = performance.now();
          await client.request({ method: "GET", path: "/x" });
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await client.close();
    await sim.close();
    latencies.sort((a, b) => a - b);
    return {
      "requests per second": (total / seconds).toFixed(0),
      "latency p50 (ms)": percentile(latencies, 50).toFixed(2),
      "latency p99 (ms)": percentile(latencies, 99).toFixed(2),
      "RSS after (MB)": (process.memoryUsage().rss / 2 ** 20).toFixed(0),
    };
  },
};

export const benchmarks: Benchmark[] = [
  httpCore,
  authentikBench,
  grafanaBench,
  healingBench,
  discoveryBench,
  lab500Bench,
  soakBench,
];
