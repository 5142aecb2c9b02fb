import { readFile } from "node:fs/promises";
import type Docker from "dockerode";

export interface DockerTlsFiles {
  ca: string;
  cert: string;
  key: string;
}

/**
 * A dockerode client for one endpoint: `unix:///path.sock` or `tcp://host:port` (with mutual TLS
 * when certificate files are given; dockerode verifies the server against `ca`, there is no
 * switch to turn that off). Docker's API is spoken by dockerode/docker-modem, the field-made
 * client, rather than by src/http; callers wrap calls in the HTTP core's resilience pipeline.
 * dockerode is loaded on first use: a lab without a Docker endpoint does not pay for it (about
 * 0.2 s of every CLI command's start-up).
 */
export async function dockerClientFor(
  endpoint: string,
  tls: DockerTlsFiles | undefined,
  resolvePath: (path: string) => string,
): Promise<Docker> {
  const { default: Docker } = await import("dockerode");
  if (endpoint.startsWith("unix://")) return new Docker({ socketPath: endpoint.slice("unix://".length) });
  const url = new URL(endpoint.replace(/^tcp:/, "http:"));
  const port = Number(url.port || (tls ? 2376 : 2375));
  if (!tls) return new Docker({ host: url.hostname, port, protocol: "http" });
  const [ca, cert, key] = await Promise.all(
    [tls.ca, tls.cert, tls.key].map((file) => readFile(resolvePath(file))),
  );
  return new Docker({ host: url.hostname, port, protocol: "https", ca, cert, key });
}
