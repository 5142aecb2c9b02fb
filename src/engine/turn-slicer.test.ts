import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { TurnSlicer } from "./turn-slicer.ts";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("TurnSlicer", () => {
  it("lets perTurn callers through per turn, in order, never in the turn they asked", async () => {
    const slicer = new TurnSlicer(2);
    const through: number[] = [];
    const all = Array.from({ length: 5 }, (_, i) => slicer.next().then(() => through.push(i)));
    await Promise.resolve();
    expect(through).toEqual([]);
    expect(slicer.waiting).toBe(5);
    await nextTurn();
    expect(through).toEqual([0, 1]);
    await nextTurn();
    expect(through).toEqual([0, 1, 2, 3]);
    await nextTurn();
    expect(through).toEqual([0, 1, 2, 3, 4]);
    await Promise.all(all);
    expect(slicer.waiting).toBe(0);
  });

  it("reads the sockets between its turns", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const accepted = new Promise<Socket>((resolve) => server.once("connection", resolve));
    const client = connect((server.address() as AddressInfo).port, "127.0.0.1");
    await new Promise((resolve) => client.once("connect", resolve));
    const peer = await accepted;
    try {
      const events: string[] = [];
      const received = new Promise<void>((resolve) =>
        client.once("data", () => {
          events.push("data");
          resolve();
        }),
      );
      const slicer = new TurnSlicer(1);
      const work = Array.from({ length: 3 }, (_, i) =>
        slicer.next().then(() => {
          events.push(`work ${i}`);
          const until = performance.now() + 5; // a slice of CPU-bound bookkeeping
          while (performance.now() < until);
        }),
      );
      peer.write("answer"); // on loopback it is readable long before the first slice ends
      await Promise.all([...work, received]);
      expect(events.indexOf("data")).toBeGreaterThan(events.indexOf("work 0"));
      expect(events.indexOf("data")).toBeLessThan(events.indexOf("work 2"));
    } finally {
      client.destroy();
      peer.destroy();
      server.close();
    }
  });

  it("refuses a limit below one", () => {
    expect(() => new TurnSlicer(0)).toThrow(RangeError);
    expect(() => new TurnSlicer(1.5)).toThrow(RangeError);
  });
});
