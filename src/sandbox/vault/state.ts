import { randomBytes } from "node:crypto";
import { AppRoles } from "./auth.ts";
import { KvStore } from "./kv.ts";
import { TokenStore } from "./tokens.ts";

/** Everything one simulated Vault holds. The clock is replaceable so TTLs can be tested without sleeping. */
export class VaultState {
  now: () => number = Date.now;
  sealed = false;
  readonly rootToken: string;
  /** The single key share that unseals this Vault through PUT /v1/sys/unseal. */
  readonly unsealKey = randomBytes(32).toString("base64");
  readonly tokens = new TokenStore(() => this.now());
  readonly roles = new AppRoles();
  readonly kv: KvStore;
  readonly version = "1.18.3";
  readonly clusterName = "vault-cluster-sandbox";
  readonly clusterId = "5f0a6c3e-8d7b-4c1e-9a2f-000000000001";

  constructor(options: { rootToken: string; kvMounts: string[] }) {
    this.rootToken = options.rootToken;
    this.tokens.create({ root: true, displayName: "root", path: "auth/token/root" }, options.rootToken);
    this.kv = new KvStore(options.kvMounts, () => this.now());
  }
}
