import { mkdtempSync } from "node:fs";
import { createServer, request as forward, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { FaultInjector } from "../../src/sandbox/common/faults.ts";

/**
 * A Docker API proxy on its own unix socket, in front of the real engine, injecting the
 * simulators' faults (latency, 5xx, reset, down): the real engine cannot be told to misbehave.
 * Forwards with Node's http client on purpose — it is test equipment, not product code.
 */
export interface DockerFaultProxy {
  endpoint: string;
  faults: FaultInjector;
  requests: number;
  close(): Promise<void>;
}

export async function startDockerFaultProxy(target: string): Promise<DockerFaultProxy> {
  const socketPath = join(mkdtempSync(join(tmpdir(), "docker-proxy-")), "docker.sock");
  const upstream = target.replace(/^unix:\/\//, "");
  const faults = new FaultInjector();
  const proxy: DockerFaultProxy = {
    endpoint: `unix://${socketPath}`,
    faults,
    requests: 0,
    close: async () => {},
  };
  const server: Server = createServer(async (req, res) => {
    proxy.requests += 1;
    const decision = faults.decide();
    if (decision.kind === "down" || decision.kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (decision.kind === "error" || decision.kind === "throttle") {
      res.writeHead(decision.kind === "error" ? decision.status : 503, {
        "content-type": "application/json",
      });
      res.end(JSON.stringify({ message: "injected fault" }));
      return;
    }
    const out = forward(
      { socketPath: upstream, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (decision.kind === "lose-response") {
          answer.resume();
          req.socket.destroy();
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on("error", () => req.socket.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
